package dev.rnn4j.bench;

import java.util.SplittableRandom;

/**
 * The benchmark grid's layer sizes (docs/benchmarks.md): S, M and L, each an input size I, hidden size H, sequence
 * length T and batch B.
 */
enum Shape {
    S(32, 128, 50, 32),
    M(64, 256, 100, 64),
    L(128, 512, 100, 64);

    final int input;
    final int hidden;
    final int steps;
    final int batch;

    Shape(int input, int hidden, int steps, int batch) {
        this.input = input;
        this.hidden = hidden;
        this.steps = steps;
        this.batch = batch;
    }

    /** n values uniform in [-1, 1), the same for the same seed. */
    static float[] uniform(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
