package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.DropoutMasks;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.ReferenceFixtures.Cell;
import dev.rnn4j.layer.ReferenceFixtures.Run;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.rnn4j.layer.ReferenceFixtures.assertBitwise;
import static dev.rnn4j.layer.ReferenceFixtures.assertClose;
import static dev.rnn4j.layer.ReferenceFixtures.copyOf;
import static dev.rnn4j.layer.ReferenceFixtures.run;
import static dev.rnn4j.layer.ReferenceFixtures.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What regularisation must do besides having the right gradients ({@link RegularizationGradientCheckTest}):
 * off at inference, zoneout's expectation at inference, masks with the right statistics, reproducible from a seed
 * and independent of the thread count, the configuration rules, layer normalisation's parameters, streaming, and
 * workspace reuse. (That no regularisation means the old bits is {@link RegularizationOffBitwiseTest}.)
 */
class RegularizationTest {
    private static final Regularization EVERYTHING_LSTM = Regularization.builder().inputDropout(0.2).layerDropout(0.3)
            .recurrentDropout(0.25).zoneoutHidden(0.15).zoneoutCell(0.1).layerNorm(true).build();
    private static final Regularization EVERYTHING_GRU = EVERYTHING_LSTM.toBuilder().zoneoutCell(0).build();
    private static final Regularization DROPOUTS = Regularization.builder().inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.25).build();

    /** All options this cell supports. */
    static Regularization everything(Cell cell) {
        return cell.lstm() ? EVERYTHING_LSTM : cell.gru() ? EVERYTHING_GRU : DROPOUTS;
    }

    /** A random 2-layer bidirectional network of the cell with this regularisation, and data with lengths. */
    private record Setup(Recurrent net, SequenceBatch batch, float[] r, float[] rh, float[] rc) {
        Run run() {
            return ReferenceFixtures.run(net, batch, r, rh, rc);
        }

        Run run(Recurrent other) {
            return ReferenceFixtures.run(other, batch, r, rh, rc);
        }
    }

    private static Setup setup(Cell cell, Regularization reg, int steps, int batch, int[] lengths, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Recurrent net = cell.build(3, 4, 2, true, true, reg);
        RegularizationGradientCheckTest.randomize(net, random);
        RecurrentConfig c = net.config();
        int states = c.layers() * c.directions() * batch * c.hiddenSize();
        float[] x = uniform(random, steps * batch * 3, 1);
        float[] h0 = uniform(random, states, 0.8);
        float[] c0 = cell.lstm() ? uniform(random, states, 0.8) : null;
        return new Setup(net, new SequenceBatch(x, steps, batch, lengths, h0, c0), uniform(random, steps * batch * c.outputSize(), 1),
                uniform(random, states, 1), cell.lstm() ? uniform(random, states, 1) : null);
    }

    private static void assertRunsBitwise(String name, Run a, Run b) {
        assertBitwise(name + ": output", a.output(), b.output());
        assertBitwise(name + ": h_n", a.hN(), b.hN());
        assertBitwise(name + ": c_n", a.cN(), b.cN());
        assertBitwise(name + ": dInput", a.dInput(), b.dInput());
        assertBitwise(name + ": dH0", a.dH0(), b.dH0());
        assertBitwise(name + ": dC0", a.dC0(), b.dC0());
        for (Map.Entry<String, float[]> e : a.grads().entrySet()) {
            assertBitwise(name + ": grad of " + e.getKey(), e.getValue(), b.grads().get(e.getKey()));
        }
    }

    // ---- off at inference -------------------------------------------------------------------------------------

    /**
     * Dropout is off at inference: a network with every dropout at 0.5 computes bit for bit what the same weights
     * compute without regularisation, forward and backward, with lengths and two bidirectional layers.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void dropoutAtInferenceIsTheUnregularisedNetworkBitwise(Cell cell) {
        Regularization heavy = Regularization.builder().inputDropout(0.5).layerDropout(0.5).recurrentDropout(0.5).build();
        Setup s = setup(cell, heavy, 5, 3, new int[] {5, 2, 4}, 11);
        Recurrent plain = new Recurrent(s.net().config().withRegularization(Regularization.NONE));
        for (Parameter p : s.net().parameters()) plain.parameter(p.name()).set(p.value());
        assertFalse(s.net().isTraining(), "a new network is in inference mode");
        assertRunsBitwise(cell + " dropout 0.5 at inference vs no regularisation", s.run(plain), s.run());
    }

    /**
     * Zoneout at inference is its expectation, checked against the plain cell step by step: from the (zoned) state
     * (h, c), one step of the plain network gives h̃, c̃, and the zoned network must give p h + (1 - p) h̃ (and the
     * same for c with its own p).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Cell.class, names = {"LSTM", "GRU_RESET_AFTER", "GRU_RESET_BEFORE"})
    void zoneoutAtInferenceIsItsExpectation(Cell cell) {
        float ph = 0.3f, pc = cell.lstm() ? 0.6f : 0f;
        Regularization zone = Regularization.builder().zoneoutHidden(ph).zoneoutCell(pc).build();
        SplittableRandom random = new SplittableRandom(21);
        int steps = 4, batch = 2, in = 3, h = 5;
        Recurrent zoned = cell.build(in, h, 1, false, true, zone);
        ReferenceFixtures.randomize(zoned, random);
        Recurrent plain = new Recurrent(zoned.config().withRegularization(Regularization.NONE));
        for (Parameter p : zoned.parameters()) plain.parameter(p.name()).set(p.value());
        float[] x = uniform(random, steps * batch * in, 1);
        float[] hState = uniform(random, batch * h, 0.8);
        float[] cState = cell.lstm() ? uniform(random, batch * h, 0.8) : null;
        RecurrentOutput all = zoned.forward(new SequenceBatch(x, steps, batch, null, hState, cState));
        float[] output = all.output().clone();
        for (int t = 0; t < steps; t++) {
            float[] xt = new float[batch * in];
            System.arraycopy(x, t * batch * in, xt, 0, xt.length);
            RecurrentOutput one = plain.forward(new SequenceBatch(xt, 1, batch, null, hState, cState));
            float[] expectedH = new float[batch * h];
            for (int i = 0; i < expectedH.length; i++) expectedH[i] = ph * hState[i] + (1 - ph) * one.hN()[i];
            if (cell.lstm()) {
                float[] expectedC = new float[batch * h];
                for (int i = 0; i < expectedC.length; i++) expectedC[i] = pc * cState[i] + (1 - pc) * one.cN()[i];
                cState = expectedC;
            }
            float[] actual = new float[batch * h];
            System.arraycopy(output, t * batch * h, actual, 0, actual.length);
            assertClose(cell + " zoneout h " + ph + " c " + pc + " at inference, step " + t, expectedH, actual, 1e-6, 1e-6, batch, h);
            hState = expectedH;
        }
        assertClose(cell + ": c_n is the expectation too", cState, all.cN(), 1e-6, 1e-6);
        // and the expectation is not the plain network
        RecurrentOutput unzoned = plain.forward(new SequenceBatch(x, steps, batch, null, null, null));
        RecurrentOutput zonedFromZero = zoned.forward(new SequenceBatch(x, steps, batch, null, null, null));
        assertFalse(java.util.Arrays.equals(unzoned.output(), zonedFromZero.output()), "zoneout must change the function");
    }

    // ---- mask statistics --------------------------------------------------------------------------------------

    /**
     * In training each dropout zeros about p of the values it covers (binomial: 5 standard deviations plus a little)
     * and scales the others by exactly 1 / (1 - p); zoneout keeps about p of the units; the recurrent mask is one per
     * sequence and unit (the same at every step: checked through the masked states); and the gradient of the input
     * is zero exactly where its mask dropped the value.
     */
    @Test
    void dropoutAndZoneoutHitAboutPOfTheUnits() {
        int steps = 40, batch = 16, in = 32, hidden = 64;
        Regularization reg = Regularization.builder().inputDropout(0.3).layerDropout(0.45).recurrentDropout(0.2)
                .zoneoutHidden(0.15).zoneoutCell(0.6).build();
        Recurrent net = Lstm.builder().inputSize(in).hiddenSize(hidden).layers(2).regularization(reg).maskSeed(77).build();
        net.setTraining(true);
        float[] x = uniform(new SplittableRandom(3), steps * batch * in, 1);
        net.forward(SequenceBatch.of(x, steps, batch));
        assertDropoutMask("input dropout 0.3", net.inputDropoutMask(), 0.3);
        assertDropoutMask("layer dropout 0.45", net.layerDropoutMask(1), 0.45);
        assertNull(net.layerDropoutMask(0), "layer 0 reads the input, which has its own dropout");
        for (int layer = 0; layer < 2; layer++) {
            assertDropoutMask("recurrent dropout 0.2 of layer " + layer, net.direction(layer, 0).recurrentDropoutMask(), 0.2);
            assertFraction("zoneout h 0.15 of layer " + layer, net.direction(layer, 0).zoneoutHiddenMask(), 1f, 0.15);
            assertFraction("zoneout c 0.6 of layer " + layer, net.direction(layer, 0).zoneoutCellMask(), 1f, 0.6);
        }
        assertEquals(batch * hidden, net.direction(0, 0).recurrentDropoutMask().length, "one recurrent mask [B, H] per pass");
        RecurrentGradients g = net.backward(uniform(new SplittableRandom(4), steps * batch * hidden, 1), null, null);
        float[] mask = net.inputDropoutMask();
        for (int i = 0; i < mask.length; i++) {
            if ((mask[i] == 0) != (g.dInput()[i] == 0)) fail("dInput[" + i + "] = " + g.dInput()[i] + " where the input mask is " + mask[i]);
        }
        // the two layers and the two kinds of mask draw different masks
        assertFalse(java.util.Arrays.equals(net.direction(0, 0).zoneoutHiddenMask(), net.direction(1, 0).zoneoutHiddenMask()));
        assertFalse(java.util.Arrays.equals(net.direction(0, 0).zoneoutHiddenMask(), net.direction(0, 0).zoneoutCellMask()));
    }

    /**
     * Word dropout drops whole steps of a sequence: each step's I mask values are all 0 or all the same kept scale,
     * about p of the steps are dropped, it composes with the per-value input dropout by multiplication, a sequence's
     * dropped steps follow its id and not its row, and the input's gradient is zero on the dropped steps.
     */
    @Test
    void wordDropoutDropsWholeStepsOfASequence() {
        int steps = 50, batch = 12, in = 24, hidden = 16;
        Regularization words = Regularization.builder().wordDropout(0.25).build();
        Recurrent net = Lstm.builder().inputSize(in).hiddenSize(hidden).regularization(words).maskSeed(5).build();
        net.setTraining(true);
        long[] ids = new long[batch];
        for (int b = 0; b < batch; b++) ids[b] = 100 + 7L * b;
        net.setMaskRows(ids);
        float[] x = uniform(new SplittableRandom(8), steps * batch * in, 1);
        net.forward(SequenceBatch.of(x, steps, batch));
        float[] mask = net.inputDropoutMask();
        float[] perStep = new float[steps * batch];
        for (int row = 0; row < steps * batch; row++) {
            perStep[row] = mask[row * in];
            for (int j = 1; j < in; j++) {
                if (mask[row * in + j] != perStep[row]) fail("step row " + row + " is not dropped or kept as a whole: " + mask[row * in + j] + " vs " + perStep[row]);
            }
        }
        assertDropoutMask("word dropout 0.25", perStep, 0.25);
        RecurrentGradients g = net.backward(uniform(new SplittableRandom(9), steps * batch * hidden, 1), null, null);
        for (int i = 0; i < mask.length; i++) {
            if ((mask[i] == 0) != (g.dInput()[i] == 0)) fail("dInput[" + i + "] = " + g.dInput()[i] + " where the input mask is " + mask[i]);
        }

        // the same sequences in reversed rows keep their dropped steps
        long[] reversed = new long[batch];
        float[] xReversed = new float[x.length];
        for (int b = 0; b < batch; b++) {
            reversed[b] = ids[batch - 1 - b];
            for (int t = 0; t < steps; t++) System.arraycopy(x, (t * batch + batch - 1 - b) * in, xReversed, (t * batch + b) * in, in);
        }
        Recurrent again = Lstm.builder().inputSize(in).hiddenSize(hidden).regularization(words).maskSeed(5).build();
        again.setTraining(true);
        again.setMaskRows(reversed);
        again.forward(SequenceBatch.of(xReversed, steps, batch));
        float[] maskReversed = again.inputDropoutMask();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                assertEquals(mask[(t * batch + b) * in], maskReversed[(t * batch + batch - 1 - b) * in], "step " + t + " of sequence " + ids[b]);
            }
        }

        // with input dropout too: the product of the two masks
        Regularization both = Regularization.builder().inputDropout(0.3).wordDropout(0.25).build();
        Recurrent product = Lstm.builder().inputSize(in).hiddenSize(hidden).regularization(both).maskSeed(5).build();
        product.setTraining(true);
        product.setMaskRows(ids);
        product.forward(SequenceBatch.of(x, steps, batch));
        Recurrent valuesOnly = Lstm.builder().inputSize(in).hiddenSize(hidden)
                .regularization(Regularization.builder().inputDropout(0.3).build()).maskSeed(5).build();
        valuesOnly.setTraining(true);
        valuesOnly.setMaskRows(ids);
        valuesOnly.forward(SequenceBatch.of(x, steps, batch));
        float[] m = product.inputDropoutMask(), v = valuesOnly.inputDropoutMask();
        for (int i = 0; i < m.length; i++) assertEquals(v[i] * perStep[i / in], m[i], "mask value " + i);
    }

    private static void assertDropoutMask(String what, float[] mask, double p) {
        assertNotNull(mask, what + ": no mask");
        float scale = (float) (1.0 / (1.0 - (float) p)); // the kernels use the float nearest p
        for (float v : mask) if (v != 0f && v != scale) fail(what + ": mask value " + v + " is neither 0 nor 1/(1-p) = " + scale);
        assertFraction(what, mask, 0f, p);
    }

    private static void assertFraction(String what, float[] mask, float value, double p) {
        assertNotNull(mask, what + ": no mask");
        int hits = 0;
        for (float v : mask) if (v == value) hits++;
        double fraction = (double) hits / mask.length, sd = Math.sqrt(p * (1 - p) / mask.length);
        assertTrue(Math.abs(fraction - p) <= 5 * sd + 1e-3, what + ": fraction " + fraction + " of " + mask.length + " is not about " + p);
    }

    /** The mask function itself: uniform draws have mean 1/2 and hit p of a long stream. */
    @Test
    void maskDrawsAreUniform() {
        long key = DropoutMasks.streamKey(123, 4);
        double sum = 0;
        int n = 200_000, below = 0;
        for (int i = 0; i < n; i++) {
            float u = DropoutMasks.uniform(key, i);
            assertTrue(u >= 0 && u < 1, "uniform in [0, 1): " + u);
            sum += u;
            if (u < 0.37f) below++;
        }
        assertEquals(0.5, sum / n, 0.005);
        assertEquals(0.37, (double) below / n, 0.005);
        float[] filled = new float[1000];
        DropoutMasks.fill(key, 0.37f, 0f, 2f, filled, 0, filled.length);
        for (int i = 0; i < filled.length; i++) assertEquals(DropoutMasks.uniform(key, i) < 0.37f ? 0f : 2f, filled[i]);
    }

    // ---- reproducibility --------------------------------------------------------------------------------------

    /**
     * Training passes from the same mask seed are bit for bit identical (masks, outputs and gradients), including
     * with 4 kernel threads instead of 1 (the masks are exactly the same; results agree to rounding, as GEMM splits
     * differ); consecutive passes draw new masks.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void trainingIsReproducibleFromTheMaskSeedWhateverTheThreadCount(Cell cell) {
        int saved = Parallel.threads();
        try {
            Setup s = setup(cell, everything(cell), 5, 3, new int[] {5, 2, 4}, 31);
            Recurrent net = s.net();
            net.setTraining(true);
            Parallel.setThreads(1);
            net.setMaskSeed(99);
            Run first = s.run();
            float[] firstMasks = allMasks(net);
            Run second = s.run();
            assertFalse(java.util.Arrays.equals(firstMasks, allMasks(net)), cell + ": the next pass draws new masks");
            net.setMaskSeed(99);
            Run again = s.run();
            assertArrayEquals(firstMasks, allMasks(net), cell + ": the same seed gives the same masks");
            assertRunsBitwise(cell + " same mask seed, run twice", first, again);
            Recurrent twin = copyOf(net);
            twin.setTraining(true);
            twin.setMaskSeed(99);
            assertRunsBitwise(cell + " a copy with the same mask seed", first, s.run(twin));

            Parallel.setThreads(4);
            net.setMaskSeed(99);
            Run parallel = s.run();
            assertArrayEquals(firstMasks, allMasks(net), cell + ": 4 threads draw the same masks");
            assertClose(cell + " 4 threads vs 1: output", first.output(), parallel.output(), 1e-5, 1e-5);
            assertClose(cell + " 4 threads vs 1: dInput", first.dInput(), parallel.dInput(), 1e-5, 1e-5);
            assertNotNull(second);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Every mask of the last pass, concatenated (empty pieces for options that are off). */
    private static float[] allMasks(Recurrent net) {
        java.util.List<float[]> parts = new java.util.ArrayList<>();
        parts.add(net.inputDropoutMask());
        for (int l = 1; l < net.config().layers(); l++) parts.add(net.layerDropoutMask(l));
        for (int l = 0; l < net.config().layers(); l++) {
            for (int d = 0; d < net.config().directions(); d++) {
                parts.add(net.direction(l, d).recurrentDropoutMask());
                parts.add(net.direction(l, d).zoneoutHiddenMask());
                parts.add(net.direction(l, d).zoneoutCellMask());
            }
        }
        int n = 0;
        for (float[] p : parts) n += p == null ? 0 : p.length;
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            if (p == null) continue;
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Backward follows its forward pass: switching to inference between them changes nothing. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void backwardUsesTheModeAndMasksOfItsForwardPass(Cell cell) {
        Setup s = setup(cell, everything(cell), 4, 3, new int[] {4, 1, 3}, 41);
        Recurrent net = s.net();
        net.setTraining(true);
        net.setMaskSeed(5);
        Run expected = s.run();
        net.setMaskSeed(5);
        net.zeroGrad();
        RecurrentOutput out = net.forward(s.batch());
        assertBitwise(cell + ": output", expected.output(), java.util.Arrays.copyOf(out.output(), expected.output().length));
        net.setTraining(false);
        RecurrentGradients g = net.backward(s.r(), s.rh(), s.rc());
        assertBitwise(cell + ": dInput", expected.dInput(), java.util.Arrays.copyOf(g.dInput(), expected.dInput().length));
        for (Parameter p : net.parameters()) assertBitwise(cell + ": grad of " + p.name(), expected.grads().get(p.name()), p.grad());
    }

    // ---- workspace reuse and padding --------------------------------------------------------------------------

    /**
     * One network called in training mode with a sequence of different (T, B) and random lengths gives exactly
     * what a fresh copy gives from the same mask seed: the regularisation buffers are resized and reused correctly.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void repeatedCallsWithDifferentShapesEqualFreshNetworks(Cell cell) {
        Setup base = setup(cell, everything(cell), 2, 1, null, 51);
        Recurrent net = base.net();
        net.setTraining(true);
        SplittableRandom random = new SplittableRandom(52);
        int[][] shapes = {{5, 3}, {2, 1}, {8, 5}, {1, 2}, {5, 3}, {3, 7}};
        RecurrentConfig c = net.config();
        for (int i = 0; i < shapes.length; i++) {
            int steps = shapes[i][0], batch = shapes[i][1];
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) lengths[b] = 1 + random.nextInt(steps);
            int states = c.layers() * c.directions() * batch * c.hiddenSize();
            SequenceBatch data = new SequenceBatch(uniform(random, steps * batch * 3, 1), steps, batch, lengths,
                    uniform(random, states, 0.8), cell.lstm() ? uniform(random, states, 0.8) : null);
            float[] r = uniform(random, steps * batch * c.outputSize(), 1), rh = uniform(random, states, 1);
            float[] rc = cell.lstm() ? uniform(random, states, 1) : null;
            net.setMaskSeed(1000 + i);
            Run reused = run(net, data, r, rh, rc);
            Recurrent fresh = copyOf(net);
            fresh.setTraining(true);
            fresh.setMaskSeed(1000 + i);
            assertRunsBitwise(cell + ", call " + i + " T=" + steps + " B=" + batch + ": reused vs fresh", run(fresh, data, r, rh, rc), reused);
        }
    }

    /** NaN or huge padding changes nothing with every option on in training, and padded outputs and dInput are zero. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void paddingDoesNotLeakThroughRegularisation(Cell cell) {
        int[] lengths = {2, 5, 1, 4};
        Setup s = setup(cell, everything(cell), 5, 4, lengths, 61);
        s.net().setTraining(true);
        s.net().setMaskSeed(8);
        Run clean = s.run();
        float[] dirty = s.batch().input().clone();
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < 4; b++) if (t >= lengths[b]) for (int k = 0; k < 3; k++) dirty[(t * 4 + b) * 3 + k] = b % 2 == 0 ? Float.NaN : 1e6f;
        }
        s.net().setMaskSeed(8);
        Run nan = ReferenceFixtures.run(s.net(), new SequenceBatch(dirty, 5, 4, lengths, s.batch().h0(), s.batch().c0()), s.r(), s.rh(), s.rc());
        assertRunsBitwise(cell + " NaN / 1e6 padding", clean, nan);
        int width = s.net().config().outputSize();
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < 4; b++) {
                if (t < lengths[b]) continue;
                for (int k = 0; k < width; k++) assertEquals(0f, clean.output()[(t * 4 + b) * width + k], "padded output");
                for (int k = 0; k < 3; k++) assertEquals(0f, clean.dInput()[(t * 4 + b) * 3 + k], "padded dInput");
            }
        }
    }

    // ---- configuration ----------------------------------------------------------------------------------------

    @Test
    void unsupportedCombinationsAreRejectedWithAClearMessage() {
        Regularization ln = Regularization.builder().layerNorm(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimpleRnn.builder().inputSize(2).hiddenSize(3).regularization(ln).build());
        assertTrue(e.getMessage().contains("layer normalisation") && e.getMessage().contains("simple RNN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SimpleRnn.builder().inputSize(2).hiddenSize(3)
                .regularization(Regularization.builder().zoneoutHidden(0.1).build()).build());
        assertTrue(e.getMessage().contains("zoneout") && e.getMessage().contains("simple RNN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gru.builder().inputSize(2).hiddenSize(3)
                .regularization(Regularization.builder().zoneoutCell(0.1).build()).build());
        assertTrue(e.getMessage().contains("zoneoutCell") && e.getMessage().contains("cell state"), e.getMessage());
        for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> Regularization.builder().recurrentDropout(bad).build());
            assertTrue(e.getMessage().contains("recurrentDropout"), e.getMessage());
        }
        Recurrent lstm = Lstm.builder().inputSize(2).hiddenSize(3).build();
        e = assertThrows(IllegalArgumentException.class, () -> lstm.setRegularization(ln));
        assertTrue(e.getMessage().contains("layer normalisation"), e.getMessage());
        Recurrent rnn = SimpleRnn.builder().inputSize(2).hiddenSize(3).build();
        assertThrows(IllegalArgumentException.class, () -> rnn.setRegularization(Regularization.builder().zoneoutHidden(0.2).build()));
        assertEquals(Regularization.NONE, rnn.regularization(), "a rejected setting leaves the network as it was");
        // a simple RNN takes all three dropouts
        rnn.setRegularization(DROPOUTS);
        assertEquals(DROPOUTS, rnn.config().regularization());
    }

    /** The configuration carries the regularisation; the old 8-argument constructor means none. */
    @Test
    void theConfigurationCarriesTheRegularisation() {
        Recurrent net = Gru.builder().inputSize(2).hiddenSize(3).regularization(EVERYTHING_GRU).build();
        assertEquals(EVERYTHING_GRU, net.config().regularization());
        assertTrue(net.config().layerNorm());
        RecurrentConfig old = new RecurrentConfig(CellType.GRU, 2, 3, 1, false, true, Nonlinearity.TANH, GruVariant.RESET_AFTER);
        assertEquals(Regularization.NONE, old.regularization());
        assertEquals(net.config(), old.withRegularization(EVERYTHING_GRU));
        assertEquals(new Regularization(0, 0, 0, 0.15, 0, true), EVERYTHING_GRU.inferenceRelevant());
        assertTrue(Regularization.NONE.isNone());
        Regularization changed = EVERYTHING_GRU.toBuilder().recurrentDropout(0.5).build();
        net.setRegularization(changed);
        assertEquals(changed, net.config().regularization());
    }

    /**
     * Layer normalisation adds, per (layer, direction) and after the biases, ln_ih_weight/bias, ln_hh_weight/bias
     * [G*H] and (LSTM) ln_c_weight/bias [H]; the builder starts the gains at 1 and the biases at 0 and draws the
     * other parameters exactly as without layer normalisation; a bare {@code new Recurrent} also starts gains at 1.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Cell.class, names = {"LSTM", "GRU_RESET_AFTER", "GRU_RESET_BEFORE"})
    void layerNormParametersAreNamedShapedAndInitialised(Cell cell) {
        Recurrent with = cell.build(3, 4, 2, true, true, Regularization.builder().layerNorm(true).build());
        Recurrent without = cell.build(3, 4, 2, true, true);
        int g = with.config().gateRows();
        List<String> names = with.parameters().stream().map(Parameter::name).toList();
        String expectedFirst = cell.lstm()
                ? "[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ln_ih_weight_l0, ln_ih_bias_l0, ln_hh_weight_l0, ln_hh_bias_l0, ln_c_weight_l0, ln_c_bias_l0]"
                : "[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ln_ih_weight_l0, ln_ih_bias_l0, ln_hh_weight_l0, ln_hh_bias_l0]";
        assertEquals(expectedFirst, names.subList(0, cell.lstm() ? 10 : 8).toString());
        assertTrue(names.contains("ln_hh_bias_l1_reverse"), names.toString());
        assertEquals(without.parameters().size() + 4 * (cell.lstm() ? 6 : 4), names.size());
        for (Parameter p : with.parameters()) {
            if (!Recurrent.isLayerNormParameter(p.name())) {
                assertArrayEquals(without.parameter(p.name()).value(), p.value(), p.name() + " is drawn as without layer norm");
                continue;
            }
            int size = p.name().startsWith("ln_c_") ? 4 : g;
            assertArrayEquals(new int[] {size}, p.shape(), p.name());
            float expected = p.name().contains("_weight") ? 1f : 0f;
            for (float v : p.value()) assertEquals(expected, v, p.name());
        }
        Recurrent bare = new Recurrent(with.config());
        for (float v : bare.parameter("ln_hh_weight_l1").value()) assertEquals(1f, v);
        assertThrows(IllegalArgumentException.class, () -> without.parameter("ln_ih_weight_l0"));
    }

    // ---- streaming --------------------------------------------------------------------------------------------

    /**
     * Every cell streams without allocating, regularised or not (the reset-before GRU's second GEMM used to build
     * its operand views per step; they are now built once with the workspace).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void everyCellStreamsWithoutAllocating(Cell cell) {
        for (Regularization reg : new Regularization[] {Regularization.NONE, everything(cell)}) {
            Recurrent net = cell.build(32, 128, 2, false, true, reg);
            RecurrentStream stream = new RecurrentStream(net, 1);
            float[] in = uniform(new SplittableRandom(74), 32, 1);
            AllocationAssertions.assertStepsAllocateNothing(() -> stream.step(in), cell + " " + reg);
        }
    }

    /**
     * A stream runs in inference mode even when the network is training, applies layer normalisation and zoneout's
     * expectation as one forward pass does, and allocates nothing per step (LSTM and GRU, B=1, I=32, H=128).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Cell.class, names = {"LSTM", "GRU_RESET_AFTER", "GRU_RESET_BEFORE"})
    void streamingWithLayerNormAndZoneoutEqualsOnePassAndAllocatesNothing(Cell cell) {
        Recurrent net = cell.build(4, 6, 2, false, true, everything(cell));
        ReferenceFixtures.randomize(net, new SplittableRandom(71));
        int steps = 6, batch = 2;
        float[] x = uniform(new SplittableRandom(72), steps * batch * 4, 1);
        RecurrentOutput whole = net.forward(SequenceBatch.of(x, steps, batch));
        float[] expected = whole.output().clone();
        net.setTraining(true); // must not matter to the stream
        RecurrentStream stream = new RecurrentStream(net, batch);
        float[] step = new float[batch * 4];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(x, t * batch * 4, step, 0, step.length);
            float[] y = stream.step(step);
            float[] e = new float[batch * 6];
            System.arraycopy(expected, t * batch * 6, e, 0, e.length);
            assertArrayEquals(e, y, 1e-6f, cell + ": stream output at step " + t);
        }

        Recurrent big = cell.build(32, 128, 1, false, true, everything(cell));
        RecurrentStream bigStream = new RecurrentStream(big, 1);
        float[] in = uniform(new SplittableRandom(73), 32, 1);
        AllocationAssertions.assertStepsAllocateNothing(() -> bigStream.step(in), cell + " regularised");
    }
}
