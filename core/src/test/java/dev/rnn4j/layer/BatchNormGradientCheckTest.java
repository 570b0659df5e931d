package dev.rnn4j.layer;

import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static dev.rnn4j.layer.GradientAssertions.assertNoFailures;
import static dev.rnn4j.layer.GradientAssertions.check;
import static dev.rnn4j.layer.ReferenceFixtures.str;
import static dev.rnn4j.layer.ReferenceFixtures.toDouble;

/**
 * The batch-normalised LSTM's backward pass against central finite differences of the double {@link BatchNormReference},
 * as {@link RegularizationGradientCheckTest} checks the other options (same loss, same recipe: eps 1e-6, relative error
 * at most 1e-3 or absolute error at most 1e-5, every parameter, the input, h0 and c0). Training cases differentiate
 * through the batch statistics; inference cases through population statistics set to random values (so that they are
 * not the identity). Every case first checks the float forward pass against the reference, and a training case the
 * population statistics it left behind, so that the finite differences are the derivative of the production function.
 *
 * <p>Conditioning: in training, BN's Jacobian is γ / σ of each column's batch, and over a few rows of random data σ
 * is often small, so the float rounding of every value that passes through is multiplied by 1/σ, once per step and
 * layer (up to 1/sqrt(ε) = 316 each). With three rows a one-ulp change of the input moved the float gradients by
 * 1e-3, and the check failed on that rounding, not on the formulas (with ε = 1e-3 the same cases passed). So the
 * training cases use six or eight rows and keep at least five valid ones per step (steps with one or two valid rows
 * are checked in {@link BatchNormTest}, forward), and a case is reseeded, as the relu cases of
 * {@link ReferenceFixtures} are, until its float gradients are reproducible: one-ulp changes of the input, h0 and c0
 * move none of them by more than a fifth of what the check tolerates there (max(1e-5, 1e-3 |gradient|)).
 */
class BatchNormGradientCheckTest {
    private static final double FORWARD_TOL = 1e-5;
    /** The share of the check's tolerance that the float gradients' rounding may take. */
    private static final double MAX_ROUNDING_SHARE = 0.2;

