package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.ReferenceFixtures.Case;
import dev.rnn4j.layer.ReferenceFixtures.Cell;
import dev.rnn4j.layer.ReferenceFixtures.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.rnn4j.layer.ReferenceFixtures.assertClose;
import static dev.rnn4j.layer.ReferenceFixtures.at;
import static dev.rnn4j.layer.ReferenceFixtures.str;
import static dev.rnn4j.layer.ReferenceFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * First the double reference is checked on its own (hand-computed single steps, and the packed-sequence and
 * bidirectional properties it must have by construction); then the production float forward pass is checked
 * against it on every case of the gradient check, which is what makes the reference's finite differences a
 * statement about the production network.
 */
class ReferenceRecurrentTest {
    /** Float forward vs double reference: each step rounds to float, errors stay around 1e-7 per step. */
    private static final double FORWARD_ATOL = 1e-5;
    private static final double FORWARD_RTOL = 1e-5;
    /** The hand-computed values were produced by numpy in double; the reference may differ only by rounding. */
    private static final double HAND_TOL = 1e-14;

    private static final double[] X = {0.5, -1.0};
    private static final double[] H0 = {0.3, -0.2};
    private static final double[] C0 = {0.7, -0.4};

    // ---- the reference against hand-computed single steps (I = 2, H = 2, one step) --------------------------
    // Expected values computed with numpy straight from the equations, e.g. for the LSTM:
    //   g = W_ih @ x + b_ih + W_hh @ h + b_hh;  i, f, gg, o = sig(g[0:2]), sig(g[2:4]), tanh(g[4:6]), sig(g[6:8])
    //   c' = f*c + i*gg;  h' = o*tanh(c')

    @Test
    void lstmOneStepMatchesHandComputedValues() {
        Map<String, double[]> p = params(
                new double[] {-0.5, 0.01, 0.52, -0.3, 0.21, -0.58, -0.1, 0.41, -0.38, 0.1, 0.61, -0.18, 0.3, -0.49, 0.02, 0.5},
                new double[] {-0.3, 0.41, -0.18, 0.5, -0.09, 0.62, 0.0, -0.59, 0.12, -0.5, 0.21, -0.38, 0.3, -0.29, 0.42, -0.2},
                new double[] {-0.4, -0.09, 0.22, 0.5, -0.49, -0.18, 0.1, 0.41},
                new double[] {-0.1, 0.31, -0.58, -0.2, 0.21, 0.62, -0.3, 0.11});
        ReferenceRecurrent ref = new ReferenceRecurrent(config(CellType.LSTM, null, null), p);
        ReferenceRecurrent.Result r = ref.forward(X, 1, 1, null, H0, C0);
        assertValues("LSTM h'", new double[] {0.16644268260375827, 0.16843949104659148}, r.hN());
        assertValues("LSTM c'", new double[] {0.26491949359587597, 0.31711814545496275}, r.cN());
        assertValues("LSTM output", new double[] {0.16644268260375827, 0.16843949104659148}, r.output());
    }

    @Test
    void gruOneStepMatchesHandComputedValuesForBothVariants() {
        Map<String, double[]> p = params(
                new double[] {-0.4, 0.11, 0.62, -0.2, 0.31, -0.48, 0.0, 0.51, -0.28, 0.2, -0.59, -0.08},
                new double[] {-0.2, 0.51, -0.08, 0.6, 0.01, -0.58, 0.1, -0.49, 0.22, -0.4, 0.31, -0.28},
                new double[] {-0.5, -0.19, 0.12, 0.4, -0.59, -0.28},
                new double[] {0.0, 0.41, -0.48, -0.1, 0.31, -0.58});
        ReferenceRecurrent after = new ReferenceRecurrent(config(CellType.GRU, null, GruVariant.RESET_AFTER), p);
        assertValues("GRU reset-after h'", new double[] {-0.08935582498865544, -0.43319435153372166},
                after.forward(X, 1, 1, null, H0, null).hN());
        ReferenceRecurrent before = new ReferenceRecurrent(config(CellType.GRU, null, GruVariant.RESET_BEFORE), p);
        ReferenceRecurrent.Result r = before.forward(X, 1, 1, null, H0, null);
        assertValues("GRU reset-before h'", new double[] {-0.022560723131341054, -0.49522326877338463}, r.hN());
        assertNull(r.cN(), "GRU has no c_n");
    }

