package dev.rnn4j.layer;

import dev.rnn4j.layer.ReferenceFixtures.Cell;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every regularisation option's backward pass against central finite differences of the double
 * {@link ReferenceRecurrent}, as {@link GradientCheckTest} does for the plain network (same loss, same tolerance:
 * relative error at most 1e-3 or absolute error at most 1e-5, eps 1e-6), with the masks held fixed: the production
 * network runs one forward + backward pass in training mode from a mask seed, its masks are read back, and the
 * reference applies exactly those masks in every perturbed forward pass. Inference-mode cases check zoneout's
 * expectation path and layer normalisation without masks. Every case also checks the float forward pass against the
 * reference, so that the finite differences are the derivative of the production function.
 */
class RegularizationGradientCheckTest {
    private static final double FORWARD_TOL = 1e-5;

    /** One network and batch shape with a regularisation, in training or inference mode. */
    record Case(String name, Cell cell, Regularization reg, boolean training, int inputSize, int hiddenSize, int layers,
                boolean bidirectional, boolean bias, int steps, int batch, int[] lengths, boolean initialState, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        long seed = 5000;
        Regularization input = Regularization.builder().inputDropout(0.3).build();
        Regularization layer = Regularization.builder().layerDropout(0.35).build();
        Regularization recurrent = Regularization.builder().recurrentDropout(0.4).build();
        for (Cell cell : Cell.values()) {
            cases.add(new Case(cell + " input dropout 0.3", cell, input, true, 3, 4, 1, false, true, 4, 3, null, true, seed++));
            cases.add(new Case(cell + " word dropout 0.4 and input dropout 0.2 (lengths [4,2,3])", cell,
                    Regularization.builder().wordDropout(0.4).inputDropout(0.2).build(), true, 3, 4, 1, false, true, 4, 3,
                    new int[] {4, 2, 3}, true, seed++));
            cases.add(new Case(cell + " layer dropout 0.35 (L=3 bidirectional lengths [3,5,2])", cell, layer, true, 3, 4, 3, true, true, 5, 3,
                    new int[] {3, 5, 2}, true, seed++));
            cases.add(new Case(cell + " recurrent dropout 0.4", cell, recurrent, true, 3, 4, 1, false, true, 5, 3, null, true, seed++));
            cases.add(new Case(cell + " recurrent dropout 0.4 (L=2 bidirectional lengths [4,2,5])", cell, recurrent, true, 3, 4, 2, true, true, 5, 3,
                    new int[] {4, 2, 5}, true, seed++));
            cases.add(new Case(cell + " all dropouts, inference (L=2 bidirectional)", cell,
                    Regularization.builder().inputDropout(0.3).layerDropout(0.3).recurrentDropout(0.3).build(), false, 3, 4, 2, true, true, 4, 3,
                    new int[] {4, 1, 3}, true, seed++));
        }
        for (Cell cell : new Cell[] {Cell.LSTM, Cell.GRU_RESET_AFTER, Cell.GRU_RESET_BEFORE}) {
            Regularization zoneH = Regularization.builder().zoneoutHidden(0.3).build();
            Regularization ln = Regularization.builder().layerNorm(true).build();
            cases.add(new Case(cell + " zoneout h 0.3", cell, zoneH, true, 3, 4, 1, false, true, 5, 3, null, true, seed++));
            cases.add(new Case(cell + " zoneout h 0.3, inference", cell, zoneH, false, 3, 4, 1, false, true, 5, 3, null, true, seed++));
            cases.add(new Case(cell + " layer norm", cell, ln, true, 3, 4, 1, false, true, 4, 3, null, true, seed++));
            cases.add(new Case(cell + " layer norm, no bias, H=3 T=3 B=2", cell, ln, false, 3, 3, 1, false, false, 3, 2, null, true, seed++));
            cases.add(new Case(cell + " layer norm, wide H=17 I=19 (bidirectional lengths [3,2])", cell, ln, false, 19, 17, 1, true, true, 3, 2,
                    new int[] {3, 2}, true, seed++));
            Regularization all = Regularization.builder().inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.3)
                    .zoneoutHidden(0.25).zoneoutCell(cell.lstm() ? 0.2 : 0).layerNorm(true).build();
            cases.add(new Case(cell + " everything (I=5 H=8 L=3 bidirectional lengths [3,5,1,4])", cell, all, true, 5, 8, 3, true, true, 5, 4,
                    new int[] {3, 5, 1, 4}, true, seed++));
            cases.add(new Case(cell + " everything, inference (I=5 H=8 L=2 bidirectional lengths [3,5,1,4])", cell, all, false, 5, 8, 2, true, true, 5, 4,
                    new int[] {3, 5, 1, 4}, true, seed++));
        }
        Regularization zoneC = Regularization.builder().zoneoutCell(0.3).build();
        Regularization zoneBoth = Regularization.builder().zoneoutHidden(0.2).zoneoutCell(0.4).build();
        cases.add(new Case("LSTM zoneout c 0.3", Cell.LSTM, zoneC, true, 3, 4, 1, false, true, 5, 3, null, true, seed++));
        cases.add(new Case("LSTM zoneout c 0.3, inference", Cell.LSTM, zoneC, false, 3, 4, 1, false, true, 5, 3, null, true, seed++));
        cases.add(new Case("LSTM zoneout h 0.2 c 0.4 (L=2 bidirectional lengths [5,2,4])", Cell.LSTM, zoneBoth, true, 3, 4, 2, true, true, 5, 3,
                new int[] {5, 2, 4}, true, seed++));
        cases.add(new Case("LSTM zoneout h 0.2 c 0.4 + layer norm", Cell.LSTM, zoneBoth.toBuilder().layerNorm(true).build(), true, 3, 4, 1, false,
                true, 5, 3, null, false, seed++));
        for (Cell cell : new Cell[] {Cell.RNN_TANH, Cell.RNN_RELU}) {
            Regularization dropouts = Regularization.builder().inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.3).build();
            cases.add(new Case(cell + " all dropouts (L=3 bidirectional lengths [3,5,1,4])", cell, dropouts, true, 3, 4, 3, true, true, 5, 4,
                    new int[] {3, 5, 1, 4}, true, seed++));
        }
        return cases;
    }

    /** A case's network, data, one production run, and the masks that run drew. */
    record Prepared(Case spec, Recurrent net, float[] input, float[] h0, float[] c0, float[] r, float[] rh, float[] rc,
                    ReferenceFixtures.Run run, ReferenceRecurrent.Masks masks, long seed) {}

    static Prepared prepare(Case c) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Prepared p = prepare(c, c.seed() + 7919L * attempt);
            if (c.cell() != Cell.RNN_RELU) return p;
            // relu must stay off its kink, and no (layer, direction) may be dead throughout (see ReferenceFixtures)
            ReferenceRecurrent.Result ref = reference(p);
            boolean ok = ref.minAbsPreactivation() >= ReferenceFixtures.RELU_KINK_MARGIN;
            for (double max : ref.maxPreactivation()) ok &= max >= 0.05;
            if (ok) return p;
        }
        throw new AssertionError(c + ": no seed keeps relu well posed");
    }

    private static Prepared prepare(Case c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int in = c.inputSize(), hidden = c.hiddenSize();
        Recurrent net = c.cell().build(in, hidden, c.layers(), c.bidirectional(), c.bias(), c.reg());
        randomize(net, random);
        RecurrentConfig config = net.config();
        int states = config.layers() * config.directions() * c.batch() * hidden;
        float[] input = ReferenceFixtures.uniform(random, c.steps() * c.batch() * in, 1.0);
        float[] h0 = c.initialState() ? ReferenceFixtures.uniform(random, states, 0.8) : null;
        float[] c0 = c.initialState() && c.cell().lstm() ? ReferenceFixtures.uniform(random, states, 0.8) : null;
        float[] r = ReferenceFixtures.uniform(random, c.steps() * c.batch() * config.outputSize(), 1.0);
        float[] rh = ReferenceFixtures.uniform(random, states, 1.0);
        float[] rc = c.cell().lstm() ? ReferenceFixtures.uniform(random, states, 1.0) : null;
        net.setTraining(c.training());
        net.setMaskSeed(seed ^ 0xABCDEFL);
        ReferenceFixtures.Run run = ReferenceFixtures.run(net, new SequenceBatch(input, c.steps(), c.batch(), c.lengths(), h0, c0), r, rh, rc);
        ReferenceRecurrent.Masks masks = c.training() ? masksOf(net) : null;
        return new Prepared(c, net, input, h0, c0, r, rh, rc, run, masks, seed);
    }

    /**
     * Weights and biases +-{@link ReferenceFixtures#WEIGHT_BOUND}; layer-normalisation gains 1 +- 0.5 (so that they
     * differ from 1 and from each other) and its biases +-0.5.
     */
    static void randomize(Recurrent net, SplittableRandom random) {
        for (Parameter p : net.parameters()) {
            float[] v = ReferenceFixtures.uniform(random, p.size(), Recurrent.isLayerNormParameter(p.name()) ? 0.5 : ReferenceFixtures.WEIGHT_BOUND);
            if (Recurrent.isLayerNormGain(p.name())) for (int i = 0; i < v.length; i++) v[i] += 1f;
            p.set(v);
        }
    }

    /** The masks of the network's last forward pass, as the reference takes them. */
    static ReferenceRecurrent.Masks masksOf(Recurrent net) {
        RecurrentConfig c = net.config();
        int layers = c.layers(), dirs = c.directions();
        double[][] layer = new double[layers][];
        for (int l = 1; l < layers; l++) layer[l] = toDouble(net.layerDropoutMask(l));
        double[][] recurrent = new double[layers * dirs][], zoneH = new double[layers * dirs][], zoneC = new double[layers * dirs][];
        boolean anyRecurrent = false, anyZoneH = false, anyZoneC = false;
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                recurrent[k] = toDouble(net.direction(l, d).recurrentDropoutMask());
                zoneH[k] = toDouble(net.direction(l, d).zoneoutHiddenMask());
                zoneC[k] = toDouble(net.direction(l, d).zoneoutCellMask());
                anyRecurrent |= recurrent[k] != null;
                anyZoneH |= zoneH[k] != null;
                anyZoneC |= zoneC[k] != null;
            }
        }
        return new ReferenceRecurrent.Masks(toDouble(net.inputDropoutMask()), layer, anyRecurrent ? recurrent : null,
                anyZoneH ? zoneH : null, anyZoneC ? zoneC : null);
    }

    static ReferenceRecurrent.Result reference(Prepared p) {
        Case c = p.spec();
        RecurrentConfig config = p.net().config();
        int states = config.layers() * config.directions() * c.batch() * config.hiddenSize();
        return ReferenceRecurrent.of(p.net()).forward(toDouble(p.input()), c.steps(), c.batch(), c.lengths(),
                p.h0() == null ? new double[states] : toDouble(p.h0()), p.c0() == null ? new double[states] : toDouble(p.c0()), p.masks());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferencesWithFixedMasks(Case c) {
        Prepared p = prepare(c);
        Recurrent net = p.net();
        RecurrentConfig config = net.config();
        int states = config.layers() * config.directions();
        int stateSize = states * c.batch() * config.hiddenSize();
        String name = c + " (lengths " + str(c.lengths()) + ", seed " + p.seed() + ")";
        if (c.training()) assertMasksPresent(name, c, p.masks());

        // the float forward pass computes the reference's function (with the same masks)
        ReferenceRecurrent.Result ref = reference(p);
        ReferenceFixtures.assertClose(name + ": output vs reference", ref.output(), p.run().output(), FORWARD_TOL, FORWARD_TOL,
                c.steps(), c.batch(), config.outputSize());
        ReferenceFixtures.assertClose(name + ": h_n vs reference", ref.hN(), p.run().hN(), FORWARD_TOL, FORWARD_TOL, states, c.batch(), config.hiddenSize());
        ReferenceFixtures.assertClose(name + ": c_n vs reference", ref.cN(), p.run().cN(), FORWARD_TOL, FORWARD_TOL, states, c.batch(), config.hiddenSize());

        Map<String, double[]> params = ReferenceRecurrent.parametersOf(net);
        ReferenceRecurrent reference = new ReferenceRecurrent(config, params);
        double[] x = toDouble(p.input());
        double[] h0 = p.h0() == null ? new double[stateSize] : toDouble(p.h0());
        double[] c0 = p.c0() == null ? new double[stateSize] : toDouble(p.c0());
        double[] rd = toDouble(p.r()), rhd = toDouble(p.rh()), rcd = toDouble(p.rc());
        DoubleSupplier loss = () -> GradientCheckTest.loss(reference.forward(x, c.steps(), c.batch(), c.lengths(), h0, c0, p.masks()), rd, rhd, rcd);

        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(p.seed() + 17);
        for (Parameter param : net.parameters()) {
            check(failures, param.name(), params.get(param.name()), p.run().grads().get(param.name()), loss, sampler, param.shape());
        }
        check(failures, "input", x, p.run().dInput(), loss, sampler, c.steps(), c.batch(), config.inputSize());
        check(failures, "h0", h0, p.run().dH0(), loss, sampler, states, c.batch(), config.hiddenSize());
        if (c.cell().lstm()) check(failures, "c0", c0, p.run().dC0(), loss, sampler, states, c.batch(), config.hiddenSize());
        assertNoFailures(name, failures);
    }

    /** In training every option that is on has drawn its masks, and none that is off has. */
    private static void assertMasksPresent(String name, Case c, ReferenceRecurrent.Masks m) {
        Regularization reg = c.reg();
        if ((reg.inputDropout() > 0) != (m.input() != null)) fail(name + ": input mask presence");
        if ((reg.recurrentDropout() > 0) != (m.recurrent() != null)) fail(name + ": recurrent masks presence");
        if ((reg.zoneoutHidden() > 0) != (m.zoneHidden() != null)) fail(name + ": zoneout h masks presence");
        if ((reg.zoneoutCell() > 0) != (m.zoneCell() != null)) fail(name + ": zoneout c masks presence");
        if (reg.layerDropout() > 0 && c.layers() > 1) {
            for (int l = 1; l < c.layers(); l++) assertNotNull(m.layer()[l], name + ": layer " + l + " mask");
        }
    }
}
