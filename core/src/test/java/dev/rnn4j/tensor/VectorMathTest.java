package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    /** Marks destination elements outside the written range. */
    private static final float UNTOUCHED = -123.5f;
    private static final double ACTIVATION_TOLERANCE = 2e-6;

    /** A range array form under test: dst[dstOff + i] = f(src[srcOff + i]) for i &lt; n. */
    private interface ArrayForm {
        void apply(float[] src, int srcOff, float[] dst, int dstOff, int n);
    }

    /** Inputs from -100 to 100: a dense grid near zero, large magnitudes, and exact zero. */
    private static float[] inputs() {
        SplittableRandom random = new SplittableRandom(7);
        float[] fixed = {0f, -0f, 1e-7f, -1e-7f, 1e-3f, -1e-3f, 0.5f, -0.5f, 1f, -1f, 5f, -5f, 9f, -9f, 15f, -15f,
            20f, -20f, 30f, -30f, 88f, -88f, 100f, -100f};
        float[] values = Arrays.copyOf(fixed, fixed.length + 1000);
        for (int i = 0; i < 600; i++) values[fixed.length + i] = -12f + 24f * i / 599f;
        for (int i = 600; i < 1000; i++) values[fixed.length + i] = (float) (random.nextDouble() * 200 - 100);
        return values;
    }

    @Test
    void sigmoidMatchesMathWithinTolerance() {
        float[] x = inputs();
        float[] y = checkArrayForm(VectorMath::sigmoid, x, v -> 1 / (1 + Math.exp(-v)), ACTIVATION_TOLERANCE);
        for (int i = 0; i < x.length; i++) {
            assertTrue(y[i] >= 0f && y[i] <= 1f, "sigmoid(" + x[i] + ") = " + y[i]);
        }
        assertEquals(0f, apply(VectorMath::sigmoid, -100f), "sigmoid(-100)");
        assertEquals(1f, apply(VectorMath::sigmoid, 100f), "sigmoid(100)");
        assertEquals(1f, apply(VectorMath::sigmoid, 20f), 1e-7, "sigmoid(20)");
        assertEquals(0f, apply(VectorMath::sigmoid, -20f), 1e-8, "sigmoid(-20)");
    }

    @Test
    void tanhMatchesMathWithinTolerance() {
        float[] x = inputs();
        checkArrayForm(VectorMath::tanh, x, Math::tanh, ACTIVATION_TOLERANCE);
        assertEquals(-1f, apply(VectorMath::tanh, -100f));
        assertEquals(1f, apply(VectorMath::tanh, 100f));
        assertEquals(1f, apply(VectorMath::tanh, 20f));
    }

    @Test
    void reluIsExact() {
        checkArrayForm(VectorMath::relu, inputs(), v -> Math.max(v, 0), 0);
    }

    @Test
    void derivativesFromOutputsMatchFormulas() {
        float[] x = inputs();
        float[] sigmoids = new float[x.length], tanhs = new float[x.length], relus = new float[x.length];
        VectorMath.sigmoid(x, 0, sigmoids, 0, x.length);
        VectorMath.tanh(x, 0, tanhs, 0, x.length);
        VectorMath.relu(x, 0, relus, 0, x.length);
        checkArrayForm(VectorMath::sigmoidDerivativeFromOutput, sigmoids, s -> s * (1 - s), 1e-6);
        checkArrayForm(VectorMath::tanhDerivativeFromOutput, tanhs, t -> 1 - t * t, 1e-6);
        checkArrayForm(VectorMath::reluDerivativeFromOutput, relus, r -> r > 0 ? 1 : 0, 0);
        assertEquals(0f, apply(VectorMath::reluDerivativeFromOutput, 0f), "relu'(0) from output 0");
        assertEquals(0.25f, apply(VectorMath::sigmoidDerivativeFromOutput, 0.5f), 1e-7);
    }

    @Test
    void sigmoidWorksInPlace() {
        float[] x = inputs();
        float[] data = x.clone();
        VectorMath.sigmoid(data, 3, data, 3, data.length - 3);
        for (int i = 0; i < x.length; i++) {
            double expected = i < 3 ? x[i] : 1 / (1 + Math.exp(-x[i]));
            assertEquals(expected, data[i], ACTIVATION_TOLERANCE, "index " + i);
        }
    }

    /**
     * Runs {@code form} over several lengths (0, 1, not multiples of the vector length, all) at several
     * source and destination offsets; checks every result against {@code reference} and that nothing
     * outside the destination range changed. Returns the outputs for all of {@code x} at offset zero.
     */
    private static float[] checkArrayForm(ArrayForm form, float[] x, DoubleUnaryOperator reference,
                                          double tolerance) {
        int lanes = VectorMath.SPECIES.length();
        int[] lengths = {0, 1, lanes - 1, lanes + 1, 2 * lanes + 5, 37, x.length};
        int[][] offsets = {{0, 0}, {3, 5}, {1, 0}, {0, 7}};
        for (int n : lengths) {
            for (int[] offset : offsets) {
                int srcOff = offset[0], dstOff = offset[1];
                if (srcOff + n > x.length) continue;
                float[] dst = new float[dstOff + n + 9];
                Arrays.fill(dst, UNTOUCHED);
                form.apply(x, srcOff, dst, dstOff, n);
                for (int i = 0; i < dst.length; i++) {
                    boolean written = i >= dstOff && i < dstOff + n;
                    if (!written) {
                        assertEquals(UNTOUCHED, dst[i], "dst[" + i + "] outside the range was written (n " + n
                                + ", offsets " + srcOff + "/" + dstOff + ")");
                        continue;
                    }
                    float input = x[srcOff + i - dstOff];
                    double expected = reference.applyAsDouble(input);
                    if (Float.isNaN(dst[i]) || !(Math.abs(dst[i] - expected) <= tolerance)) {
                        fail("f(" + input + ") = " + dst[i] + ", expected " + expected + " within " + tolerance
                                + " (n " + n + ", offsets " + srcOff + "/" + dstOff + ")");
                    }
                }
            }
        }
        float[] all = new float[x.length];
        form.apply(x, 0, all, 0, x.length);
        return all;
    }

    private static float apply(ArrayForm form, float x) {
        float[] out = new float[1];
        form.apply(new float[] {x}, 0, out, 0, 1);
        return out[0];
    }

    /**
     * Column sums give the bits of the GEMM with a row of ones they replace, over several equal row blocks, on one
     * thread and split over two.
     */
    @Test
    void columnSumsEqualAProductWithOnesBitwise() {
        int threads = Parallel.threads();
        try {
            for (int n : new int[] {1, 2}) {
                Parallel.setThreads(n);
                checkColumnSums();
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    private static void checkColumnSums() {
        SplittableRandom random = new SplittableRandom(21);
        for (int[] shape : new int[][] {{1, 1}, {300, 37}, {6400, 40}, {257, 16}, {40, 1024}, {9, 300}}) {
            Matrix a = GemmTest.randomView(random, shape[0], shape[1], true);
            float[] start = new float[shape[1]];
            for (int j = 0; j < start.length; j++) start[j] = (float) random.nextDouble(-1, 1);
            float[] sums = start.clone();
            VectorMath.addColumnSums(a, new float[shape[1] + 3], sums);
            float[] ones = new float[shape[0]];
            Arrays.fill(ones, 1f);
            float[] product = start.clone();
            Gemm.multiply(1f, Matrix.of(ones, 1, shape[0]), Op.N, a, Op.N, 1f, Matrix.of(product, 1, shape[1]));
            assertArrayEquals(product, sums, shape[0] + "x" + shape[1]);
            double first = 0;
            for (int r = 0; r < shape[0]; r++) first += a.get(r, 0);
            assertEquals(first + start[0], sums[0], 1e-4 * (1 + shape[0]), "column 0 against a double sum");
        }
    }

    @Test
    void sumOfSquaresMatchesADoubleSum() {
        float[] v = inputs();
        double expected = 0;
        for (int i = 3; i < v.length - 5; i++) expected += (double) v[i] * v[i];
        assertEquals(expected, VectorMath.sumOfSquares(v, 3, v.length - 8), 1e-6 * expected);
        assertEquals(0.0, VectorMath.sumOfSquares(v, 0, 0));
    }
}
