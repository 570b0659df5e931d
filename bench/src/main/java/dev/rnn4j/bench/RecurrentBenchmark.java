package dev.rnn4j.bench;

import dev.rnn4j.layer.Gru;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentGradients;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.RecurrentStream;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.layer.SimpleRnn;
import dev.rnn4j.tensor.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One recurrent layer through its public API, to set the GEMMs ({@link GemmBenchmark}) against the whole:
 * <ul>
 *   <li>{@link #forwardOneStep}: a forward pass over T = 1 at the shape's batch (input projection, one recurrent
 *       GEMM, the fused gate kernel and the per-call overhead);</li>
 *   <li>{@link #forwardSequence}: a forward pass over the shape's T (inference);</li>
 *   <li>{@link #forwardBackward}: forward then backward over the sequence (training without the loss and optimizer);</li>
 *   <li>{@link #streamStep}: one {@link RecurrentStream#step} at B = 1 (streaming inference).</li>
 * </ul>
 * Microseconds per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class RecurrentBenchmark {
    @Param({"lstm", "gru", "rnn"})
    public String cell;

    @Param({"S", "M", "L"})
    public String shape;

    @Param({"1"})
    public int threads;

    private Recurrent network;
    private SequenceBatch sequence;
    private SequenceBatch oneStep;
    private float[] outputGrad;
    private RecurrentStream stream;
    private float[] streamInput;

    @Setup
    public void setUp() {
        Shape s = Shape.valueOf(shape);
        Parallel.setThreads(threads);
        network = switch (cell) {
            case "lstm" -> Lstm.builder().inputSize(s.input).hiddenSize(s.hidden).seed(1).build();
            case "gru" -> Gru.builder().inputSize(s.input).hiddenSize(s.hidden).seed(1).build();
            case "rnn" -> SimpleRnn.builder().inputSize(s.input).hiddenSize(s.hidden).seed(1).build();
            default -> throw new IllegalArgumentException("cell " + cell);
        };
        sequence = SequenceBatch.of(Shape.uniform(2, s.steps * s.batch * s.input), s.steps, s.batch);
        oneStep = SequenceBatch.of(Shape.uniform(3, s.batch * s.input), 1, s.batch);
        outputGrad = Shape.uniform(4, s.steps * s.batch * s.hidden);
        stream = new RecurrentStream(network, 1);
        streamInput = Shape.uniform(5, s.input);
    }

    @Benchmark
    public RecurrentOutput forwardOneStep() {
        return network.forward(oneStep);
    }

    @Benchmark
    public RecurrentOutput forwardSequence() {
        return network.forward(sequence);
    }

    @Benchmark
    public RecurrentGradients forwardBackward() {
        network.forward(sequence);
        return network.backward(outputGrad, null, null);
    }

    @Benchmark
    public float[] streamStep() {
        return stream.step(streamInput);
    }
}
