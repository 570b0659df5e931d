package dev.rnn4j.layer;

import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.tensor.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared fixtures of {@link ReferenceRecurrentTest}, {@link GradientCheckTest} and {@link RecurrentEquivalenceTest}:
 * the five cells, the cases, seeded random networks and data, a copying runner of the production network and
 * assertions whose messages name the case, the tensor and the index.
 */
public final class ReferenceFixtures {
    /** Weights and biases are drawn uniform in +-this: wider than PyTorch's 1/sqrt(H), so gates are not all near 0.5. */
    static final double WEIGHT_BOUND = 0.6;
    /** Relu pre-activations must keep this far from its kink so that finite differences (and float vs double) agree. */
    static final double RELU_KINK_MARGIN = 1e-4;

    private ReferenceFixtures() {}

    /** The five cells, each as its builder configures it. */
    enum Cell {
        LSTM, GRU_RESET_AFTER, GRU_RESET_BEFORE, RNN_TANH, RNN_RELU;

        Recurrent build(int inputSize, int hiddenSize, int layers, boolean bidirectional, boolean bias) {
            return build(inputSize, hiddenSize, layers, bidirectional, bias, Regularization.NONE);
        }

        /** The same with regularisation (for the Regularization* and LayerNorm* tests). */
        Recurrent build(int inputSize, int hiddenSize, int layers, boolean bidirectional, boolean bias, Regularization reg) {
            return switch (this) {
                case LSTM -> configure(Lstm.builder().regularization(reg), inputSize, hiddenSize, layers, bidirectional, bias);
                case GRU_RESET_AFTER -> configure(Gru.builder().variant(GruVariant.RESET_AFTER).regularization(reg), inputSize, hiddenSize, layers, bidirectional, bias);
                case GRU_RESET_BEFORE -> configure(Gru.builder().variant(GruVariant.RESET_BEFORE).regularization(reg), inputSize, hiddenSize, layers, bidirectional, bias);
                case RNN_TANH -> configure(SimpleRnn.builder().nonlinearity(Nonlinearity.TANH).regularization(reg), inputSize, hiddenSize, layers, bidirectional, bias);
                case RNN_RELU -> configure(SimpleRnn.builder().nonlinearity(Nonlinearity.RELU).regularization(reg), inputSize, hiddenSize, layers, bidirectional, bias);
            };
        }

        boolean gru() {
            return this == GRU_RESET_AFTER || this == GRU_RESET_BEFORE;
        }

        boolean rnn() {
            return this == RNN_TANH || this == RNN_RELU;
        }

        boolean lstm() {
            return this == LSTM;
        }

        private static <B extends RecurrentBuilder<B>> Recurrent configure(B builder, int inputSize, int hiddenSize, int layers,
                                                                            boolean bidirectional, boolean bias) {
            return builder.inputSize(inputSize).hiddenSize(hiddenSize).layers(layers).bidirectional(bidirectional).bias(bias).build();
        }
    }

