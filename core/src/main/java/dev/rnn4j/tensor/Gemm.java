package dev.rnn4j.tensor;

import java.util.Objects;

/**
 * General matrix multiply: {@code c = alpha * op(a) * op(b) + beta * c}, with BLAS semantics.
 *
 * <p>The implementation is the classic blocked scheme: op(A) is packed in {@link #MC} x {@link #KC} blocks,
 * op(B) in {@link #KC} x {@link #NC} panels (or read in place, see {@link BSource}), and {@link GemmKernel}
 * computes 8 x 32 tiles of C from them with vector fused multiply-adds. Packing buffers are reused per
 * thread. When {@link Parallel#threads()} exceeds one and the problem is large enough, the rows or the
 * columns of C are split over the shared pool.
 */
public final class Gemm {
    /** Shared-dimension block: a KC x 32 B strip (32 KB) stays in L1 while A strips stream past it. */
    static final int KC = 256;
    /** Rows of op(A) per packed block (MC x KC = 256 KB, sized for L2). */
    static final int MC = 256;
    /** Columns of op(B) per packed panel (KC x NC = 1 MB). */
    static final int NC = 1024;
    /**
     * Least work worth giving one thread: about ten microseconds of kernel time, well above the cost of
     * waking a pool worker. Recurrent steps (64 x 1024 x 256) split; tiny products stay on the caller.
     */
    static final double MIN_FLOPS_PER_THREAD = 2e6;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {}

