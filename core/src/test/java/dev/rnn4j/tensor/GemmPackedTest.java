package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#pack} and the products with a {@link Gemm.PackedMatrix}, and the small-M path: results equal, bit for
 * bit, those of the plain {@link Gemm#multiply(float, Matrix, Op, Matrix, Op, float, Matrix)} on the same inputs,
 * whatever the thread count; and they are right (against a double-precision reference).
 */
class GemmPackedTest {
    private final SplittableRandom random = new SplittableRandom(20250611);
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Shapes {M, N, K}: small M and the blocked path, ragged strips and groups, several K blocks, wide N. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 3}, {1, 33, 5}, {2, 64, 16}, {3, 129, 31}, {4, 130, 257}, {5, 100, 40}, {8, 96, 64},
        {9, 31, 700}, {17, 200, 33}, {64, 512, 128}, {1, 512, 128}, {2, 1030, 300}, {300, 40, 20}, {4, 2048, 64},
    };

    @Test
    void packedProductsEqualPlainOnesBitForBit() {
        float[][] alphaBetas = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (int[] shape : SHAPES) {
            for (Op opA : Op.values()) {
                for (Op opB : Op.values()) {
                    for (float[] ab : alphaBetas) {
                        int m = shape[0], n = shape[1], k = shape[2];
                        boolean padded = random.nextBoolean();
                        Matrix a = opA == Op.N ? randomView(m, k, padded) : randomView(k, m, padded);
                        Matrix b = opB == Op.N ? randomView(k, n, padded) : randomView(n, k, padded);
                        Matrix c1 = randomView(m, n, padded);
                        Matrix c2 = copy(c1);
                        float[] before = c1.data().clone();
                        String where = m + "x" + n + "x" + k + " op" + opA + opB + " alpha " + ab[0] + " beta " + ab[1];
                        Gemm.multiply(ab[0], a, opA, b, opB, ab[1], c1);
                        Gemm.PackedMatrix packed = Gemm.pack(b, opB);
                        assertEquals(k, packed.rows());
                        assertEquals(n, packed.cols());
                        Gemm.multiply(ab[0], a, opA, packed, ab[1], c2);
                        assertBitwiseEqual(c1, c2, where);
                        GemmTest.assertReference(ab[0], a, opA, b, opB, ab[1], before, c2, where);
                        GemmTest.assertOutsideUnchanged(before, c2);
                    }
                }
            }
        }
    }

    /**
     * Rows computed by the small-M kernels equal the same rows computed in a taller product (the blocked 8-row
     * kernels): the summation order does not depend on the path.
     */
    @Test
    void smallMRowsEqualTheSameRowsOfATallerProduct() {
        int tall = 24;
        for (int m = 1; m <= Gemm.SMALL_M + 1; m++) {
            for (int[] nk : new int[][] {{37, 9}, {128, 128}, {300, 600}, {1024, 256}}) {
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        int n = nk[0], k = nk[1];
                        Matrix aTall = opA == Op.N ? randomView(tall, k, false) : randomView(k, tall, false);
                        Matrix b = opB == Op.N ? randomView(k, n, true) : randomView(n, k, true);
                        Matrix aSmall = opA == Op.N ? aTall.rows(0, m) : aTall.cols(0, m);
                        Matrix cTall = randomView(tall, n, false);
                        Matrix cSmall = copy(cTall).rows(0, m);
                        Gemm.multiply(0.75f, aTall, opA, b, opB, 0.5f, cTall);
                        Gemm.multiply(0.75f, aSmall, opA, b, opB, 0.5f, cSmall);
                        String where = "m " + m + " of " + tall + ", " + n + "x" + k + " op" + opA + opB;
                        assertBitwiseEqual(cTall.rows(0, m), cSmall, where);
                        Matrix fresh = randomView(m, n, false);
                        Matrix fresh2 = copy(fresh);
                        Gemm.multiply(0.75f, aSmall, opA, b, opB, 0.5f, fresh);
                        Gemm.multiply(0.75f, aSmall, opA, Gemm.pack(b, opB), 0.5f, fresh2);
                        assertBitwiseEqual(fresh, fresh2, where + " (packed)");
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsGiveTheBitsOfOne() {
        // Above the parallel threshold: the recurrent step (small M, wide N), a tall product, a long K, batch 1..4.
        int[][] shapes = {{64, 1024, 256}, {32, 512, 128}, {600, 96, 80}, {48, 700, 96}, {160, 64, 900},
            {1, 2048, 512}, {3, 4096, 300}, {4, 1000, 700}};
        for (int[] shape : shapes) {
            for (Op opA : Op.values()) {
                for (Op opB : Op.values()) {
                    int m = shape[0], n = shape[1], k = shape[2];
                    Matrix a = opA == Op.N ? randomView(m, k, true) : randomView(k, m, true);
                    Matrix b = opB == Op.N ? randomView(k, n, true) : randomView(n, k, true);
                    Gemm.PackedMatrix packed = Gemm.pack(b, opB);
                    Matrix c = randomView(m, n, true);
                    Matrix[] results = new Matrix[4];
                    for (int threads = 1, i = 0; threads <= 2; threads++) {
                        Parallel.setThreads(threads);
                        results[i] = copy(c);
                        Gemm.multiply(0.75f, a, opA, b, opB, 0.5f, results[i++]);
                        results[i] = copy(c);
                        Gemm.multiply(0.75f, a, opA, packed, 0.5f, results[i++]);
                    }
                    String where = m + "x" + n + "x" + k + " op" + opA + opB;
                    for (int i = 1; i < results.length; i++) assertBitwiseEqual(results[0], results[i], where + " result " + i);
                }
            }
        }
    }

    @Test
    void aPackingSplitOverTwoThreadsHoldsTheSameValuesAsOneThreads() {
        // op(B) of at least 2 x 128 KB, so the repack splits: W_hh^T at H = 256, a ragged last group, op N
        int[][] shapes = {{256, 1024}, {300, 1030}, {97, 4000}};
        for (int[] shape : shapes) {
            for (Op opB : Op.values()) {
                int k = shape[0], n = shape[1];
                Matrix b = opB == Op.N ? randomView(k, n, true) : randomView(n, k, true);
                Parallel.setThreads(1);
                Gemm.PackedMatrix one = Gemm.pack(b, opB);
                Parallel.setThreads(2);
                Gemm.PackedMatrix two = Gemm.pack(b, opB);
                assertTrue(Arrays.equals(one.data, two.data), k + "x" + n + " op" + opB + ": the two-thread packing differs");
            }
        }
    }

    @Test
    void aPackingIsACopyUntilRepacked() {
        Matrix w = randomView(96, 40, true); // W [4H, H] with H = 24... any shape
        Matrix h = randomView(3, 40, false);
        Gemm.PackedMatrix packed = Gemm.pack(w, Op.T);
        Matrix before = Matrix.of(new float[3 * 96], 3, 96);
        Gemm.multiply(1f, h, Op.N, packed, 0f, before);

        // an optimizer step changes the weights in place
        for (int r = 0; r < w.rows(); r++) {
            for (int col = 0; col < w.cols(); col++) w.set(r, col, w.get(r, col) * 0.5f + 0.125f);
        }
        Matrix stale = Matrix.of(new float[3 * 96], 3, 96);
        Gemm.multiply(1f, h, Op.N, packed, 0f, stale);
        assertBitwiseEqual(before, stale, "a packing is not affected by later changes of its source");

        float[] dataBefore = packed.data;
        packed.repack(w, Op.T);
        assertTrue(packed.data == dataBefore, "repack reuses the packing's array");
        Matrix fresh = Matrix.of(new float[3 * 96], 3, 96);
        Gemm.multiply(1f, h, Op.N, packed, 0f, fresh);
        Matrix expected = Matrix.of(new float[3 * 96], 3, 96);
        Gemm.multiply(1f, h, Op.N, w, Op.T, 0f, expected);
        assertBitwiseEqual(expected, fresh, "after repack");
    }

    @Test
    void packedEdgeCasesFollowBlasSemantics() {
        // K = 0 scales C; alpha = 0 does not read A; beta = 0 ignores NaN in C; empty C changes nothing.
        Matrix c = randomView(5, 9, true);
        float[] before = c.data().clone();
        Gemm.multiply(2f, randomView(5, 0, false), Op.N, Gemm.pack(randomView(0, 9, false), Op.N), 0.5f, c);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 9; j++) assertEquals(0.5f * before[c.offset() + i * c.stride() + j], c.get(i, j));
        }
        GemmTest.assertOutsideUnchanged(before, c);

        Matrix nanA = Matrix.of(filled(3 * 4, Float.NaN), 3, 4);
        Matrix c2 = randomView(3, 6, false);
        float[] before2 = c2.data().clone();
        Gemm.multiply(0f, nanA, Op.N, Gemm.pack(randomView(4, 6, false), Op.N), -1f, c2);
        for (int i = 0; i < c2.data().length; i++) assertEquals(-before2[i], c2.data()[i]);

        for (int m : new int[] {1, 4, 12}) {
            Matrix nanC = Matrix.of(filled(m * 40, Float.NaN), m, 40);
            Matrix a = randomView(m, 300, false);
            Matrix b = randomView(40, 300, false);
            Gemm.multiply(1f, a, Op.N, Gemm.pack(b, Op.T), 0f, nanC);
            for (float v : nanC.data()) assertTrue(Float.isFinite(v), "beta 0 overwrites NaN, m " + m);
        }

        Matrix empty = randomView(0, 7, true);
        float[] before3 = empty.data().clone();
        Gemm.multiply(1f, randomView(0, 5, false), Op.N, Gemm.pack(randomView(5, 7, false), Op.N), 0f, empty);
        assertTrue(Arrays.equals(before3, empty.data()));
    }

    @Test
    void rejectsMismatchedShapes() {
        Gemm.PackedMatrix packed = Gemm.pack(randomView(6, 7, false), Op.N); // 6 x 7
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(1f, randomView(4, 5, false), Op.N, packed, 0f, randomView(4, 7, false)));
        assertTrue(e.getMessage().contains("4x5") && e.getMessage().contains("6x7"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(1f, randomView(4, 6, false), Op.N, packed, 0f, randomView(4, 6, false)));
        IllegalArgumentException repack = assertThrows(IllegalArgumentException.class,
                () -> packed.repack(randomView(6, 7, false), Op.T));
        assertTrue(repack.getMessage().contains("6x7"), repack.getMessage());
        assertThrows(NullPointerException.class, () -> Gemm.pack(null, Op.N));
    }

    // ---- helpers ----

    private static float[] filled(int n, float value) {
        float[] data = new float[n];
        Arrays.fill(data, value);
        return data;
    }

    private static Matrix copy(Matrix m) {
        return new Matrix(m.data().clone(), m.offset(), m.rows(), m.cols(), m.stride());
    }

    private static void assertBitwiseEqual(Matrix expected, Matrix actual, String where) {
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                int e = Float.floatToRawIntBits(expected.get(i, j)), a = Float.floatToRawIntBits(actual.get(i, j));
                if (e != a) {
                    fail(where + ": c[" + i + "][" + j + "] = " + actual.get(i, j) + ", expected the bits of "
                            + expected.get(i, j));
                }
            }
        }
    }

    private Matrix randomView(int rows, int cols, boolean padded) {
        return GemmTest.randomView(random, rows, cols, padded);
    }
}
