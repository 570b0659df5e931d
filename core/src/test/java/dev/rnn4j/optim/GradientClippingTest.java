package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clipping.safetensors: torch.nn.utils.clip_grad_norm_ and clip_grad_value_, matched within 1e-6 relative. */
class GradientClippingTest {
    static final OptimFixture FIXTURE = OptimFixture.read("clipping.safetensors");
    static double maxError;

    static List<Parameter> gradients(String name) {
        int count = Integer.parseInt(FIXTURE.file.metadata().get("count"));
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] g = FIXTURE.file.floats(name + ".grad_in." + i);
            Parameter p = new Parameter("p" + i, g.length);
            System.arraycopy(g, 0, p.grad(), 0, g.length);
            ps.add(p);
        }
        return ps;
    }

    @TestFactory
    Stream<DynamicTest> matchesTorch() {
        assertTrue(FIXTURE.cases().size() >= 4);
        return FIXTURE.cases().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Map<String, Object> c = FIXTURE.config(name);
            List<Parameter> ps = gradients(name);
            if (c.get("clip").equals("norm")) {
                double norm = GradientClipping.clipByGlobalNorm(ps, OptimFixture.number(c, "max_norm", Double.NaN));
                double expected = FIXTURE.file.doubles(name + ".total_norm")[0];
                record(Math.abs(norm - expected) / expected);
                assertEquals(expected, norm, 1e-6 * expected, name + " total norm");
            } else {
                GradientClipping.clipByValue(ps, OptimFixture.number(c, "clip_value", Double.NaN));
            }
            boolean changed = false;
            for (int i = 0; i < ps.size(); i++) {
                float[] expected = FIXTURE.file.floats(name + ".grad_out." + i);
                float[] in = FIXTURE.file.floats(name + ".grad_in." + i);
                float[] actual = ps.get(i).grad();
                for (int j = 0; j < expected.length; j++) {
                    changed |= expected[j] != in[j];
                    double err = Math.abs(actual[j] - expected[j]) / Math.max(1e-1, Math.abs(expected[j]));
                    record(err);
                    assertTrue(err <= 1e-6, name + " p" + i + "[" + j + "]: " + actual[j] + " vs torch " + expected[j]);
                }
            }
            assertEquals(!name.equals("norm_not_clipped"), changed, name + ": does the fixture clip?");
        }));
    }

    private static synchronized void record(double err) {
        maxError = Math.max(maxError, err);
    }

    @Test
    void nonFiniteGradientThrowsNamingTheParameterAndLeavesGradientsAlone() {
        Parameter a = new Parameter("rnn.weight_hh_l0", 4);
        Parameter b = new Parameter("fc.bias", 3);
        a.grad()[1] = 1e30f;
        b.grad()[2] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0));
        assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("fc.bias")
                && e.getMessage().contains("element 2"), e.getMessage());
        assertEquals(1e30f, a.grad()[1], "unchanged");

        b.grad()[2] = Float.POSITIVE_INFINITY;
        e = assertThrows(IllegalStateException.class, () -> GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0));
        assertTrue(e.getMessage().contains("fc.bias"), e.getMessage());
    }

    @Test
    void hugeFiniteGradientsDoNotOverflowTheNorm() {
        Parameter p = new Parameter("w", 2);
        p.grad()[0] = 3e38f;
        p.grad()[1] = 3e38f;
        double norm = GradientClipping.clipByGlobalNorm(List.of(p), 1.0);
        assertEquals(3e38 * Math.sqrt(2), norm, 1e-6 * norm);
        assertEquals(1.0, Math.hypot(p.grad()[0], p.grad()[1]), 1e-6);
    }

    @Test
    void clipByValueKeepsNaNAndCoversEveryLane() {
        Parameter p = new Parameter("w", 37);
        for (int i = 0; i < 37; i++) p.grad()[i] = (i % 2 == 0 ? 1 : -1) * i * 0.1f;
        p.grad()[36] = Float.NaN;
        GradientClipping.clipByValue(List.of(p), 1.0);
        for (int i = 0; i < 36; i++) assertTrue(Math.abs(p.grad()[i]) <= 1f && (i < 10 || Math.abs(p.grad()[i]) == 1f), "element " + i);
        assertTrue(Float.isNaN(p.grad()[36]));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByValue(List.of(p), -1));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(List.of(p), Double.NaN));
    }

    @Test
    void globalNormScalesEveryLane() {
        Parameter p = new Parameter("w", 37);
        float[] g = new float[37];
        for (int i = 0; i < 37; i++) g[i] = i + 1;
        System.arraycopy(g, 0, p.grad(), 0, 37);
        double norm = GradientClipping.clipByGlobalNorm(List.of(p), 2.0);
        float scale = (float) (2.0 / (norm + 1e-6));
        float[] expected = new float[37];
        for (int i = 0; i < 37; i++) expected[i] = g[i] * scale;
        assertArrayEquals(expected, p.grad());
    }

    @AfterAll
    static void report() {
        System.out.printf("clipping vs torch: max relative error %.3g%n", maxError);
    }
}