    @Test
    void simpleRnnOneStepMatchesHandComputedValues() {
        Map<String, double[]> p = params(new double[] {-0.3, 0.21, -0.58, -0.1}, new double[] {-0.1, 0.61, 0.02, -0.6},
                new double[] {-0.2, 0.11}, new double[] {0.1, 0.51});
        // pre-activation = [-0.612, 0.556]
        assertValues("RNN tanh h'", new double[] {-0.5455334179464062, 0.5050035704277197},
                new ReferenceRecurrent(config(CellType.RNN, Nonlinearity.TANH, null), p).forward(X, 1, 1, null, H0, null).hN());
        ReferenceRecurrent.Result relu = new ReferenceRecurrent(config(CellType.RNN, Nonlinearity.RELU, null), p)
                .forward(X, 1, 1, null, H0, null);
        assertValues("RNN relu h'", new double[] {0.0, 0.556}, relu.hN());
        assertEquals(0.556, relu.minAbsPreactivation(), 1e-14, "smallest |pre-activation|");
    }

    @Test
    void referenceRejectsMissingOrMisshapenParameters() {
        RecurrentConfig c = config(CellType.RNN, Nonlinearity.TANH, null);
        Map<String, double[]> p = params(new double[4], new double[4], new double[2], new double[2]);
        p.remove("bias_hh_l0");
        assertThrows(IllegalArgumentException.class, () -> new ReferenceRecurrent(c, p));
        p.put("bias_hh_l0", new double[3]);
        assertThrows(IllegalArgumentException.class, () -> new ReferenceRecurrent(c, p));
    }

    // ---- properties the reference has by construction --------------------------------------------------------

