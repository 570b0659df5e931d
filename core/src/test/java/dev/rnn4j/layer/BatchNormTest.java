package dev.rnn4j.layer;

import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.rnn4j.layer.ReferenceFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch-normalised LSTM beside its gradient check ({@link BatchNormGradientCheckTest}): the layer against stepping
 * it by hand (a stream) and against a hand computation, the population statistics (which rows and steps they come
 * from, and that inference reads them), and the settings it refuses.
 */
class BatchNormTest {

    private static Recurrent network(int in, int hidden, int layers, boolean bidirectional, int maxSteps, long seed) {
        Recurrent net = Lstm.builder().inputSize(in).hiddenSize(hidden).layers(layers).bidirectional(bidirectional)
                .regularization(Regularization.builder().batchNorm(maxSteps).build()).build();
        BatchNormGradientCheckTest.randomize(net, new SplittableRandom(seed));
        return net;
    }

    private static float[] uniform(long seed, int n) {
        return ReferenceFixtures.uniform(new SplittableRandom(seed), n, 1.0);
    }

    /** Flax's numerical equivalence: one inference pass over T steps equals feeding them one at a time to a stream. */
    @Test
    void inferencePassEqualsSteppingAStreamByHand() {
        int t = 7, b = 3, in = 4, h = 5;
        Recurrent net = network(in, h, 2, false, 3, 1); // T_max = 3 < T: steps 2..6 share the last row of statistics
        float[] x = uniform(2, t * b * in);
        RecurrentOutput whole = net.forward(SequenceBatch.of(x, t, b));
        float[] expected = whole.output().clone(), expectedH = whole.hN().clone(), expectedC = whole.cN().clone();

        RecurrentStream stream = new RecurrentStream(net, b);
        for (int round = 0; round < 2; round++) { // and again after reset(), which starts the positions at 0
            float[] stepInput = new float[b * in];
            for (int step = 0; step < t; step++) {
                assertEquals(step, stream.position());
                System.arraycopy(x, step * b * in, stepInput, 0, b * in);
                float[] y = stream.step(stepInput);
                float[] want = new float[b * h];
                System.arraycopy(expected, step * b * h, want, 0, b * h);
                assertArrayEquals(want, y, 1e-6f, "round " + round + ", step " + step);
            }
            assertArrayEquals(expectedH, stream.hiddenState(), 1e-6f, "h_n");
            assertArrayEquals(expectedC, stream.cellState(), 1e-6f, "c_n");
            stream.reset();
        }
    }

    /** I = H = 1, B = 1, two steps, from the equations with the population statistics written out. */
    @Test
    void populationInferenceMatchesAHandComputation() {
        Recurrent net = Lstm.builder().inputSize(1).hiddenSize(1).regularization(Regularization.builder().batchNorm(2).build()).build();
        net.parameter("weight_ih_l0").set(new float[] {0.5f, -0.4f, 0.3f, 0.8f});  // i, f, g, o
        net.parameter("weight_hh_l0").set(new float[] {-0.7f, 0.2f, 0.9f, -0.1f});
        net.parameter("bias_ih_l0").set(new float[] {0.1f, 0.6f, -0.2f, 0.05f});
        net.parameter("bias_hh_l0").set(new float[] {-0.3f, 0.4f, 0.1f, 0.2f});
        net.parameter("bn_ih_weight_l0").set(new float[] {0.9f, 1.1f, 1.3f, 0.7f});
        net.parameter("bn_hh_weight_l0").set(new float[] {1.2f, 0.8f, 0.6f, 1.4f});
        net.parameter("bn_c_weight_l0").set(new float[] {0.75f});
        net.parameter("bn_c_bias_l0").set(new float[] {0.25f});
        float[] ihMean = {0.1f, -0.2f, 0.05f, 0.3f, -0.1f, 0.15f, 0.2f, -0.25f}, ihVar = {0.5f, 0.8f, 1.2f, 0.9f, 1.1f, 0.6f, 0.7f, 1.3f};
        float[] hhMean = {0.02f, 0.1f, -0.05f, 0.07f, -0.12f, 0.04f, 0.09f, -0.03f}, hhVar = {0.3f, 0.4f, 0.5f, 0.6f, 0.35f, 0.45f, 0.55f, 0.65f};
        float[] cMean = {0.2f, -0.1f}, cVar = {0.4f, 0.9f};
        net.buffer("bn_ih_running_mean_l0").set(ihMean);
        net.buffer("bn_ih_running_var_l0").set(ihVar);
        net.buffer("bn_hh_running_mean_l0").set(hhMean);
        net.buffer("bn_hh_running_var_l0").set(hhVar);
        net.buffer("bn_c_running_mean_l0").set(cMean);
        net.buffer("bn_c_running_var_l0").set(cVar);
        float[] x = {0.6f, -1.2f};

        double h = 0.2, c = -0.3; // h0, c0
        double[] expected = new double[2];
        for (int t = 0; t < 2; t++) {
            double[] pre = new double[4];
            for (int k = 0; k < 4; k++) {
                int s = t * 4 + k; // row t of the [T_max = 2, 4H = 4] statistics
                double ih = net.parameter("bn_ih_weight_l0").value()[k] * (net.parameter("weight_ih_l0").value()[k] * x[t] - ihMean[s])
                        / Math.sqrt(ihVar[s] + 1e-5);
                double hh = net.parameter("bn_hh_weight_l0").value()[k] * (net.parameter("weight_hh_l0").value()[k] * h - hhMean[s])
                        / Math.sqrt(hhVar[s] + 1e-5);
                pre[k] = ih + hh + net.parameter("bias_ih_l0").value()[k] + net.parameter("bias_hh_l0").value()[k];
            }
            double i = 1 / (1 + Math.exp(-pre[0])), f = 1 / (1 + Math.exp(-pre[1])), g = Math.tanh(pre[2]), o = 1 / (1 + Math.exp(-pre[3]));
            c = f * c + i * g;
            h = o * Math.tanh(0.75 * (c - cMean[t]) / Math.sqrt(cVar[t] + 1e-5) + 0.25);
            expected[t] = h;
        }
        RecurrentOutput out = net.forward(new SequenceBatch(x, 2, 1, null, new float[] {0.2f}, new float[] {-0.3f}));
        assertEquals(expected[0], out.output()[0], 1e-6, "h_0");
        assertEquals(expected[1], out.output()[1], 1e-6, "h_1");
        assertEquals(c, out.cN()[0], 1e-6, "c_1");
    }