    /**
     * Computes {@code c = alpha * op(a) * op(b) + beta * c}, where op(x) is x or its transpose per {@link Op}.
     *
     * <p>op(a) must be M x K, op(b) K x N and c M x N; any of M, N, K may be zero. When {@code beta == 0} the
     * old contents of c are ignored, even NaN; when {@code alpha == 0} or K is 0, a and b are not read and
     * c becomes {@code beta * c}. Only the elements inside the view c are written. c must not overlap a or b.
     *
     * @throws IllegalArgumentException if the shapes do not agree
     */
    public static void multiply(float alpha, Matrix a, Op opA, Matrix b, Op opB, float beta, Matrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(opA, "opA");
        Objects.requireNonNull(opB, "opB");
        int m = opA.rows(a), k = opA.cols(a), n = opB.cols(b);
        if (opB.rows(b) != k || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shapes do not agree: op" + opA + "(a) is " + m + "x" + k
                    + " (a is " + a.rows() + "x" + a.cols() + "), op" + opB + "(b) is " + opB.rows(b) + "x" + n
                    + " (b is " + b.rows() + "x" + b.cols() + "), so c must be " + m + "x" + n + " but is "
                    + c.rows() + "x" + c.cols());
        }
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            GemmKernel.scale(c, beta);
            return;
        }
        if (Parallel.threads() > 1 && 2.0 * m * n * k >= 2 * MIN_FLOPS_PER_THREAD) {
            multiplyParallel(alpha, a, opA, b, opB, beta, c, m, n, k);
        } else {
            multiplySerial(alpha, a, opA, b, opB, beta, c);
        }
    }

    /**
     * Splits C into row blocks or column blocks, one per pool thread. Each part packs its own operands, so
     * splitting rows repeats the packing of B and splitting columns repeats the packing of A: pick the
     * cheaper, as long as that dimension has at least two blocks.
     */
    private static void multiplyParallel(float alpha, Matrix a, Op opA, Matrix b, Op opB, float beta, Matrix c,
                                         int m, int n, int k) {
        int rowUnit = GemmPacking.A_STRIP, colUnit = GemmKernel.NR;
        int rowUnits = GemmPacking.ceilDiv(m, rowUnit), colUnits = GemmPacking.ceilDiv(n, colUnit);
        int rowsPerThread = GemmPacking.ceilDiv(m, Parallel.threads());
        long repeatedPackingIfRowsSplit = bSource(opB, rowsPerThread) == BSource.IN_PLACE ? 0 : (long) k * n;
        long repeatedPackingIfColsSplit = (long) m * k;
        boolean splitRows = rowUnits >= 2
                && (colUnits < 2 || repeatedPackingIfRowsSplit <= repeatedPackingIfColsSplit);
        if (splitRows) {
            int minUnits = minUnitsPerThread(2.0 * rowUnit * n * k);
            Parallel.forRange(rowUnits, minUnits, (from, to) -> {
                int first = from * rowUnit, count = Math.min(to * rowUnit, m) - first;
                Matrix aRows = opA == Op.N ? a.rows(first, count) : a.cols(first, count);
                multiplySerial(alpha, aRows, opA, b, opB, beta, c.rows(first, count));
            });
        } else if (colUnits >= 2) {
            int minUnits = minUnitsPerThread(2.0 * colUnit * m * k);
            Parallel.forRange(colUnits, minUnits, (from, to) -> {
                int first = from * colUnit, count = Math.min(to * colUnit, n) - first;
                Matrix bCols = opB == Op.N ? b.cols(first, count) : b.rows(first, count);
                multiplySerial(alpha, a, opA, bCols, opB, beta, c.cols(first, count));
            });
        } else {
            multiplySerial(alpha, a, opA, b, opB, beta, c);
        }
    }

    private static int minUnitsPerThread(double flopsPerUnit) {
        return (int) Math.max(1, Math.ceil(MIN_FLOPS_PER_THREAD / flopsPerUnit));
    }

    /** How the kernel gets its B strips. */
    private enum BSource {
        /**
         * Full strips read straight from B, whose rows are already contiguous along N (op(B) = B); only the
         * ragged last strip is packed. Used when a single row block would not amortise a copy.
         */
        IN_PLACE,
        /** The whole KC x NC panel packed before the row blocks, which all reuse it from cache. */
        PACKED_PANEL,
        /** With a single row block each strip is packed just before use, so the copy stays in L1. */
        PACKED_PER_STRIP
    }

    private static BSource bSource(Op opB, int m) {
        if (m > MC) return BSource.PACKED_PANEL;
        return opB == Op.N ? BSource.IN_PLACE : BSource.PACKED_PER_STRIP;
    }

    /** The blocked multiply on the calling thread; shapes already checked, K &gt; 0. */
    private static void multiplySerial(float alpha, Matrix a, Op opA, Matrix b, Op opB, float beta, Matrix c) {
        int m = c.rows(), n = c.cols(), k = opA.cols(a);
        // Equal K blocks (e.g. 300 -> 150 + 150, not 256 + 44) keep every kernel call long.
        int kBlock = GemmPacking.ceilDiv(k, GemmPacking.ceilDiv(k, KC));
        BSource bSource = bSource(opB, m);
        Workspace workspace = WORKSPACE.get();
        float[] packedA = workspace.packedA(GemmPacking.packedASize(Math.min(MC, m), kBlock));
        int bColumns = bSource == BSource.PACKED_PANEL ? Math.min(NC, n) : GemmKernel.NR;
        float[] packedB = workspace.packedB(GemmPacking.packedBSize(bColumns, kBlock));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                // Later K blocks add onto what the first one wrote.
                float blockBeta = pc == 0 ? beta : 1f;
                if (bSource == BSource.IN_PLACE) {
                    int ragged = nc % GemmKernel.NR;
                    if (ragged > 0) {
                        GemmPacking.packB(b, opB, pc, kc, jc + nc - ragged, ragged, packedB, workspace.edge);
                    }
                } else if (bSource == BSource.PACKED_PANEL) {
                    GemmPacking.packB(b, opB, pc, kc, jc, nc, packedB, workspace.edge);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPacking.packA(a, opA, ic, mc, pc, kc, packedA, workspace.edge);
                    multiplyBlock(alpha, blockBeta, packedA, mc, kc, b, opB, bSource, packedB, pc, jc, nc, c, ic,
                            workspace);
                }
            }
        }
    }

    /** C[ic.., jc..] (mc x nc) = alpha * packedA * op(B)[pc.., jc..] + blockBeta * C, tile by tile. */
    private static void multiplyBlock(float alpha, float blockBeta, float[] packedA, int mc, int kc, Matrix b,
                                      Op opB, BSource bSource, float[] packedB, int pc, int jc, int nc, Matrix c,
                                      int ic, Workspace workspace) {
        int nr = GemmKernel.NR, mr = GemmKernel.MR, strip = GemmPacking.A_STRIP;
        float[] cData = c.data(), tile = workspace.tile;
        int ldc = c.stride();
        // Columns outer, rows inner: one B strip stays in L1 while the A block streams from L2.
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            float[] bData = packedB;
            int bIndex = 0, bStep = nr;
            switch (bSource) {
                case IN_PLACE -> {
                    if (cols == nr) {
                        bData = b.data();
                        bIndex = b.offset() + pc * b.stride() + jc + jr;
                        bStep = b.stride();
                    }
                }
                case PACKED_PANEL -> bIndex = (jr / nr) * kc * nr;
                case PACKED_PER_STRIP ->
                        GemmPacking.packB(b, opB, pc, kc, jc + jr, cols, packedB, workspace.edge);
            }
            for (int ir = 0; ir < mc; ir += mr) {
                int aIndex = (ir / strip) * kc * strip + ir % strip;
                GemmKernel.multiplyTile(kc, packedA, aIndex, strip, bData, bIndex, bStep, tile);
                GemmKernel.writeTile(tile, alpha, blockBeta, cData, c.offset() + (ic + ir) * ldc + jc + jr, ldc,
                        Math.min(mr, mc - ir), cols);
            }
        }
    }

    /** Packing buffers of one thread, grown on demand and kept, so the hot path allocates nothing. */
    private static final class Workspace {
        /** [strips of 16 rows][kc][16]: packed block of op(A). */
        private float[] packedA = new float[0];
        /** [strips of NR columns][kc][NR]: packed panel of op(B). */
        private float[] packedB = new float[0];
        /** [MR][NR]: one tile of products on its way to C. */
        final float[] tile = new float[GemmKernel.MR * GemmKernel.NR];
        /** [2][16][16]: a zero-padded edge block and its transpose, for packing. */
        final float[] edge = new float[GemmPacking.EDGE_SCRATCH];

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) packedB = new float[size];
            return packedB;
        }
    }
}