    /** A batch with lengths gives, sequence by sequence, exactly what each sequence gives alone. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void referenceBatchWithLengthsEqualsSequencesAlone(Cell cell) {
        int in = 3, h = 4, layers = 2, dirs = 2, steps = 5, batch = 3;
        int[] lengths = {2, 5, 1};
        SplittableRandom random = new SplittableRandom(11 + cell.ordinal());
        Recurrent net = cell.build(in, h, layers, true, true);
        ReferenceFixtures.randomize(net, random);
        ReferenceRecurrent ref = ReferenceRecurrent.of(net);
        double[] x = toDouble(ReferenceFixtures.uniform(random, steps * batch * in, 1));
        double[] h0 = toDouble(ReferenceFixtures.uniform(random, layers * dirs * batch * h, 1));
        double[] c0 = toDouble(ReferenceFixtures.uniform(random, layers * dirs * batch * h, 1));
        ReferenceRecurrent.Result all = ref.forward(x, steps, batch, lengths, h0, c0);
        int width = dirs * h;
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            double[] xb = new double[len * in];
            for (int t = 0; t < len; t++) System.arraycopy(x, (t * batch + b) * in, xb, t * in, in);
            double[] h0b = stateSlice(h0, layers * dirs, batch, h, b);
            double[] c0b = stateSlice(c0, layers * dirs, batch, h, b);
            ReferenceRecurrent.Result one = ref.forward(xb, len, 1, null, h0b, c0b);
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < width; k++) {
                    double expected = t < len ? one.output()[t * width + k] : 0.0;
                    assertEquals(expected, all.output()[(t * batch + b) * width + k], 0.0,
                            cell + ": " + at("output", (t * batch + b) * width + k, steps, batch, width));
                }
            }
            double[] hb = stateSlice(all.hN(), layers * dirs, batch, h, b);
            for (int i = 0; i < hb.length; i++) assertEquals(one.hN()[i], hb[i], 0.0, cell + ": h_n of sequence " + b + " at " + i);
            if (cell.lstm()) {
                double[] cb = stateSlice(all.cN(), layers * dirs, batch, h, b);
                for (int i = 0; i < cb.length; i++) assertEquals(one.cN()[i], cb[i], 0.0, cell + ": c_n of sequence " + b + " at " + i);
            }
        }
    }

    /**
     * A one-layer bidirectional reference is a forward network with the _l0 weights plus a forward network with the
     * _l0_reverse weights run on each sequence reversed within its own length.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void referenceReverseDirectionIsForwardOverReversedSequences(Cell cell) {
        int in = 3, h = 4, steps = 5, batch = 3;
        int[] lengths = {5, 2, 4};
        SplittableRandom random = new SplittableRandom(21 + cell.ordinal());
        Recurrent net = cell.build(in, h, 1, true, true);
        ReferenceFixtures.randomize(net, random);
        Map<String, double[]> p = ReferenceRecurrent.parametersOf(net);
        ReferenceRecurrent bi = new ReferenceRecurrent(net.config(), p);
        RecurrentConfig uniConfig = cell.build(in, h, 1, false, true).config();
        Map<String, double[]> fwd = new LinkedHashMap<>();
        Map<String, double[]> rev = new LinkedHashMap<>();
        for (String name : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
            fwd.put(name + "_l0", p.get(name + "_l0"));
            rev.put(name + "_l0", p.get(name + "_l0_reverse"));
        }
        double[] x = toDouble(ReferenceFixtures.uniform(random, steps * batch * in, 1));
        double[] h0 = toDouble(ReferenceFixtures.uniform(random, 2 * batch * h, 1));
        double[] c0 = toDouble(ReferenceFixtures.uniform(random, 2 * batch * h, 1));
        ReferenceRecurrent.Result both = bi.forward(x, steps, batch, lengths, h0, c0);
        ReferenceRecurrent.Result f = new ReferenceRecurrent(uniConfig, fwd)
                .forward(x, steps, batch, lengths, stateSlice(h0, 0, batch * h), stateSlice(c0, 0, batch * h));
        double[] xr = reverseWithinLengths(x, steps, batch, in, lengths);
        ReferenceRecurrent.Result r = new ReferenceRecurrent(uniConfig, rev)
                .forward(xr, steps, batch, lengths, stateSlice(h0, 1, batch * h), stateSlice(c0, 1, batch * h));
        double[] rBack = reverseWithinLengths(r.output(), steps, batch, h, lengths);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < h; j++) {
                    int o = (t * batch + b) * 2 * h;
                    assertEquals(f.output()[(t * batch + b) * h + j], both.output()[o + j], 0.0, cell + ": forward half " + at("output", o + j, steps, batch, 2 * h));
                    assertEquals(rBack[(t * batch + b) * h + j], both.output()[o + h + j], 0.0, cell + ": reverse half " + at("output", o + h + j, steps, batch, 2 * h));
                }
            }
        }
        for (int i = 0; i < batch * h; i++) {
            assertEquals(f.hN()[i], both.hN()[i], 0.0, cell + ": h_n forward " + i);
            assertEquals(r.hN()[i], both.hN()[batch * h + i], 0.0, cell + ": h_n reverse " + i);
            if (cell.lstm()) assertEquals(r.cN()[i], both.cN()[batch * h + i], 0.0, cell + ": c_n reverse " + i);
        }
    }

    /** Outputs at padded steps are zero, and padded inputs are never read. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void referencePaddingIsZeroAndIgnored(Cell cell) {
        int in = 2, h = 3, steps = 4, batch = 3;
        int[] lengths = {1, 4, 3};
        SplittableRandom random = new SplittableRandom(31 + cell.ordinal());
        Recurrent net = cell.build(in, h, 2, true, true);
        ReferenceFixtures.randomize(net, random);
        ReferenceRecurrent ref = ReferenceRecurrent.of(net);
        double[] x = toDouble(ReferenceFixtures.uniform(random, steps * batch * in, 1));
        ReferenceRecurrent.Result a = ref.forward(x, steps, batch, lengths, null, null);
        double[] garbage = x.clone();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                if (t >= lengths[b]) for (int k = 0; k < in; k++) garbage[(t * batch + b) * in + k] = 1e6 * (k + 1);
            }
        }
        ReferenceRecurrent.Result g = ref.forward(garbage, steps, batch, lengths, null, null);
        int width = 2 * h;
        for (int i = 0; i < a.output().length; i++) {
            int t = i / (batch * width), b = (i / width) % batch;
            if (t >= lengths[b]) assertEquals(0.0, a.output()[i], 0.0, cell + ": padded " + at("output", i, steps, batch, width));
            assertEquals(a.output()[i], g.output()[i], 0.0, cell + ": garbage padding changed " + at("output", i, steps, batch, width));
        }
        for (int i = 0; i < a.hN().length; i++) assertEquals(a.hN()[i], g.hN()[i], 0.0, cell + ": garbage padding changed h_n at " + i);
    }

    // ---- the production float forward against the double reference -------------------------------------------

    static List<Case> cases() {
        return ReferenceFixtures.checkCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void productionForwardMatchesReference(Case c) {
        Instance in = ReferenceFixtures.instantiate(c);
        ReferenceRecurrent.Result expected = in.reference();
        RecurrentOutput out = in.network().forward(in.batch());
        RecurrentConfig config = in.network().config();
        int states = config.layers() * config.directions();
        String name = c + " (lengths " + str(c.lengths()) + ", seed " + in.seed() + "): ";
        assertEquals(c.steps(), out.steps(), name + "steps");
        assertEquals(c.batch(), out.batch(), name + "batch");
        assertEquals(config.outputSize(), out.outputSize(), name + "outputSize");
        assertClose(name + "output", expected.output(), out.output(), FORWARD_ATOL, FORWARD_RTOL, c.steps(), c.batch(), config.outputSize());
        assertClose(name + "h_n", expected.hN(), out.hN(), FORWARD_ATOL, FORWARD_RTOL, states, c.batch(), c.hiddenSize());
        if (c.cell().lstm()) {
            assertClose(name + "c_n", expected.cN(), out.cN(), FORWARD_ATOL, FORWARD_RTOL, states, c.batch(), c.hiddenSize());
        } else {
            assertNull(out.cN(), name + "c_n must be null for " + c.cell());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static RecurrentConfig config(CellType type, Nonlinearity nonlinearity, GruVariant variant) {
        return new RecurrentConfig(type, 2, 2, 1, false, true, nonlinearity, variant);
    }

    private static Map<String, double[]> params(double[] wIh, double[] wHh, double[] bIh, double[] bHh) {
        Map<String, double[]> p = new LinkedHashMap<>();
        p.put("weight_ih_l0", wIh);
        p.put("weight_hh_l0", wHh);
        p.put("bias_ih_l0", bIh);
        p.put("bias_hh_l0", bHh);
        return p;
    }

    private static void assertValues(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= HAND_TOL)) fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    /** Sequence b's [L*D, 1, H] slice of a [L*D, B, H] state. */
    static double[] stateSlice(double[] state, int states, int batch, int hidden, int b) {
        if (state == null) return null;
        double[] s = new double[states * hidden];
        for (int k = 0; k < states; k++) System.arraycopy(state, (k * batch + b) * hidden, s, k * hidden, hidden);
        return s;
    }

    /** The k-th [B, H] block of a [L*D, B, H] state. */
    private static double[] stateSlice(double[] state, int k, int blockSize) {
        double[] s = new double[blockSize];
        System.arraycopy(state, k * blockSize, s, 0, blockSize);
        return s;
    }

    /** [T, B, W] with each sequence's first len_b steps reversed in time; padding left where it is. */
    static double[] reverseWithinLengths(double[] x, int steps, int batch, int width, int[] lengths) {
        double[] r = x.clone();
        for (int b = 0; b < batch; b++) {
            int len = lengths == null ? steps : lengths[b];
            for (int t = 0; t < len; t++) System.arraycopy(x, ((len - 1 - t) * batch + b) * width, r, (t * batch + b) * width, width);
        }
        return r;
    }
}