    /** Inference reads row min(t, T_max - 1): changing row T_max - 1 changes the steps from T_max - 1 on, and only those. */
    @Test
    void stepsFromTmaxOnShareTheLastRowOfStatistics() {
        int t = 6, b = 2, in = 3, h = 4, maxSteps = 3;
        Recurrent net = network(in, h, 1, false, maxSteps, 3);
        float[] x = uniform(4, t * b * in);
        float[] before = net.forward(SequenceBatch.of(x, t, b)).output().clone();
        Buffer mean = net.buffer("bn_c_running_mean_l0");
        float[] changed = mean.value().clone();
        for (int j = 0; j < h; j++) changed[(maxSteps - 1) * h + j] += 0.5f;
        mean.set(changed);
        float[] after = net.forward(SequenceBatch.of(x, t, b)).output();
        int perStep = b * h;
        for (int step = 0; step < t; step++) {
            boolean same = true;
            for (int k = 0; k < perStep; k++) same &= before[step * perStep + k] == after[step * perStep + k];
            assertEquals(step < maxSteps - 1, same, "step " + step + " reads row min(t, T_max - 1) = " + Math.min(step, maxSteps - 1));
        }
    }

    /**
     * Training normalises with the batch's statistics: its output does not depend on the population statistics, which it
     * moves towards the batch's (here from a hand computation of one step: the mean and unbiased variance of W_ih x over
     * the rows).
     */
    @Test
    void trainingUsesBatchStatisticsAndMovesThePopulationTowardsThem() {
        int t = 2, b = 4, in = 3, h = 2;
        Recurrent net = network(in, h, 1, false, 2, 5);
        float[] x = uniform(6, t * b * in);
        float[] meanBefore = net.buffer("bn_ih_running_mean_l0").value().clone();
        float[] varBefore = net.buffer("bn_ih_running_var_l0").value().clone();
        net.setTraining(true);
        float[] first = net.forward(SequenceBatch.of(x, t, b)).output().clone();
        Recurrent other = ReferenceFixtures.copyOf(net);
        for (Buffer buffer : other.buffers()) buffer.set(uniform(7, buffer.size()));
        other.setTraining(true);
        assertArrayEquals(first, other.forward(SequenceBatch.of(x, t, b)).output(), "training output does not read the population");

        float[] w = net.parameter("weight_ih_l0").value();
        for (int step = 0; step < t; step++) {
            for (int j = 0; j < 4 * h; j++) {
                double[] v = new double[b];
                double mean = 0;
                for (int row = 0; row < b; row++) {
                    for (int k = 0; k < in; k++) v[row] += w[j * in + k] * x[(step * b + row) * in + k];
                    mean += v[row] / b;
                }
                double ss = 0;
                for (double value : v) ss += (value - mean) * (value - mean);
                int at = step * 4 * h + j;
                assertEquals(0.9 * meanBefore[at] + 0.1 * mean, net.buffer("bn_ih_running_mean_l0").value()[at], 1e-6, "mean " + at);
                assertEquals(0.9 * varBefore[at] + 0.1 * ss / (b - 1), net.buffer("bn_ih_running_var_l0").value()[at], 1e-6, "variance " + at);
            }
        }
        net.setTraining(false);
        assertFalse(java.util.Arrays.equals(first, net.forward(SequenceBatch.of(x, t, b)).output()), "inference reads the population");
    }