    /** One network shape and batch shape; {@code initialState} gives random h0 (and c0) instead of null. */
    record Case(String name, Cell cell, int inputSize, int hiddenSize, int layers, boolean bidirectional, boolean bias,
                int steps, int batch, int[] lengths, boolean initialState, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The cases of the forward check and the gradient check: every cell, each in seven configurations. */
    static List<Case> checkCases() {
        List<Case> cases = new ArrayList<>();
        long seed = 1000;
        for (Cell cell : Cell.values()) {
            String n = cell.name();
            cases.add(new Case(n + " basic (L=1, T=4, B=3, I=3, H=5)", cell, 3, 5, 1, false, true, 4, 3, null, false, seed++));
            cases.add(new Case(n + " bias=false (L=2, h0/c0 given)", cell, 3, 5, 2, false, false, 4, 3, null, true, seed++));
            cases.add(new Case(n + " L=3 bidirectional lengths [3,5,1,4] h0/c0 given", cell, 3, 4, 3, true, true, 5, 4,
                    new int[] {3, 5, 1, 4}, true, seed++));
            cases.add(new Case(n + " T=1 (L=2 bidirectional, h0/c0 given)", cell, 3, 4, 2, true, true, 1, 3, null, true, seed++));
            cases.add(new Case(n + " B=1 lengths [3] of T=4 (L=2 bidirectional)", cell, 2, 3, 2, true, true, 4, 1,
                    new int[] {3}, true, seed++));
            cases.add(new Case(n + " H=1 (L=2 bidirectional, lengths [4,2])", cell, 3, 1, 2, true, true, 4, 2,
                    new int[] {4, 2}, true, seed++));
            cases.add(new Case(n + " wide H=17 I=19 (bidirectional, lengths [3,2])", cell, 19, 17, 1, true, true, 3, 2,
                    new int[] {3, 2}, true, seed++));
        }
        return cases;
    }

    /** A case's network (random weights +-{@link #WEIGHT_BOUND}) and data; relu cases reseeded off the kink. */
    record Instance(Case spec, Recurrent network, float[] input, float[] h0, float[] c0, long seed) {
        SequenceBatch batch() {
            return new SequenceBatch(input, spec.steps(), spec.batch(), spec.lengths(), h0, c0);
        }

        /** The double reference over the network's current parameters, with explicit zero states where null. */
        ReferenceRecurrent.Result reference() {
            RecurrentConfig c = network.config();
            int stateSize = c.layers() * c.directions() * spec.batch() * c.hiddenSize();
            return ReferenceRecurrent.of(network).forward(toDouble(input), spec.steps(), spec.batch(), spec.lengths(),
                    h0 == null ? new double[stateSize] : toDouble(h0),
                    c0 == null ? new double[stateSize] : toDouble(c0));
        }
    }

    static Instance instantiate(Case c) {
        for (int attempt = 0; attempt < 100; attempt++) {
            long seed = c.seed() + 7919L * attempt;
            Instance in = instantiate(c, seed);
            if (c.cell() != Cell.RNN_RELU || reluWellPosed(in.reference())) return in;
        }
        throw new AssertionError(c + ": no seed keeps every relu pre-activation " + RELU_KINK_MARGIN
                + " away from 0 with some unit of every layer and direction active");
    }

    /**
     * Relu is differentiable, and finite differences agree with the derivative, only off its kink; and a (layer,
     * direction) whose units are all dead has identically zero gradients, which would make its check vacuous.
     */
    private static boolean reluWellPosed(ReferenceRecurrent.Result r) {
        if (r.minAbsPreactivation() < RELU_KINK_MARGIN) return false;
        for (double max : r.maxPreactivation()) if (max < 0.05) return false;
        return true;
    }

    private static Instance instantiate(Case c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Recurrent net = c.cell().build(c.inputSize(), c.hiddenSize(), c.layers(), c.bidirectional(), c.bias());
        randomize(net, random);
        RecurrentConfig config = net.config();
        float[] input = uniform(random, c.steps() * c.batch() * c.inputSize(), 1.0);
        int stateSize = config.layers() * config.directions() * c.batch() * c.hiddenSize();
        float[] h0 = c.initialState() ? uniform(random, stateSize, 0.8) : null;
        float[] c0 = c.initialState() && c.cell().lstm() ? uniform(random, stateSize, 0.8) : null;
        return new Instance(c, net, input, h0, c0, seed);
    }

    /** Overwrites every parameter with distinct values uniform in +-{@link #WEIGHT_BOUND}. */
    static void randomize(Recurrent net, SplittableRandom random) {
        randomize(net, random, WEIGHT_BOUND);
    }

    /** Overwrites every parameter with distinct values uniform in +-bound. */
    static void randomize(Recurrent net, SplittableRandom random, double bound) {
        for (Parameter p : net.parameters()) p.set(uniform(random, p.size(), bound));
    }

    public static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextDouble(-bound, bound);
        return a;
    }

