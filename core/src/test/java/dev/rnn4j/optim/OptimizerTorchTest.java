package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every optimizer configuration of optimizers.safetensors, five steps from the same parameters and gradients as
 * torch.optim in float32: the parameters after each step agree within 1e-6 relative (1e-7 absolute floor).
 */
class OptimizerTorchTest {
    static final double FLOOR = 1e-7;
    static final OptimFixture FIXTURE = OptimFixture.read("optimizers.safetensors");
    static double maxRelative;   // over all cases: |err| / |expected| where |expected| > 1e-3
    static double maxAbsolute;
    static double maxScaled;     // |err| / (1e-6 |expected| + 1e-7), must be <= 1
    static long compared;
    static long bitwiseEqual;
    static final Map<String, Double> SCALED_BY_CASE = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The optimizer a fixture configuration describes (torch.optim's keyword arguments). */
    static Optimizer fromConfig(Map<String, Object> c) {
        double lr = OptimFixture.number(c, "lr", Double.NaN);
        double weightDecay = OptimFixture.number(c, "weight_decay", -1);
        List<?> betas = (List<?>) c.get("betas");
        return switch ((String) c.get("optimizer")) {
            case "SGD" -> Sgd.builder(lr)
                    .momentum(OptimFixture.number(c, "momentum", 0))
                    .dampening(OptimFixture.number(c, "dampening", 0))
                    .nesterov(OptimFixture.flag(c, "nesterov"))
                    .weightDecay(Math.max(0, weightDecay))
                    .build();
            case "Adam", "AdamW" -> {
                boolean decoupled = c.get("optimizer").equals("AdamW");
                double b1 = betas == null ? 0.9 : ((Number) betas.get(0)).doubleValue();
                double b2 = betas == null ? 0.999 : ((Number) betas.get(1)).doubleValue();
                double eps = OptimFixture.number(c, "eps", 1e-8);
                boolean amsgrad = OptimFixture.flag(c, "amsgrad");
                if (decoupled) {
                    AdamW.Builder b = AdamW.builder().learningRate(lr).betas(b1, b2).epsilon(eps).amsgrad(amsgrad);
                    if (weightDecay >= 0) b.weightDecay(weightDecay);   // else AdamW's default, as torch's
                    yield b.build();
                }
                Adam.Builder b = Adam.builder().learningRate(lr).betas(b1, b2).epsilon(eps).amsgrad(amsgrad);
                if (weightDecay >= 0) b.weightDecay(weightDecay);
                yield b.build();
            }
            case "RMSprop" -> RmsProp.builder().learningRate(lr)
                    .alpha(OptimFixture.number(c, "alpha", 0.99))
                    .epsilon(OptimFixture.number(c, "eps", 1e-8))
                    .weightDecay(Math.max(0, weightDecay))
                    .momentum(OptimFixture.number(c, "momentum", 0))
                    .centered(OptimFixture.flag(c, "centered"))
                    .build();
            default -> throw new IllegalArgumentException("unknown optimizer in " + c);
        };
    }

    static List<Parameter> initialParameters() {
        List<Parameter> params = new ArrayList<>();
        for (String name : FIXTURE.metaList("params")) {
            long[] shape = FIXTURE.file.shape("init." + name);
            int[] dims = new int[shape.length];
            for (int i = 0; i < shape.length; i++) dims[i] = (int) shape[i];
            Parameter p = new Parameter(name, dims);
            p.set(FIXTURE.file.floats("init." + name));
            params.add(p);
        }
        return params;
    }

    static void setGradients(List<Parameter> params, int step) {
        for (Parameter p : params) {
            float[] g = FIXTURE.file.floats("grad." + step + "." + p.name());
            System.arraycopy(g, 0, p.grad(), 0, g.length);
        }
    }

    @TestFactory
    Stream<DynamicTest> matchesTorchOptim() {
        List<String> cases = FIXTURE.cases();
        assertTrue(cases.size() >= 8, "cases: " + cases);
        return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Optimizer opt = fromConfig(FIXTURE.config(name));
            List<Parameter> params = initialParameters();
            int steps = Integer.parseInt(FIXTURE.file.metadata().get("steps"));
            for (int s = 0; s < steps; s++) {
                for (Parameter p : params) p.zeroGrad();
                setGradients(params, s);
                opt.step(params);
                assertEquals(s + 1, opt.stepCount());
                for (Parameter p : params) {
                    float[] expected = FIXTURE.file.floats(name + "." + s + "." + p.name());
                    float[] actual = p.value();
                    for (int i = 0; i < expected.length; i++) {
                        double scaled = OptimFixture.relativeError(actual[i], expected[i], FLOOR);
                        double abs = Math.abs(actual[i] - expected[i]);
                        synchronized (OptimizerTorchTest.class) {
                            maxScaled = Math.max(maxScaled, scaled);
                            SCALED_BY_CASE.merge(name, scaled, Math::max);
                            compared++;
                            if (Float.floatToRawIntBits(actual[i]) == Float.floatToRawIntBits(expected[i])) bitwiseEqual++;
                            maxAbsolute = Math.max(maxAbsolute, abs);
                            if (Math.abs(expected[i]) > 1e-3) maxRelative = Math.max(maxRelative, abs / Math.abs(expected[i]));
                        }
                        if (scaled > 1) {
                            fail(name + " step " + s + " " + p.name() + "[" + i + "]: " + actual[i] + " vs torch "
                                    + expected[i] + " (" + opt + ")");
                        }
                    }
                }
            }
        }));
    }

    @AfterAll
    static void report() {
        System.out.printf("optimizers vs torch.optim: max |err| %.3g, max relative %.3g (|p| > 1e-3), max err/(1e-6|p|+1e-7) %.3f%n",
                maxAbsolute, maxRelative, maxScaled);
        System.out.printf("  %d of %d values bitwise equal to torch's%n", bitwiseEqual, compared);
        SCALED_BY_CASE.forEach((k, v) -> System.out.printf("  %-42s err/(1e-6|p|+1e-7) %.3f%n", k, v));
    }
}
