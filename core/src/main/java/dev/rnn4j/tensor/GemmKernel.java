package dev.rnn4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The register-blocked inner kernel of {@link Gemm}: one {@value #MR} x {@link #NR} tile of C per call,
 * held in 16 vector accumulators while the shared dimension is streamed through fused multiply-adds.
 *
 * <p>The kernels read packed B strips, and A packed or (small M) in contiguous rows, always with constant strides
 * so that the JIT hoists the bounds checks out of the loops.
 * Partial tiles are handled by zero padding in the packed panels and by a row count and column masks when
 * the tile is written to C, so there is no second, scalar copy of the arithmetic for edges.
 */
final class GemmKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Rows of C per tile: 8 rows x 2 vectors = 16 accumulators, which leaves registers for B and A. */
    static final int MR = 8;
    /** Columns of C per tile: two vectors. */
    static final int NR = 2 * LANES;
    /** B strips (of {@link #NR} columns) per call of the small-M kernels: eight vectors of C per row. */
    static final int SMALL_STRIPS = 4;
    /** Rows of C per call of the larger small-M kernel. */
    static final int SMALL_ROWS = 2;

    private GemmKernel() {}

    /** The step of packed A between consecutive p: one strip of rows. */
    private static final int A_STRIDE = GemmPacking.A_STRIP;

    /**
     * Writes one tile of products {@code tile[r * NR + v] = sum_p A(r, p) * B(p, v)} for r &lt; {@value #MR},
     * v &lt; {@link #NR}, from packed operands: A(r, p) = {@code a[aIndex + p * A_STRIDE + r]} (a strip of
     * {@link GemmPacking#A_STRIP} rows) and B(p, v) = {@code b[bIndex + p * NR + v]} (a strip of NR columns). The
     * caller supplies zero padding for every one of those elements; {@link #writeTile} then keeps only the rows and
     * columns that exist.
     *
     * <p>The strides are constants, and the indices linear in p, so that C2 hoists the bounds checks out of the loop
     * (with the strides as arguments it kept them, ~15% slower).
     */
    static void multiplyTile(int kc, float[] a, int aIndex, float[] b, int bIndex, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        // acc<row><vector>
        FloatVector acc00 = zero, acc01 = zero, acc10 = zero, acc11 = zero, acc20 = zero, acc21 = zero;
        FloatVector acc30 = zero, acc31 = zero, acc40 = zero, acc41 = zero, acc50 = zero, acc51 = zero;
        FloatVector acc60 = zero, acc61 = zero, acc70 = zero, acc71 = zero;
        for (int p = 0; p < kc; p++) {
            int ai = aIndex + p * A_STRIDE, bi = bIndex + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, a[ai]);
            acc00 = x.fma(b0, acc00);
            acc01 = x.fma(b1, acc01);
            x = FloatVector.broadcast(SPECIES, a[ai + 1]);
            acc10 = x.fma(b0, acc10);
            acc11 = x.fma(b1, acc11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2]);
            acc20 = x.fma(b0, acc20);
            acc21 = x.fma(b1, acc21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3]);
            acc30 = x.fma(b0, acc30);
            acc31 = x.fma(b1, acc31);
            x = FloatVector.broadcast(SPECIES, a[ai + 4]);
            acc40 = x.fma(b0, acc40);
            acc41 = x.fma(b1, acc41);
            x = FloatVector.broadcast(SPECIES, a[ai + 5]);
            acc50 = x.fma(b0, acc50);
            acc51 = x.fma(b1, acc51);
            x = FloatVector.broadcast(SPECIES, a[ai + 6]);
            acc60 = x.fma(b0, acc60);
            acc61 = x.fma(b1, acc61);
            x = FloatVector.broadcast(SPECIES, a[ai + 7]);
            acc70 = x.fma(b0, acc70);
            acc71 = x.fma(b1, acc71);
        }
        // Plain stores to a scratch tile: the alpha/beta/edge logic then runs as one loop in writeTile,
        // because eight unrolled copies of it would exceed C2's inlining budget and box the accumulators.
        acc00.intoArray(tile, 0);
        acc01.intoArray(tile, LANES);
        acc10.intoArray(tile, NR);
        acc11.intoArray(tile, NR + LANES);
        acc20.intoArray(tile, 2 * NR);
        acc21.intoArray(tile, 2 * NR + LANES);
        acc30.intoArray(tile, 3 * NR);
        acc31.intoArray(tile, 3 * NR + LANES);
        acc40.intoArray(tile, 4 * NR);
        acc41.intoArray(tile, 4 * NR + LANES);
        acc50.intoArray(tile, 5 * NR);
        acc51.intoArray(tile, 5 * NR + LANES);
        acc60.intoArray(tile, 6 * NR);
        acc61.intoArray(tile, 6 * NR + LANES);
        acc70.intoArray(tile, 7 * NR);
        acc71.intoArray(tile, 7 * NR + LANES);
    }

    /**
     * The small-M kernel for two rows of C by {@value #SMALL_STRIPS} B strips: {@code tile[(s * 2 + r) * NR + v] =
     * sum_p A(r, p) * B_s(p, v)} for r &lt; 2, s &lt; 4, v &lt; NR, where A(r, p) = {@code a[a_r + p]} and
     * B_s(p, v) = {@code b[bIndex + s * stripStride + p * NR + v]} (unit and constant strides, as in {@link #multiplyTile}). Sixteen accumulators, each summed over p in
     * order from zero, as {@link #multiplyTile} does.
     */
    static void multiplyRows2(int kc, float[] a, int a0, int a1, float[] b, int bIndex, int stripStride, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        // acc<row><strip><half>
        FloatVector acc000 = zero, acc001 = zero, acc010 = zero, acc011 = zero;
        FloatVector acc020 = zero, acc021 = zero, acc030 = zero, acc031 = zero;
        FloatVector acc100 = zero, acc101 = zero, acc110 = zero, acc111 = zero;
        FloatVector acc120 = zero, acc121 = zero, acc130 = zero, acc131 = zero;
        int s1 = stripStride, s2 = 2 * stripStride, s3 = 3 * stripStride;
        for (int p = 0; p < kc; p++) {
            int bp = bIndex + p * NR;
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + p]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + p]);
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            acc000 = x0.fma(b0, acc000);
            acc001 = x0.fma(b1, acc001);
            acc100 = x1.fma(b0, acc100);
            acc101 = x1.fma(b1, acc101);
            b0 = FloatVector.fromArray(SPECIES, b, bp + s1);
            b1 = FloatVector.fromArray(SPECIES, b, bp + s1 + LANES);
            acc010 = x0.fma(b0, acc010);
            acc011 = x0.fma(b1, acc011);
            acc110 = x1.fma(b0, acc110);
            acc111 = x1.fma(b1, acc111);
            b0 = FloatVector.fromArray(SPECIES, b, bp + s2);
            b1 = FloatVector.fromArray(SPECIES, b, bp + s2 + LANES);
            acc020 = x0.fma(b0, acc020);
            acc021 = x0.fma(b1, acc021);
            acc120 = x1.fma(b0, acc120);
            acc121 = x1.fma(b1, acc121);
            b0 = FloatVector.fromArray(SPECIES, b, bp + s3);
            b1 = FloatVector.fromArray(SPECIES, b, bp + s3 + LANES);
            acc030 = x0.fma(b0, acc030);
            acc031 = x0.fma(b1, acc031);
            acc130 = x1.fma(b0, acc130);
            acc131 = x1.fma(b1, acc131);
        }
        acc000.intoArray(tile, 0);
        acc001.intoArray(tile, LANES);
        acc100.intoArray(tile, NR);
        acc101.intoArray(tile, NR + LANES);
        acc010.intoArray(tile, 2 * NR);
        acc011.intoArray(tile, 2 * NR + LANES);
        acc110.intoArray(tile, 3 * NR);
        acc111.intoArray(tile, 3 * NR + LANES);
        acc020.intoArray(tile, 4 * NR);
        acc021.intoArray(tile, 4 * NR + LANES);
        acc120.intoArray(tile, 5 * NR);
        acc121.intoArray(tile, 5 * NR + LANES);
        acc030.intoArray(tile, 6 * NR);
        acc031.intoArray(tile, 6 * NR + LANES);
        acc130.intoArray(tile, 7 * NR);
        acc131.intoArray(tile, 7 * NR + LANES);
    }

    /**
     * {@link #multiplyRows2} for one row: {@code tile[s * 2 * NR + v] = sum_p A(0, p) * B_s(p, v)}, the same layout
     * with the second row's places left alone. Eight accumulators.
     */
    static void multiplyRow1(int kc, float[] a, int a0, float[] b, int bIndex, int stripStride, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector acc00 = zero, acc01 = zero, acc10 = zero, acc11 = zero;
        FloatVector acc20 = zero, acc21 = zero, acc30 = zero, acc31 = zero;
        int s1 = stripStride, s2 = 2 * stripStride, s3 = 3 * stripStride;
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            int bp = bIndex + p * NR;
            acc00 = x.fma(FloatVector.fromArray(SPECIES, b, bp), acc00);
            acc01 = x.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), acc01);
            acc10 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s1), acc10);
            acc11 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s1 + LANES), acc11);
            acc20 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s2), acc20);
            acc21 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s2 + LANES), acc21);
            acc30 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s3), acc30);
            acc31 = x.fma(FloatVector.fromArray(SPECIES, b, bp + s3 + LANES), acc31);
        }
        acc00.intoArray(tile, 0);
        acc01.intoArray(tile, LANES);
        acc10.intoArray(tile, 2 * NR);
        acc11.intoArray(tile, 2 * NR + LANES);
        acc20.intoArray(tile, 4 * NR);
        acc21.intoArray(tile, 4 * NR + LANES);
        acc30.intoArray(tile, 6 * NR);
        acc31.intoArray(tile, 6 * NR + LANES);
    }

    /**
     * C[r][v] = alpha * tile[tileIndex + r * NR + v] + beta * C[r][v] for r &lt; rows, v &lt; cols, where C[r][v] is
     * {@code c[cIndex + r * ldc + v]}. {@code beta == 0} overwrites C without reading it.
     */
    static void writeTile(float[] tile, int tileIndex, float alpha, float beta, float[] c, int cIndex, int ldc,
                          int rows, int cols) {
        FloatVector alphas = FloatVector.broadcast(SPECIES, alpha);
        FloatVector betas = FloatVector.broadcast(SPECIES, beta);
        if (cols >= NR) {
            for (int r = 0, at = cIndex; r < rows; r++, at += ldc) {
                FloatVector out0 = FloatVector.fromArray(SPECIES, tile, tileIndex + r * NR).mul(alphas);
                FloatVector out1 = FloatVector.fromArray(SPECIES, tile, tileIndex + r * NR + LANES).mul(alphas);
                if (beta != 0f) {
                    out0 = FloatVector.fromArray(SPECIES, c, at).fma(betas, out0);
                    out1 = FloatVector.fromArray(SPECIES, c, at + LANES).fma(betas, out1);
                }
                out0.intoArray(c, at);
                out1.intoArray(c, at + LANES);
            }
        } else {
            for (int v = 0; v < cols; v += LANES) {
                VectorMask<Float> inC = SPECIES.indexInRange(v, cols);
                for (int r = 0, at = cIndex + v; r < rows; r++, at += ldc) {
                    FloatVector out = FloatVector.fromArray(SPECIES, tile, tileIndex + r * NR + v).mul(alphas);
                    if (beta != 0f) out = FloatVector.fromArray(SPECIES, c, at, inC).fma(betas, out);
                    out.intoArray(c, at, inC);
                }
            }
        }
    }

    /** c = beta * c over the whole view; {@code beta == 0} writes zeros without reading (BLAS semantics). */
    static void scale(Matrix c, float beta) {
        if (beta == 1f) return;
        if (beta != 0f) {
            VectorMath.scale(c, beta);
            return;
        }
        float[] data = c.data(); // beta = 0: zeros, even where c held NaN (BLAS)
        for (int r = 0; r < c.rows(); r++) {
            int row = c.offset() + r * c.stride();
            Arrays.fill(data, row, row + c.cols(), 0f);
        }
    }
}
