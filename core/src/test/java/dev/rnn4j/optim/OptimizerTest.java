package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    /** One of each optimizer, with every state slot in use. */
    static final Map<String, Supplier<Optimizer>> WITH_STATE = Map.of(
            "sgd momentum nesterov", () -> Sgd.builder(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).build(),
            "adam amsgrad", () -> Adam.builder().learningRate(0.01).weightDecay(0.01).amsgrad(true).build(),
            "adamw amsgrad", () -> AdamW.builder().learningRate(0.01).amsgrad(true).build(),
            "rmsprop centered momentum", () -> RmsProp.builder().momentum(0.9).centered(true).weightDecay(0.01).build());

    static List<Parameter> parameters(long seed) {
        Random rnd = new Random(seed);
        // 37 elements: full vectors and a masked tail on any vector width
        List<Parameter> ps = List.of(new Parameter("rnn.weight_ih_l0", 37), new Parameter("rnn.bias_ih_l0", 5));
        for (Parameter p : ps) for (int i = 0; i < p.size(); i++) p.value()[i] = (float) rnd.nextGaussian();
        return ps;
    }

    static void randomGradients(List<Parameter> ps, Random rnd) {
        for (Parameter p : ps) for (int i = 0; i < p.size(); i++) p.grad()[i] = (float) rnd.nextGaussian();
    }

    static List<Parameter> copy(List<Parameter> ps) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : ps) {
            Parameter c = new Parameter(p.name(), p.shape());
            c.set(p.value());
            out.add(c);
        }
        return out;
    }

    @Test
    void stateRoundTripResumesBitwiseIdentically() {
        WITH_STATE.forEach((name, make) -> {
            List<Parameter> uninterrupted = parameters(1);
            Optimizer a = make.get();
            Random grads = new Random(2);
            for (int s = 0; s < 3; s++) {
                randomGradients(uninterrupted, grads);
                a.step(uninterrupted);
            }
            Map<String, float[]> saved = a.state();
            assertTrue(!saved.isEmpty(), name);
            for (String key : saved.keySet()) assertTrue(key.startsWith("rnn."), name + ": key " + key);

            // a fresh optimizer and a copy of the parameters, resumed from the checkpoint
            List<Parameter> resumed = copy(uninterrupted);
            Optimizer b = make.get();
            b.loadState(saved, a.stepCount());
            assertEquals(3, b.stepCount(), name);
            for (int s = 0; s < 2; s++) {
                randomGradients(uninterrupted, grads);
                for (int i = 0; i < resumed.size(); i++) {
                    System.arraycopy(uninterrupted.get(i).grad(), 0, resumed.get(i).grad(), 0, resumed.get(i).size());
                }
                a.step(uninterrupted);
                b.step(resumed);
            }
            for (int i = 0; i < resumed.size(); i++) {
                assertArrayEquals(uninterrupted.get(i).value(), resumed.get(i).value(), name + " " + resumed.get(i).name());
            }
            Map<String, float[]> sa = a.state();
            Map<String, float[]> sb = b.state();
            assertEquals(sa.keySet(), sb.keySet(), name);
            sa.forEach((k, v) -> assertArrayEquals(v, sb.get(k), name + " " + k));
        });
    }

    @Test
    void stateIsCopiedAndNamedAsTorch() {
        List<Parameter> ps = parameters(3);
        Optimizer adam = Adam.builder().amsgrad(true).build();
        assertTrue(adam.state().isEmpty(), "no state before the first step");
        randomGradients(ps, new Random(4));
        adam.step(ps);
        Map<String, float[]> state = adam.state();
        assertEquals(List.of("rnn.weight_ih_l0/exp_avg", "rnn.weight_ih_l0/exp_avg_sq", "rnn.weight_ih_l0/max_exp_avg_sq",
                "rnn.bias_ih_l0/exp_avg", "rnn.bias_ih_l0/exp_avg_sq", "rnn.bias_ih_l0/max_exp_avg_sq"), List.copyOf(state.keySet()));
        float[] before = state.get("rnn.weight_ih_l0/exp_avg").clone();
        adam.step(ps);
        assertArrayEquals(before, state.get("rnn.weight_ih_l0/exp_avg"), "state() returns copies");
        assertNotEquals(before[0], adam.state().get("rnn.weight_ih_l0/exp_avg")[0]);

        assertEquals(List.of(), List.copyOf(stepOnce(Sgd.builder(0.1).build()).keySet()), "plain SGD has no state");
        assertEquals(List.of("rnn.weight_ih_l0/momentum_buffer", "rnn.bias_ih_l0/momentum_buffer"),
                List.copyOf(stepOnce(Sgd.builder(0.1).momentum(0.5).build()).keySet()));
        assertEquals(List.of("rnn.weight_ih_l0/square_avg", "rnn.weight_ih_l0/momentum_buffer", "rnn.weight_ih_l0/grad_avg",
                        "rnn.bias_ih_l0/square_avg", "rnn.bias_ih_l0/momentum_buffer", "rnn.bias_ih_l0/grad_avg"),
                List.copyOf(stepOnce(RmsProp.builder().momentum(0.5).centered(true).build()).keySet()));
    }

    private static Map<String, float[]> stepOnce(Optimizer opt) {
        List<Parameter> ps = parameters(5);
        randomGradients(ps, new Random(6));
        opt.step(ps);
        assertEquals(1, opt.stepCount());
        return opt.state();
    }

    @Test
    void stepDoesNotZeroGradients() {
        List<Parameter> ps = parameters(7);
        randomGradients(ps, new Random(8));
        float[] grad = ps.get(0).grad().clone();
        Adam.builder().build().step(ps);
        assertArrayEquals(grad, ps.get(0).grad());
    }

    @Test
    void loadStateRejectsWhatDoesNotFit() {
        Optimizer adam = Adam.builder().build();
        float[] five = new float[5];
        assertMessage("slot 'momentum_buffer'", () -> adam.loadState(Map.of("rnn.bias_ih_l0/momentum_buffer", five), 1));
        assertMessage("lacks [rnn.bias_ih_l0/exp_avg_sq]", () -> adam.loadState(Map.of("rnn.bias_ih_l0/exp_avg", five), 1));
        assertMessage("not '<parameter name>/<slot>'", () -> adam.loadState(Map.of("exp_avg", five), 1));
        assertMessage("step count is -1", () -> adam.loadState(Map.of(), -1));
        assertMessage("differ in size", () -> adam.loadState(Map.of("b/exp_avg", five, "b/exp_avg_sq", new float[4]), 1));

        // sizes are checked against the parameters at the next step
        Map<String, float[]> wrongSize = new HashMap<>();
        wrongSize.put("rnn.bias_ih_l0/exp_avg", new float[4]);
        wrongSize.put("rnn.bias_ih_l0/exp_avg_sq", new float[4]);
        adam.loadState(wrongSize, 1);
        List<Parameter> ps = parameters(9);
        assertMessage("'rnn.bias_ih_l0/exp_avg' has 4 values", () -> adam.step(ps));

        Optimizer sgd = Sgd.builder(0.1).build();
        assertMessage("does not use", () -> sgd.loadState(Map.of("w/momentum_buffer", five), 1));
    }

    @Test
    void duplicateNamesAreRefused() {
        List<Parameter> ps = List.of(new Parameter("w", 3), new Parameter("w", 3));
        assertMessage("two parameters are named 'w'", () -> Adam.builder().build().step(ps));
    }

    @Test
    void hyperparametersAreValidatedAsTorch() {
        assertMessage("learning rate is -0.1", () -> Sgd.builder(-0.1).build());
        assertMessage("Nesterov", () -> Sgd.builder(0.1).nesterov(true).build());
        assertMessage("Nesterov", () -> Sgd.builder(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertMessage("beta2 is 1.0", () -> Adam.builder().betas(0.9, 1.0).build());
        assertMessage("epsilon is -1.0", () -> AdamW.builder().epsilon(-1).build());
        assertMessage("weight decay is -0.01", () -> RmsProp.builder().weightDecay(-0.01).build());
        assertMessage("learning rate is NaN", () -> Adam.builder().build().setLearningRate(Double.NaN));
        Optimizer opt = RmsProp.builder().build();
        assertEquals(0.01, opt.learningRate());
        opt.setLearningRate(0.5);
        assertEquals(0.5, opt.learningRate());
    }

    @Test
    void defaultsAreTorchs() {
        assertEquals(1e-3, Adam.builder().build().learningRate());
        assertTrue(Adam.builder().build().toString().contains("betas=(0.9, 0.999), epsilon=1.0E-8, weightDecay=0.0, amsgrad=false"));
        assertTrue(AdamW.builder().build().toString().contains("weightDecay=0.01"));
        assertTrue(RmsProp.builder().build().toString().contains("learningRate=0.01, alpha=0.99, epsilon=1.0E-8, weightDecay=0.0, momentum=0.0, centered=false"));
        assertTrue(Sgd.builder(0.1).build().toString().contains("momentum=0.0, dampening=0.0, nesterov=false, weightDecay=0.0"));
    }

    /**
     * f(x, y) = (x - 1)^2 + 10 (y + 2)^2, ill-conditioned by a factor of 10, from (-3, 2): every optimizer gets within
     * 1e-2 of the minimum (1, -2) in 500 steps, and the loss falls by a factor of at least 1e4.
     */
    @Test
    void quadraticConvergesWithEveryOptimizer() {
        Map<String, Supplier<Optimizer>> optimizers = Map.of(
                "sgd", () -> Sgd.builder(0.04).build(),
                "sgd momentum", () -> Sgd.builder(0.02).momentum(0.9).build(),
                "sgd nesterov", () -> Sgd.builder(0.02).momentum(0.9).nesterov(true).build(),
                "adam", () -> Adam.builder().learningRate(0.1).build(),
                "adam amsgrad", () -> Adam.builder().learningRate(0.1).amsgrad(true).build(),
                "adamw", () -> AdamW.builder().learningRate(0.1).weightDecay(1e-4).build(),
                "rmsprop", () -> RmsProp.builder().learningRate(0.03).build(),
                "rmsprop centered momentum", () -> RmsProp.builder().learningRate(0.005).momentum(0.9).centered(true).build());
        optimizers.forEach((name, make) -> {
            Optimizer opt = make.get();
            Parameter xy = new Parameter("xy", 2);
            xy.set(new float[]{-3f, 2f});
            double initial = quadratic(xy);
            for (int s = 0; s < 500; s++) {
                xy.zeroGrad();
                xy.grad()[0] = 2 * (xy.value()[0] - 1);
                xy.grad()[1] = 20 * (xy.value()[1] + 2);
                opt.step(List.of(xy));
            }
            double distance = Math.hypot(xy.value()[0] - 1, xy.value()[1] + 2);
            assertTrue(distance < 1e-2, name + " ends at " + xy.value()[0] + ", " + xy.value()[1]);
            assertTrue(quadratic(xy) < initial * 1e-4, name + ": loss " + quadratic(xy) + " from " + initial);
            assertEquals(500, opt.stepCount());
        });
    }

    private static double quadratic(Parameter xy) {
        double x = xy.value()[0] - 1;
        double y = xy.value()[1] + 2;
        return x * x + 10 * y * y;
    }

    static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
