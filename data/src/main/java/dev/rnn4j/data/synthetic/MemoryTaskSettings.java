package dev.rnn4j.data.synthetic;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.model.Initialization;

import java.util.Objects;

/**
 * The settings of one {@link MemoryTaskRun}. Start from {@link #defaults(MemoryTask)} and change what differs with the
 * {@code with...} methods; the constructor checks every value.
 *
 * @param length       T: the adding problem's sequence length, the copy task's delay
 * @param steps        training steps (Adam updates)
 * @param seed         seeds the weights, the training, validation and test data
 * @param learningRate Adam's learning rate (the gradient norm is clipped at 1)
 * @param threads      kernel threads, the calling thread included
 * @param symbols      copy task: symbols to memorise
 * @param alphabet     copy task: distinct symbols
 * @param chrono       chrono initialisation of the gate biases for dependencies up to this many steps
 *                     ({@link Initialization#setChronoBias}); 0 for the default (an LSTM's forget bias at 1)
 */
public record MemoryTaskSettings(MemoryTask task, CellType cell, int length, long steps, long seed, int hiddenSize, int batch,
                                 double learningRate, int threads, int symbols, int alphabet, int chrono) {
    public static final int MAX_LENGTH = 100_000;
    public static final long DEFAULT_STEPS = 5000;
    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_BATCH = 50;
    public static final int ADDING_HIDDEN_SIZE = 64;
    public static final int COPY_HIDDEN_SIZE = 128;
    public static final double ADDING_LEARNING_RATE = 3e-3;
    public static final double COPY_LEARNING_RATE = 1e-3;
    public static final int DEFAULT_SYMBOLS = 10;
    public static final int DEFAULT_ALPHABET = 8;
    /** The length {@link #defaults} starts from; the README's measurements use 200. */
    public static final int DEFAULT_LENGTH = 200;

    public MemoryTaskSettings {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(cell, "cell");
        check("length", length, task.minLength(), MAX_LENGTH);
        check("steps", steps, 1, 100_000_000);
        check("hiddenSize", hiddenSize, 1, 65_536);
        check("batch", batch, 1, 1_000_000);
        check("threads", threads, 1, 1024);
        check("symbols", symbols, 1, 1000);
        check("alphabet", alphabet, 2, 1000);
        if (chrono != 0) {
            check("maxDependency", chrono, 3, MAX_LENGTH);
            if (cell == CellType.RNN) throw new IllegalArgumentException("chrono initialisation needs gates: an LSTM or a GRU, not a simple RNN");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("learningRate must be in (0, 10], got " + learningRate);
        }
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
    }

    /** An LSTM of the task's default size on T = {@value #DEFAULT_LENGTH}, with the README's training defaults. */
    public static MemoryTaskSettings defaults(MemoryTask task) {
        boolean adding = task == MemoryTask.ADDING;
        return new MemoryTaskSettings(task, CellType.LSTM, DEFAULT_LENGTH, DEFAULT_STEPS, DEFAULT_SEED,
                adding ? ADDING_HIDDEN_SIZE : COPY_HIDDEN_SIZE, DEFAULT_BATCH, adding ? ADDING_LEARNING_RATE : COPY_LEARNING_RATE,
                defaultThreads(), DEFAULT_SYMBOLS, DEFAULT_ALPHABET, 0);
    }

    /** Two threads where the machine has them: the kernels gain little beyond that at these sizes. */
    public static int defaultThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    public MemoryTaskSettings withCell(CellType value) {
        return new MemoryTaskSettings(task, value, length, steps, seed, hiddenSize, batch, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withLength(int value) {
        return new MemoryTaskSettings(task, cell, value, steps, seed, hiddenSize, batch, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withSteps(long value) {
        return new MemoryTaskSettings(task, cell, length, value, seed, hiddenSize, batch, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withSeed(long value) {
        return new MemoryTaskSettings(task, cell, length, steps, value, hiddenSize, batch, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withHiddenSize(int value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, value, batch, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withBatch(int value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, value, learningRate, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withLearningRate(double value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, batch, value, threads, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withThreads(int value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, batch, learningRate, value, symbols, alphabet, chrono);
    }

    public MemoryTaskSettings withSymbols(int value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, batch, learningRate, threads, value, alphabet, chrono);
    }

    public MemoryTaskSettings withAlphabet(int value) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, batch, learningRate, threads, symbols, value, chrono);
    }

    public MemoryTaskSettings withChrono(int maxDependency) {
        return new MemoryTaskSettings(task, cell, length, steps, seed, hiddenSize, batch, learningRate, threads, symbols, alphabet, maxDependency);
    }
}
