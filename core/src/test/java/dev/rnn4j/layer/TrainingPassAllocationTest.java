package dev.rnn4j.layer;

import dev.rnn4j.layer.ReferenceFixtures.Cell;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import dev.rnn4j.tensor.Parallel;

import java.util.SplittableRandom;

/**
 * A forward and backward pass allocates only a few small objects (result records, matrix views), nothing per step
 * or per row, once the JIT has compiled it: no workspace regrows, no view is rebuilt per step, no kernel's vectors are
 * boxed in the steady state of this JVM. (It did not reproduce the boxing of the LSTM's backward kernel that the
 * benchmark's JVM showed before the forward kept tanh(c'): whether C2 runs out of inlining budget depends on the
 * profile of the whole run; docs/benchmarks.md shows how to look with JFR's allocation samples.)
 */
class TrainingPassAllocationTest {
    private static final int STEPS = 20, BATCH = 8, INPUT = 16, HIDDEN = 64;
    /** Below one boxed vector per row and step (STEPS * BATCH * ~100 bytes), above the records a pass makes. */
    private static final long BYTES_PER_PASS = 4096;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void aTrainingPassAllocatesNoMoreThanItsResults(Cell cell) {
        Recurrent net = cell.build(INPUT, HIDDEN, 1, false, true);
        AllocationAssertions.assertPassesAllocateAtMost(trainingPass(net, STEPS, BATCH, INPUT, HIDDEN), BYTES_PER_PASS,
                cell + " forward and backward");
    }

    /** zeroGrad, forward and backward of {@code net} on fixed random input and output gradients of that shape. */
    private static Runnable trainingPass(Recurrent net, int steps, int batch, int input, int hidden) {
        SplittableRandom random = new SplittableRandom(81);
        float[] x = new float[steps * batch * input];
        float[] dOutput = new float[steps * batch * hidden];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
        for (int i = 0; i < dOutput.length; i++) dOutput[i] = (float) random.nextDouble(-1, 1);
        SequenceBatch sequences = SequenceBatch.of(x, steps, batch);
        return () -> {
            net.zeroGrad();
            net.forward(sequences);
            net.backward(dOutput, null, null);
        };
    }

    /**
     * On two threads too, with steps whose GEMMs split over the pool: the pool's loop record and the GEMM's split are
     * reused, not made per step (before: about 200 bytes per split, 4 KB per pass at M). At M (64 x 1024 x 256 forward)
     * the steps split columns of four-strip groups; at S the backward dL/dh (32 x 128 x 512) has one group of columns
     * and split rows, with new views each step (about 170 bytes per step, 8 KB per pass of 50 steps).
     */
    @ParameterizedTest(name = "B = {0}, H = {1}, T = {2}")
    @CsvSource({"64, 256, 10", "32, 128, 50"})
    void aTwoThreadPassWithSplitStepsAllocatesNoMoreThanItsResults(int batch, int hidden, int steps) {
        int saved = Parallel.threads();
        Parallel.setThreads(2);
        try {
            Recurrent net = Cell.LSTM.build(32, hidden, 1, false, true);
            AllocationAssertions.assertPassesAllocateAtMost(trainingPass(net, steps, batch, 32, hidden), BYTES_PER_PASS,
                    "LSTM forward and backward on two threads, B = " + batch + ", H = " + hidden);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