    /**
     * Padded rows never count: with lengths [4, 1, 3, 2] steps 1..3 are normalised over 3, 2 and 1 rows, whatever the
     * padding holds, as the reference (which builds each step's statistics from the valid rows only) computes; a step
     * with a single valid row (3) or none (4) leaves its population row alone.
     */
    @Test
    void statisticsComeFromTheValidRowsOnly() {
        int t = 5, b = 4, in = 3, h = 3;
        int[] lengths = {4, 1, 3, 2}; // valid rows: 4, 3, 2, 1 and 0 at steps 0..4
        Recurrent net = network(in, h, 2, true, 5, 8);
        float[] x = uniform(9, t * b * in);
        float[] garbage = x.clone();
        for (int step = 0; step < t; step++) {
            for (int row = 0; row < b; row++) {
                if (step >= lengths[row]) for (int k = 0; k < in; k++) garbage[(step * b + row) * in + k] = 1e6f * (k + 1);
            }
        }
        int states = 2 * 2 * b * h;
        float[] h0 = uniform(10, states), c0 = uniform(11, states);
        var before = BatchNormReference.buffersOf(net);
        Recurrent twin = ReferenceFixtures.copyOf(net);
        net.setTraining(true);
        twin.setTraining(true);
        float[] out = net.forward(new SequenceBatch(x, t, b, lengths, h0, c0)).output().clone();
        assertArrayEquals(out, twin.forward(new SequenceBatch(garbage, t, b, lengths, h0, c0)).output(), "padding does not count");

        BatchNormReference.Result ref = new BatchNormReference(net.config(), ReferenceRecurrent.parametersOf(net), before)
                .forward(toDouble(x), t, b, lengths, toDouble(h0), toDouble(c0), true, null);
        ReferenceFixtures.assertClose("output", ref.output(), out, 1e-5, 1e-5, t, b, 2 * h);
        for (Buffer buffer : net.buffers()) {
            ReferenceFixtures.assertClose(buffer.name(), ref.running().get(buffer.name()), buffer.value(), 1e-5, 1e-5, buffer.shape());
        }
        // rows 3 and 4 of every statistic (one valid row, none) are as they were
        for (Buffer buffer : net.buffers()) {
            int width = buffer.shape()[1];
            for (int j = 3 * width; j < 5 * width; j++) assertEquals(before.get(buffer.name())[j], buffer.value()[j], 0.0, buffer.name() + "[" + j + "]");
        }
    }

