package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {
    /** Marks array elements outside a view, which Gemm must never change. */
    static final float OUTSIDE = -7.25f;

    private final SplittableRandom random = new SplittableRandom(20240611);

    @Test
    void matchesReferenceOnEdgeAndOddShapes() {
        int[][] shapes = {
            {1, 1, 1}, {1, 45, 9}, {37, 1, 9}, {23, 19, 1}, {8, 32, 16}, {9, 33, 17}, {16, 31, 15},
            {17, 33, 65}, {130, 257, 129},
            {2, 3, 700},   // K spans several K blocks: later blocks must add onto the first
            {300, 20, 7},  // M spans two row blocks
            {5, 1100, 3},  // N spans two column panels
        };
        float[][] alphaBetas = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (int[] shape : shapes) {
            for (Op opA : Op.values()) {
                for (Op opB : Op.values()) {
                    for (float[] alphaBeta : alphaBetas) {
                        checkAgainstReference(shape[0], shape[1], shape[2], opA, opB, alphaBeta[0], alphaBeta[1],
                                true);
                    }
                }
            }
        }
    }

    @Test
    void matchesReferenceOnRandomShapesAndViews() {
        float[] scalars = {0f, 1f, -1f, 0.5f, 3f};
        for (int trial = 0; trial < 300; trial++) {
            int m = random.nextInt(0, 41), n = random.nextInt(0, 80), k = random.nextInt(0, 70);
            Op opA = random.nextBoolean() ? Op.N : Op.T;
            Op opB = random.nextBoolean() ? Op.N : Op.T;
            float alpha = scalars[random.nextInt(1, scalars.length)];
            float beta = scalars[random.nextInt(scalars.length)];
            checkAgainstReference(m, n, k, opA, opB, alpha, beta, random.nextBoolean());
        }
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        for (int k : new int[] {0, 5, 300}) {
            Matrix a = randomView(13, k, false), b = randomView(k, 40, false);
            Matrix c = nanView(13, 40);
            Gemm.multiply(1f, a, Op.N, b, Op.N, 0f, c);
            double[] expected = product(1f, a, Op.N, b, Op.N);
            for (int i = 0; i < 13; i++) {
                for (int j = 0; j < 40; j++) {
                    assertEquals(expected[i * 40 + j], c.get(i, j), 1e-4, "c[" + i + "][" + j + "] with K=" + k);
                }
            }
        }
    }

    @Test
    void emptySharedDimensionScalesC() {
        Matrix a = randomView(6, 0, true), b = randomView(0, 21, true);
        Matrix c = randomView(6, 21, true);
        float[] before = c.data().clone();
        Gemm.multiply(2f, a, Op.N, b, Op.N, 0.5f, c);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 21; j++) {
                assertEquals(0.5f * before[c.offset() + i * c.stride() + j], c.get(i, j), "c[" + i + "][" + j + "]");
            }
        }
        assertOutsideUnchanged(before, c);
    }

    @Test
    void alphaZeroDoesNotReadOperands() {
        Matrix a = nanView(7, 9), b = nanView(9, 18);
        Matrix c = randomView(7, 18, true);
        float[] before = c.data().clone();
        Gemm.multiply(0f, a, Op.N, b, Op.N, -1f, c);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 18; j++) {
                assertEquals(-before[c.offset() + i * c.stride() + j], c.get(i, j));
            }
        }
    }

    @Test
    void emptyOutputChangesNothing() {
        Matrix a = randomView(0, 5, true), b = randomView(5, 7, true), c = randomView(0, 7, true);
        float[] before = c.data().clone();
        Gemm.multiply(1f, a, Op.N, b, Op.N, 0f, c);
        assertArrayEquals(before, c.data());
        Matrix c2 = randomView(4, 0, true);
        float[] before2 = c2.data().clone();
        Gemm.multiply(1f, randomView(4, 5, false), Op.N, randomView(5, 0, false), Op.N, 0f, c2);
        assertArrayEquals(before2, c2.data());
    }

    @Test
    void rejectsMismatchedShapes() {
        Matrix a = randomView(4, 5, false), b = randomView(6, 7, false), c = randomView(4, 7, false);
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(1f, a, Op.N, b, Op.N, 0f, c));
        assertTrue(inner.getMessage().contains("4x5") && inner.getMessage().contains("6x7"), inner.getMessage());
        // Transposing a fixes the inner dimension only if its rows match: 5x4 * 6x7 still disagrees.
        assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(1f, a, Op.T, b, Op.N, 0f, c));
        Matrix wrongC = randomView(4, 6, false);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(1f, a, Op.N, randomView(5, 7, false), Op.N, 0f, wrongC));
    }

    @Test
    void twoThreadsMatchOneThread() {
        int saved = Parallel.threads();
        // Large enough to be split: over rows (M >> N, and the long-K gradient shape) and, for op(B) = B^T with
        // small M (the recurrent step), over columns.
        int[][] shapes = {{600, 96, 80}, {48, 700, 96}, {160, 64, 900}};
        try {
            for (int[] shape : shapes) {
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        int m = shape[0], n = shape[1], k = shape[2];
                        Matrix a = opA == Op.N ? randomView(m, k, true) : randomView(k, m, true);
                        Matrix b = opB == Op.N ? randomView(k, n, true) : randomView(n, k, true);
                        Matrix c1 = randomView(m, n, true);
                        Matrix c2 = new Matrix(c1.data().clone(), c1.offset(), m, n, c1.stride());
                        float[] before = c1.data().clone();

                        Parallel.setThreads(1);
                        Gemm.multiply(0.75f, a, opA, b, opB, 0.5f, c1);
                        Parallel.setThreads(2);
                        Gemm.multiply(0.75f, a, opA, b, opB, 0.5f, c2);

                        String where = m + "x" + n + "x" + k + " op" + opA + opB;
                        double[] bound = magnitudeBound(0.75f, a, opA, b, opB, 0.5f, before, c1);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double tolerance = 1e-5 * bound[i * n + j] + 1e-6;
                                assertEquals(c1.get(i, j), c2.get(i, j), tolerance, where + " at " + i + "," + j);
                            }
                        }
                        assertReference(0.75f, a, opA, b, opB, 0.5f, before, c2, where);
                        assertOutsideUnchanged(before, c2);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aServedStepOfOneRowSplitsByTheBytesOfItsPackedWeightsAndKeepsItsBits() {
        int saved = Parallel.threads();
        // W_hh of H = 256 packed (1 MB): below the FLOP threshold, above the byte threshold; and H = 128 (256 KB)
        int[][] shapes = {{1, 1024, 256}, {3, 1024, 256}, {1, 512, 128}};
        try {
            for (int[] shape : shapes) {
                int m = shape[0], n = shape[1], k = shape[2];
                Matrix a = randomView(m, k, true);
                Gemm.PackedMatrix w = Gemm.pack(randomView(n, k, false), Op.T);
                Matrix c1 = randomView(m, n, true);
                Matrix c2 = new Matrix(c1.data().clone(), c1.offset(), m, n, c1.stride());
                float[] before = c1.data().clone();
                Parallel.setThreads(1);
                Gemm.multiply(1f, a, Op.N, w, 0.5f, c1);
                Parallel.setThreads(2);
                Gemm.multiply(1f, a, Op.N, w, 0.5f, c2);
                assertArrayEquals(c1.data(), c2.data(), m + "x" + n + "x" + k + ": two threads changed bits");
                assertOutsideUnchanged(before, c2);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    // ---- helpers ----

    private void checkAgainstReference(int m, int n, int k, Op opA, Op opB, float alpha, float beta,
                                       boolean padded) {
        Matrix a = opA == Op.N ? randomView(m, k, padded) : randomView(k, m, padded);
        Matrix b = opB == Op.N ? randomView(k, n, padded) : randomView(n, k, padded);
        Matrix c = randomView(m, n, padded);
        float[] aBefore = a.data().clone(), bBefore = b.data().clone(), cBefore = c.data().clone();
        String where = m + "x" + n + "x" + k + " op" + opA + opB + " alpha " + alpha + " beta " + beta
                + (padded ? " (padded views)" : "");
        Gemm.multiply(alpha, a, opA, b, opB, beta, c);
        assertReference(alpha, a, opA, b, opB, beta, cBefore, c, where);
        assertOutsideUnchanged(cBefore, c);
        assertArrayEquals(aBefore, a.data(), "a changed: " + where);
        assertArrayEquals(bBefore, b.data(), "b changed: " + where);
    }

    /** Checks c against a double-precision product, with error allowed relative to the sum of |terms|. */
    static void assertReference(float alpha, Matrix a, Op opA, Matrix b, Op opB, float beta,
                                float[] cBefore, Matrix c, String where) {
        int m = c.rows(), n = c.cols();
        double[] product = product(alpha, a, opA, b, opB);
        double[] bound = magnitudeBound(alpha, a, opA, b, opB, beta, cBefore, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double old = cBefore[c.offset() + i * c.stride() + j];
                double expected = product[i * n + j] + (beta == 0f ? 0 : beta * old);
                double actual = c.get(i, j);
                double tolerance = 1e-5 * bound[i * n + j] + 1e-6;
                if (!(Math.abs(actual - expected) <= tolerance)) {
                    fail(where + ": c[" + i + "][" + j + "] = " + actual + ", expected " + expected
                            + " (tolerance " + tolerance + ")");
                }
            }
        }
    }

    /** alpha * op(a) * op(b) in double. */
    private static double[] product(float alpha, Matrix a, Op opA, Matrix b, Op opB) {
        int m = opA == Op.N ? a.rows() : a.cols(), k = opA == Op.N ? a.cols() : a.rows();
        int n = opB == Op.N ? b.cols() : b.rows();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double) element(a, opA, i, p) * element(b, opB, p, j);
                out[i * n + j] = alpha * sum;
            }
        }
        return out;
    }

    /** |alpha| * sum_p |op(a)_ip| |op(b)_pj| + |beta c_ij|: the scale of the rounding error we allow. */
    private static double[] magnitudeBound(float alpha, Matrix a, Op opA, Matrix b, Op opB, float beta,
                                           float[] cBefore, Matrix c) {
        int m = c.rows(), n = c.cols(), k = opA == Op.N ? a.cols() : a.rows();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += Math.abs((double) element(a, opA, i, p) * element(b, opB, p, j));
                double old = beta == 0f ? 0 : Math.abs(beta * cBefore[c.offset() + i * c.stride() + j]);
                out[i * n + j] = Math.abs(alpha) * sum + old;
            }
        }
        return out;
    }

    static float element(Matrix x, Op op, int row, int col) {
        return op == Op.N ? x.get(row, col) : x.get(col, row);
    }

    static void assertOutsideUnchanged(float[] before, Matrix c) {
        float[] after = c.data();
        for (int index = 0; index < after.length; index++) {
            int rel = index - c.offset();
            boolean inside = rel >= 0 && c.cols() > 0 && rel / Math.max(1, c.stride()) < c.rows()
                    && rel % Math.max(1, c.stride()) < c.cols();
            if (!inside && Float.floatToRawIntBits(after[index]) != Float.floatToRawIntBits(before[index])) {
                fail("element " + index + " outside the " + c.rows() + "x" + c.cols() + " view (offset "
                        + c.offset() + ", stride " + c.stride() + ") changed from " + before[index] + " to "
                        + after[index]);
            }
        }
    }

    private Matrix randomView(int rows, int cols, boolean padded) {
        return randomView(random, rows, cols, padded);
    }

    /**
     * A rows x cols view of values in [-1, 1), optionally at an offset, with a wider stride and a tail filled with
     * {@link #OUTSIDE}, so a kernel that writes outside its view is caught.
     */
    static Matrix randomView(SplittableRandom random, int rows, int cols, boolean padded) {
        int offset = padded ? random.nextInt(1, 6) : 0;
        int stride = cols + (padded ? random.nextInt(1, 5) : 0);
        int length = offset + rows * stride + (padded ? random.nextInt(1, 4) : 0);
        float[] data = new float[length];
        Arrays.fill(data, OUTSIDE);
        Matrix view = new Matrix(data, offset, rows, cols, stride);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) view.set(i, j, (float) (random.nextDouble() * 2 - 1));
        }
        return view;
    }

    private static Matrix nanView(int rows, int cols) {
        float[] data = new float[rows * cols];
        Arrays.fill(data, Float.NaN);
        return Matrix.of(data, rows, cols);
    }
}
