package dev.rnn4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every {@code train} command shares, as a picocli mixin: {@code @Mixin TrainOptions train;}.
 * Defaults show in each command's --help.
 */
final class TrainOptions {
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seeds the weights and the data")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "kernel threads, the calling thread included")
    int threads = Math.min(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--metrics-out", paramLabel = "M.json", description = "writes the run's metrics as JSON (atomically)")
    Path metricsOut;

    @Option(names = {"-q", "--quiet"}, description = "no progress display on stderr")
    boolean quiet;

    long seed() {
        return seed;
    }

    int threads() {
        return threads;
    }

    /** Where the metrics go, or null for nowhere. */
    Path metricsOut() {
        return metricsOut;
    }

    /** The progress display for this run: off with --quiet, else a bar on a terminal and lines otherwise. */
    TrainingProgress.Display display() {
        return quiet ? TrainingProgress.Display.OFF : TrainingProgress.Display.forConsole();
    }
}