    public static double[] toDouble(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * A new network of the same configuration (regularisation included) holding copies of {@code source}'s parameter
     * and buffer values.
     */
    static Recurrent copyOf(Recurrent source) {
        Recurrent copy = new Recurrent(source.config());
        for (Parameter p : source.parameters()) copy.parameter(p.name()).set(p.value());
        for (dev.rnn4j.tensor.Buffer b : source.buffers()) copy.buffer(b.name()).set(b.value());
        return copy;
    }

    /** Everything one forward + backward pass of the production network produced, copied out of its workspace. */
    record Run(float[] output, float[] hN, float[] cN, float[] dInput, float[] dH0, float[] dC0, Map<String, float[]> grads) {}

    /** zeroGrad, forward, and (when dOutput or dHn is non-null) backward; copies every result. */
    static Run run(Recurrent net, SequenceBatch batch, float[] dOutput, float[] dHn, float[] dCn) {
        RecurrentConfig c = net.config();
        int stateSize = c.layers() * c.directions() * batch.batch() * c.hiddenSize();
        int outputSize = batch.steps() * batch.batch() * c.outputSize();
        int inputSize = batch.steps() * batch.batch() * c.inputSize();
        net.zeroGrad();
        RecurrentOutput out = net.forward(batch);
        float[] output = copy(out.output(), outputSize);
        float[] hN = copy(out.hN(), stateSize);
        float[] cN = copy(out.cN(), stateSize);
        if (dOutput == null && dHn == null && dCn == null) return new Run(output, hN, cN, null, null, null, Map.of());
        RecurrentGradients g = net.backward(dOutput, dHn, dCn);
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) grads.put(p.name(), p.grad().clone());
        return new Run(output, hN, cN, copy(g.dInput(), inputSize), copy(g.dH0(), stateSize), copy(g.dC0(), stateSize), grads);
    }

    /**
     * The first {@code length} values: the documented size of a workspace-owned result. (Whether the arrays are
     * exactly that long is checked on its own, by RecurrentEquivalenceTest.returnedArraysHaveTheDocumentedLengths.)
     */
    static float[] copy(float[] a, int length) {
        return a == null ? null : Arrays.copyOf(a, Math.min(a.length, length));
    }

    // ---- assertions -------------------------------------------------------------------------------------------

    /** "name[i][j][k]" of a flat row-major index into a tensor of the given shape. */
    static String at(String tensor, int flat, int... shape) {
        StringBuilder sb = new StringBuilder(tensor);
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        for (int i : idx) sb.append('[').append(i).append(']');
        return sb.toString();
    }

    /** |expected - actual| <= atol + rtol * |expected| element-wise, else fails naming the worst index. */
    static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol, int... shape) {
        if (expected == null && actual == null) return;
        if (expected == null || actual == null) fail(what + ": expected " + (expected == null ? "null" : "an array") + ", got " + (actual == null ? "null" : "an array"));
        if (expected.length != actual.length) fail(what + ": expected " + expected.length + " values, got " + actual.length);
        int bad = 0, worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(diff <= allowed)) { // NaN fails too
                bad++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " values differ; worst at " + at("", worst, shape)
                    + " (flat " + worst + "): expected " + expected[worst] + ", got " + actual[worst]
                    + ", |diff| " + Math.abs(expected[worst] - actual[worst]) + " > " + (atol + rtol * Math.abs(expected[worst])));
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol, int... shape) {
        assertClose(what, toDouble(expected), actual, atol, rtol, shape);
    }

    /** Numerically equal (+0 == -0, NaN == NaN), element by element. */
    static void assertSameValues(String what, float[] expected, float[] actual, int... shape) {
        if (expected == null && actual == null) return;
        if (expected == null || actual == null) fail(what + ": one is null");
        if (expected.length != actual.length) fail(what + ": expected " + expected.length + " values, got " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            boolean same = expected[i] == actual[i] || (Float.isNaN(expected[i]) && Float.isNaN(actual[i]));
            if (!same) {
                fail(what + " differs first at " + at("", i, shape) + " (flat " + i + "): " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** Bit for bit equal. */
    static void assertBitwise(String what, float[] expected, float[] actual, int... shape) {
        if (expected == null && actual == null) return;
        if (expected == null || actual == null) fail(what + ": one is null");
        if (expected.length != actual.length) fail(what + ": expected " + expected.length + " values, got " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + " differs bitwise first at " + at("", i, shape) + " (flat " + i + "): " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** The shape of a parameter of that name in a network of this configuration. */
    static int[] shapeOf(RecurrentConfig config, String parameter) {
        for (RecurrentConfig.ParameterSpec spec : config.parameterSpecs()) if (spec.name().equals(parameter)) return spec.shape();
        throw new IllegalArgumentException("no parameter " + parameter);
    }

    static String str(int[] a) {
        return a == null ? "null" : Arrays.toString(a);
    }
}