    /** One network and batch shape, in training or inference mode; {@code reg} holds the batch normalisation (and more). */
    record Case(String name, Regularization reg, boolean training, int inputSize, int hiddenSize, int layers, boolean bidirectional,
                boolean bias, int steps, int batch, int[] lengths, boolean initialState, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        long seed = 7900;
        Regularization bn4 = Regularization.builder().batchNorm(4).build();
        Regularization bn2 = Regularization.builder().batchNorm(2).build();
        cases.add(new Case("basic (T=4 B=6 I=3 H=4, T_max=4)", bn4, true, 3, 4, 1, false, true, 4, 6, null, true, seed++));
        cases.add(new Case("T_max=2 of T=5 (steps 1..4 share statistics)", bn2, true, 3, 4, 1, false, true, 5, 6, null, true, seed++));
        cases.add(new Case("lengths [5,3,5,5,2,5,4,5]: statistics over the valid rows (L=2)", bn4, true, 3, 4, 2, false, true, 5, 8,
                new int[] {5, 3, 5, 5, 2, 5, 4, 5}, true, seed++));
        cases.add(new Case("bidirectional lengths [4,2,5,5,5,3,5,5] (L=2)", bn4, true, 3, 4, 2, true, true, 5, 8,
                new int[] {4, 2, 5, 5, 5, 3, 5, 5}, true, seed++));
        cases.add(new Case("no bias, zero initial state", bn4, true, 3, 4, 1, false, false, 4, 6, null, false, seed++));
        cases.add(new Case("wide H=17 I=19 (vector tails)", bn4, true, 19, 17, 1, false, true, 3, 6, null, true, seed++));
        cases.add(new Case("T=1 B=4", bn4, true, 3, 4, 1, false, true, 1, 4, null, true, seed++));
        cases.add(new Case("inference, T_max=2 of T=5 (L=2 bidirectional lengths [5,3,4])", bn2, false, 3, 4, 2, true, true, 5, 3,
                new int[] {5, 3, 4}, true, seed++));
        cases.add(new Case("inference, B=1", bn4, false, 3, 4, 1, false, true, 4, 1, null, true, seed++));
        Regularization everything = Regularization.builder().batchNorm(3).inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.3)
                .zoneoutHidden(0.25).zoneoutCell(0.2).build();
        cases.add(new Case("with every dropout and zoneout (L=2 bidirectional lengths [3,5,5,4,5,5,2,5], T_max=3)", everything, true, 3, 5, 2,
                true, true, 5, 8, new int[] {3, 5, 5, 4, 5, 5, 2, 5}, true, seed++));
        cases.add(new Case("with every dropout and zoneout, inference", everything, false, 3, 5, 2, false, true, 5, 3, null, true, seed++));
        return cases;
    }

    /**
     * Weights and biases +-{@link ReferenceFixtures#WEIGHT_BOUND}; the gains 1 +- 0.5 (distinct, and far from their
     * initial 0.1, which would hide a missing factor) and the cell's shift +-0.5; population means +-0.5 and variances in
     * [0.5, 1.5].
     */
    static void randomize(Recurrent net, SplittableRandom random) {
        for (Parameter p : net.parameters()) {
            boolean norm = Recurrent.isNormalizationParameter(p.name());
            float[] v = ReferenceFixtures.uniform(random, p.size(), norm ? 0.5 : ReferenceFixtures.WEIGHT_BOUND);
            if (norm && p.name().contains("_weight")) for (int i = 0; i < v.length; i++) v[i] += 1f;
            p.set(v);
        }
        for (Buffer b : net.buffers()) {
            float[] v = ReferenceFixtures.uniform(random, b.size(), 0.5);
            if (b.name().contains("_var")) for (int i = 0; i < v.length; i++) v[i] += 1f;
            b.set(v);
        }
    }

    /** A case's network and data, one production forward and backward pass, the masks it drew and the reference's view of it. */
    record Prepared(Recurrent net, float[] input, float[] h0, float[] c0, float[] r, float[] rh, float[] rc, ReferenceFixtures.Run run,
                    ReferenceRecurrent.Masks masks, BatchNormReference reference, BatchNormReference.Result expected, long seed) {}

    static Prepared prepare(Case c) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Prepared p = prepare(c, c.seed() + 7919L * attempt);
            if (roundingShare(c, p) <= MAX_ROUNDING_SHARE) return p;
        }
        throw new AssertionError(c + ": no seed keeps the float gradients' rounding within " + MAX_ROUNDING_SHARE
                + " of the tolerance under one-ulp changes of the data");
    }

    /**
     * The largest change of a float gradient (parameters, input, h0, c0), as a share of the check's tolerance there,
     * when every value of the input, h0 and c0 moves by one ulp up or down at random, over two such draws, on a copy
     * of the network (this one's statistics stay as the pass left them).
     */
    private static double roundingShare(Case c, Prepared p) {
        SplittableRandom random = new SplittableRandom(p.seed() ^ 0x5EEDL);
        double spread = 0;
        for (int draw = 0; draw < 2; draw++) {
            Recurrent copy = ReferenceFixtures.copyOf(p.net());
            copy.setTraining(c.training());
            copy.setMaskSeed(p.seed() ^ 0xABCDEFL);
            SequenceBatch nudged = new SequenceBatch(nudge(p.input(), random), c.steps(), c.batch(), c.lengths(), nudge(p.h0(), random),
                    nudge(p.c0(), random));
            ReferenceFixtures.Run run = ReferenceFixtures.run(copy, nudged, p.r(), p.rh(), p.rc());
            for (Map.Entry<String, float[]> e : run.grads().entrySet()) spread = Math.max(spread, share(e.getValue(), p.run().grads().get(e.getKey())));
            spread = Math.max(spread, share(run.dInput(), p.run().dInput()));
            spread = Math.max(spread, share(run.dH0(), p.run().dH0()));
            spread = Math.max(spread, share(run.dC0(), p.run().dC0()));
        }
        return spread;
    }

    private static float[] nudge(float[] values, SplittableRandom random) {
        if (values == null) return null;
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) out[i] = random.nextBoolean() ? Math.nextUp(out[i]) : Math.nextDown(out[i]);
        return out;
    }

    /** max over i of |a - b| / max(MIN_ABS_ERROR, MAX_REL_ERROR |b|). */
    private static double share(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double tolerance = Math.max(GradientAssertions.MIN_ABS_ERROR, GradientAssertions.MAX_REL_ERROR * Math.abs(b[i]));
            max = Math.max(max, Math.abs(a[i] - b[i]) / tolerance);
        }
        return max;
    }

    private static Prepared prepare(Case c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Recurrent net = Lstm.builder().inputSize(c.inputSize()).hiddenSize(c.hiddenSize()).layers(c.layers()).bidirectional(c.bidirectional())
                .bias(c.bias()).regularization(c.reg()).build();
        randomize(net, random);
        RecurrentConfig config = net.config();
        int stateSize = config.layers() * config.directions() * c.batch() * c.hiddenSize();
        float[] input = ReferenceFixtures.uniform(random, c.steps() * c.batch() * c.inputSize(), 1.0);
        float[] h0 = c.initialState() ? ReferenceFixtures.uniform(random, stateSize, 0.8) : null;
        float[] c0 = c.initialState() ? ReferenceFixtures.uniform(random, stateSize, 0.8) : null;
        float[] r = ReferenceFixtures.uniform(random, c.steps() * c.batch() * config.outputSize(), 1.0);
        float[] rh = ReferenceFixtures.uniform(random, stateSize, 1.0), rc = ReferenceFixtures.uniform(random, stateSize, 1.0);
        Map<String, double[]> populationBefore = BatchNormReference.buffersOf(net);
        net.setTraining(c.training());
        net.setMaskSeed(seed ^ 0xABCDEFL);
        ReferenceFixtures.Run run = ReferenceFixtures.run(net, new SequenceBatch(input, c.steps(), c.batch(), c.lengths(), h0, c0), r, rh, rc);
        ReferenceRecurrent.Masks masks = c.training() ? RegularizationGradientCheckTest.masksOf(net) : null;
        BatchNormReference reference = new BatchNormReference(config, ReferenceRecurrent.parametersOf(net), populationBefore);
        BatchNormReference.Result expected = reference.forward(toDouble(input), c.steps(), c.batch(), c.lengths(), zerosIfNull(h0, stateSize),
                zerosIfNull(c0, stateSize), c.training(), masks);
        return new Prepared(net, input, h0, c0, r, rh, rc, run, masks, reference, expected, seed);
    }

    private static double[] zerosIfNull(float[] state, int size) {
        return state == null ? new double[size] : toDouble(state);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(Case c) {
        Prepared p = prepare(c);
        Recurrent net = p.net();
        RecurrentConfig config = net.config();
        int states = config.layers() * config.directions(), stateSize = states * c.batch() * c.hiddenSize();
        String name = c + " (lengths " + str(c.lengths()) + ", seed " + p.seed() + ")";
        ReferenceFixtures.Run run = p.run();
        ReferenceRecurrent.Masks masks = p.masks();
        BatchNormReference reference = p.reference();
        Map<String, double[]> params = reference.parameters();
        double[] x = toDouble(p.input()), h0d = zerosIfNull(p.h0(), stateSize), c0d = zerosIfNull(p.c0(), stateSize);

        // the float forward pass computes the reference's function, and left the population statistics the reference does
        BatchNormReference.Result ref = p.expected();
        ReferenceFixtures.assertClose(name + ": output", ref.output(), run.output(), FORWARD_TOL, FORWARD_TOL, c.steps(), c.batch(), config.outputSize());
        ReferenceFixtures.assertClose(name + ": h_n", ref.hN(), run.hN(), FORWARD_TOL, FORWARD_TOL, states, c.batch(), c.hiddenSize());
        ReferenceFixtures.assertClose(name + ": c_n", ref.cN(), run.cN(), FORWARD_TOL, FORWARD_TOL, states, c.batch(), c.hiddenSize());
        for (Buffer b : net.buffers()) {
            ReferenceFixtures.assertClose(name + ": " + b.name() + " after the pass", ref.running().get(b.name()), b.value(), FORWARD_TOL, FORWARD_TOL,
                    b.shape());
        }

        double[] rd = toDouble(p.r()), rhd = toDouble(p.rh()), rcd = toDouble(p.rc());
        DoubleSupplier loss = () -> loss(reference.forward(x, c.steps(), c.batch(), c.lengths(), h0d, c0d, c.training(), masks), rd, rhd, rcd);
        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(p.seed() + 17);
        for (Parameter param : net.parameters()) {
            check(failures, param.name(), params.get(param.name()), run.grads().get(param.name()), loss, sampler, param.shape());
        }
        check(failures, "input", x, run.dInput(), loss, sampler, c.steps(), c.batch(), c.inputSize());
        check(failures, "h0", h0d, run.dH0(), loss, sampler, states, c.batch(), c.hiddenSize());
        check(failures, "c0", c0d, run.dC0(), loss, sampler, states, c.batch(), c.hiddenSize());
        assertNoFailures(name, failures);
    }

    static double loss(BatchNormReference.Result result, double[] r, double[] rh, double[] rc) {
        double sum = 0;
        for (int i = 0; i < r.length; i++) sum += result.output()[i] * r[i];
        for (int i = 0; i < rh.length; i++) sum += result.hN()[i] * rh[i];
        for (int i = 0; i < rc.length; i++) sum += result.cN()[i] * rc[i];
        return sum;
    }
}
