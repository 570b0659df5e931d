package dev.rnn4j.loss;

import dev.rnn4j.io.Json;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case of losses.safetensors (written by core/src/test/resources/optim/make_optim_fixtures.py): the loss and
 * its gradient agree with PyTorch's (float64 on the same float32 inputs) within 1e-6, relative to
 * {@code max(1, |reference|)}.
 */
class LossTorchTest {
    static final double TOLERANCE = 1e-6;
    static double maxLossError;
    static double maxGradientError;

    static SafetensorsFile fixture() throws Exception {
        URL url = LossTorchTest.class.getResource("/optim/losses.safetensors");
        if (url == null) throw new IllegalStateException("missing /optim/losses.safetensors; run make_optim_fixtures.py");
        return SafetensorsFile.read(Path.of(url.toURI()));
    }

    static Loss fromConfig(Map<String, Object> c) {
        return switch ((String) c.get("loss")) {
            case "mse" -> new MeanSquaredError();
            case "mae" -> new MeanAbsoluteError();
            case "huber" -> new Huber(((Number) c.get("delta")).doubleValue());
            case "cross_entropy" -> new SoftmaxCrossEntropy();
            case "bce" -> new BinaryCrossEntropy();
            default -> throw new IllegalArgumentException("unknown loss " + c);
        };
    }

    @TestFactory
    Stream<DynamicTest> matchesTorch() throws Exception {
        SafetensorsFile f = fixture();
        List<?> cases = (List<?>) Json.parse(f.metadata().get("cases"));
        assertTrue(cases.size() >= 12, "cases: " + cases);
        return cases.stream().map(o -> (String) o).map(name -> DynamicTest.dynamicTest(name, () -> {
            Loss loss = fromConfig(Json.parseObject(f.metadata().get(name)));
            long[] shape = f.shape(name + ".prediction");
            int n = (int) shape[0];
            int k = (int) shape[1];
            Matrix prediction = Matrix.of(f.floats(name + ".prediction"), n, k);
            Targets targets;
            if (f.has(name + ".classes")) {
                long[] ids = f.longs(name + ".classes");
                int[] classes = new int[ids.length];
                for (int i = 0; i < ids.length; i++) classes[i] = Math.toIntExact(ids[i]);
                targets = Targets.classes(classes);
            } else {
                targets = Targets.values(f.floats(name + ".target"));
            }
            if (f.has(name + ".mask")) targets = targets.withMask(f.floats(name + ".mask"));
            float[] g = new float[n * k];
            java.util.Arrays.fill(g, Float.NaN);   // every element must be overwritten
            double value = loss.lossAndGradient(prediction, targets, Matrix.of(g, n, k));

            double expectedLoss = f.doubles(name + ".loss")[0];
            double lossError = Math.abs(value - expectedLoss) / Math.max(1, Math.abs(expectedLoss));
            double[] expectedGrad = f.doubles(name + ".grad");
            double gradError = 0;
            for (int i = 0; i < g.length; i++) {
                gradError = Math.max(gradError, Math.abs(g[i] - expectedGrad[i]) / Math.max(1, Math.abs(expectedGrad[i])));
                if (Double.isNaN(g[i])) fail(name + ": gradient element " + i + " was not written");
            }
            synchronized (LossTorchTest.class) {
                maxLossError = Math.max(maxLossError, lossError);
                maxGradientError = Math.max(maxGradientError, gradError);
            }
            assertTrue(lossError <= TOLERANCE, name + ": loss " + value + " vs torch " + expectedLoss);
            assertTrue(gradError <= TOLERANCE, name + ": gradient differs from torch's by " + gradError);
            assertEquals(value, loss.loss(prediction, targets), 0.0, "loss() without a gradient");
        }));
    }

    @AfterAll
    static void report() {
        System.out.printf("losses vs torch: max loss error %.3g, max gradient error %.3g%n", maxLossError, maxGradientError);
    }
}
