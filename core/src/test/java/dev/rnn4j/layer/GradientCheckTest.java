package dev.rnn4j.layer;

import dev.rnn4j.layer.ReferenceFixtures.Case;
import dev.rnn4j.layer.ReferenceFixtures.Instance;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The production backward pass ({@link Recurrent#backward}, float) against central finite differences of the double
 * {@link ReferenceRecurrent} forward pass, for the loss L = sum(output * R) + sum(h_n * Rh) + sum(c_n * Rc) with random
 * R, Rh, Rc (R is non-zero at padded steps too, where the output is constant zero, so its gradient must vanish there).
 * {@link ReferenceRecurrentTest} shows the two forward passes agree, so the finite differences are the derivative
 * of the production network's function.
 *
 * <p>Tolerance (DL4J's gradient-check recipe): an entry passes when the relative error |a - n| / max(|a|, |n|) is at
 * most {@link GradientAssertions#MAX_REL_ERROR}, or the absolute error |a - n| is at most {@link GradientAssertions#MIN_ABS_ERROR}. The absolute floor
 * exists because the analytic gradient is computed in float: each entry is a sum of O(T * B * layers) products of
 * O(1) terms, each rounded at 2^-24 ~ 6e-8, so its absolute error is around 1e-6 whatever its size, and a relative
 * test alone would fail on entries that nearly cancel to ~1e-5. The floor 1e-5 is ten times that, and still far below
 * the gradients themselves (the check also requires every tensor to have entries above 1e-3, so it cannot pass
 * vacuously). On the numeric side, double with eps = 1e-6 has truncation error ~eps^2 and rounding error
 * ~1e-16 * |L| / eps ~ 1e-9, both negligible.
 */
class GradientCheckTest {
    static List<Case> cases() {
        return ReferenceFixtures.checkCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferencesOfReference(Case c) {
        Instance in = ReferenceFixtures.instantiate(c);
        Recurrent net = in.network();
        RecurrentConfig config = net.config();
        int states = config.layers() * config.directions();
        int stateSize = states * c.batch() * c.hiddenSize();
        String name = c + " (lengths " + str(c.lengths()) + ", seed " + in.seed() + ")";

        SplittableRandom random = new SplittableRandom(in.seed() ^ 0x9E3779B97F4A7C15L);
        float[] r = ReferenceFixtures.uniform(random, c.steps() * c.batch() * config.outputSize(), 1.0);
        float[] rh = ReferenceFixtures.uniform(random, stateSize, 1.0);
        float[] rc = c.cell().lstm() ? ReferenceFixtures.uniform(random, stateSize, 1.0) : null;

        // analytic, float (null h0/c0 when the case has none: the gradient is then w.r.t. the implicit zero state)
        ReferenceFixtures.Run run = ReferenceFixtures.run(net, in.batch(), r, rh, rc);
        assertNotNull(run.dInput(), name + ": dInput is null");
        assertNotNull(run.dH0(), name + ": dH0 is null");
        if (c.cell().lstm()) assertNotNull(run.dC0(), name + ": dC0 is null for the LSTM");
        else assertNull(run.dC0(), name + ": dC0 must be null for " + c.cell());
        assertEquals(c.steps() * c.batch() * c.inputSize(), run.dInput().length, name + ": dInput length");
        assertEquals(stateSize, run.dH0().length, name + ": dH0 length");

        // numeric, double
        Map<String, double[]> params = ReferenceRecurrent.parametersOf(net);
        ReferenceRecurrent ref = new ReferenceRecurrent(config, params);
        double[] x = toDouble(in.input());
        double[] h0 = in.h0() == null ? new double[stateSize] : toDouble(in.h0());
        double[] c0 = in.c0() == null ? new double[stateSize] : toDouble(in.c0());
        double[] rd = toDouble(r), rhd = toDouble(rh), rcd = toDouble(rc);
        DoubleSupplier loss = () -> loss(ref.forward(x, c.steps(), c.batch(), c.lengths(), h0, c0), rd, rhd, rcd);

        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(in.seed() + 17);
        for (Parameter p : net.parameters()) {
            check(failures, p.name(), params.get(p.name()), run.grads().get(p.name()), loss, sampler, p.shape());
        }
        check(failures, "input", x, run.dInput(), loss, sampler, c.steps(), c.batch(), c.inputSize());
        check(failures, "h0", h0, run.dH0(), loss, sampler, states, c.batch(), c.hiddenSize());
        if (c.cell().lstm()) check(failures, "c0", c0, run.dC0(), loss, sampler, states, c.batch(), c.hiddenSize());
        assertNoFailures(name, failures);
    }

    static double loss(ReferenceRecurrent.Result result, double[] r, double[] rh, double[] rc) {
        double sum = 0;
        for (int i = 0; i < r.length; i++) sum += result.output()[i] * r[i];
        for (int i = 0; i < rh.length; i++) sum += result.hN()[i] * rh[i];
        if (rc != null) for (int i = 0; i < rc.length; i++) sum += result.cN()[i] * rc[i];
        return sum;
    }
}