    /**
     * A step's columns split over threads (64 rows of 4H = 256 columns split into chunks): the same results as one thread,
     * up to the GEMMs' own summation order, and bitwise the same when run twice.
     */
    @Test
    void splittingTheColumnsOverThreadsChangesNothing() {
        int saved = Parallel.threads();
        try {
            int t = 6, b = 64, in = 8, h = 64;
            float[] x = uniform(20, t * b * in), dOut = uniform(21, t * b * h);
            int[] lengths = new int[b];
            for (int row = 0; row < b; row++) lengths[row] = 1 + row % t;
            ReferenceFixtures.Run[] runs = new ReferenceFixtures.Run[3];
            int[] threads = {1, 4, 4};
            for (int i = 0; i < runs.length; i++) {
                Parallel.setThreads(threads[i]);
                Recurrent net = network(in, h, 1, false, t, 22);
                net.setTraining(true);
                runs[i] = ReferenceFixtures.run(net, new SequenceBatch(x, t, b, lengths, null, null), dOut, null, null);
            }
            ReferenceFixtures.assertClose("output, 4 threads vs 1", runs[0].output(), runs[1].output(), 1e-5, 1e-5, t, b, h);
            ReferenceFixtures.assertClose("dInput, 4 threads vs 1", runs[0].dInput(), runs[1].dInput(), 1e-5, 1e-5, t, b, in);
            for (String p : runs[0].grads().keySet()) {
                ReferenceFixtures.assertClose(p + ", 4 threads vs 1", runs[0].grads().get(p), runs[1].grads().get(p), 1e-4, 1e-4);
                ReferenceFixtures.assertBitwise(p + ", 4 threads twice", runs[1].grads().get(p), runs[2].grads().get(p));
            }
            ReferenceFixtures.assertBitwise("output, 4 threads twice", runs[1].output(), runs[2].output());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** The streaming contract holds with batch normalisation: after warm-up, a step allocates nothing. */
    @Test
    void aStreamStepAllocatesNothing() {
        Recurrent net = network(16, 32, 1, false, 10, 12);
        RecurrentStream stream = new RecurrentStream(net, 1);
        float[] x = uniform(13, 16);
        AllocationAssertions.assertStepsAllocateNothing(() -> stream.step(x), "BN-LSTM stream");
    }

    /** A training pass allocates no more with batch normalisation than without (its buffers are allocated once). */
    @Test
    void aTrainingPassAllocatesNoMoreThanItsResults() {
        int steps = 20, batch = 8, in = 16, hidden = 64;
        Recurrent net = network(in, hidden, 1, false, steps, 14);
        net.setTraining(true);
        float[] x = uniform(15, steps * batch * in), dOutput = uniform(16, steps * batch * hidden);
        SequenceBatch input = SequenceBatch.of(x, steps, batch);
        AllocationAssertions.assertPassesAllocateAtMost(() -> {
            net.zeroGrad();
            net.forward(input);
            net.backward(dOutput, null, null);
        }, 4096, "BN-LSTM forward and backward");
    }

    @Test
    void parametersAndBuffersHaveTheirNamesShapesAndInitialValues() {
        Recurrent net = Lstm.builder().inputSize(3).hiddenSize(2).bidirectional(true).regularization(Regularization.builder().batchNorm(5).build())
                .build();
        List<String> bn = net.parameters().stream().map(Parameter::name).filter(n -> n.startsWith("bn_")).toList();
        assertEquals(List.of("bn_ih_weight_l0", "bn_hh_weight_l0", "bn_c_weight_l0", "bn_c_bias_l0", "bn_ih_weight_l0_reverse",
                "bn_hh_weight_l0_reverse", "bn_c_weight_l0_reverse", "bn_c_bias_l0_reverse"), bn);
        for (String name : bn) {
            for (float v : net.parameter(name).value()) assertEquals(name.contains("_weight") ? 0.1f : 0f, v, name);
        }
        assertEquals(List.of("bn_ih_running_mean_l0[5, 8]", "bn_ih_running_var_l0[5, 8]", "bn_hh_running_mean_l0[5, 8]",
                "bn_hh_running_var_l0[5, 8]", "bn_c_running_mean_l0[5, 2]", "bn_c_running_var_l0[5, 2]", "bn_ih_running_mean_l0_reverse[5, 8]",
                "bn_ih_running_var_l0_reverse[5, 8]", "bn_hh_running_mean_l0_reverse[5, 8]", "bn_hh_running_var_l0_reverse[5, 8]",
                "bn_c_running_mean_l0_reverse[5, 2]", "bn_c_running_var_l0_reverse[5, 2]"), net.buffers().stream().map(Buffer::toString).toList());
        for (Buffer buffer : net.buffers()) {
            for (float v : buffer.value()) assertEquals(buffer.name().contains("_var") ? 1f : 0f, v, buffer.name());
        }
        assertTrue(Lstm.builder().inputSize(3).hiddenSize(2).build().buffers().isEmpty(), "no buffers without batch normalisation");
    }

    @Test
    void refusesOtherCellsBothNormalisationsAndSwitching() {
        Regularization bn = Regularization.builder().batchNorm(10).build();
        IllegalArgumentException gru = assertThrows(IllegalArgumentException.class,
                () -> Gru.builder().inputSize(2).hiddenSize(3).regularization(bn).build());
        assertEquals("batch normalisation is implemented for the LSTM, not the GRU (layer normalisation works for the GRU)", gru.getMessage());
        IllegalArgumentException rnn = assertThrows(IllegalArgumentException.class,
                () -> SimpleRnn.builder().inputSize(2).hiddenSize(3).regularization(bn).build());
        assertEquals("batch normalisation is implemented for the LSTM, not the simple RNN (layer normalisation works for the GRU)", rnn.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> Regularization.builder().layerNorm(true).batchNorm(10).build());
        assertEquals("layer normalisation and batch normalisation do not go together: choose one", both.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Regularization.builder().batchNorm(-1).build());
        assertEquals("batch normalisation needs 1..100000 steps of statistics (0: off), got -1", negative.getMessage());

        Recurrent net = Lstm.builder().inputSize(2).hiddenSize(3).regularization(bn).build();
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> net.setRegularization(Regularization.NONE));
        assertTrue(off.getMessage().startsWith("batch normalisation (10 steps of statistics) is part of this network"), off.getMessage());
        net.setRegularization(bn.toBuilder().zoneoutHidden(0.1).build()); // other settings may change
        assertEquals(0.1, net.regularization().zoneoutHidden());
        assertEquals(10, net.regularization().batchNormSteps());
    }
}
