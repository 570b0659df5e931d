package dev.rnn4j.tensor;

import java.util.Objects;

/**
 * General matrix multiply: {@code c = alpha * op(a) * op(b) + beta * c}, with BLAS semantics.
 *
 * <p>The implementation is the classic blocked scheme: op(A) is packed in {@link #MC} x {@link #KC} blocks,
 * op(B) in {@link #KC} x {@link #NC} panels or strip by strip (see {@link BSource}), and {@link GemmKernel}
 * computes 8 x 32 tiles of C from them with vector fused multiply-adds. Packing buffers are reused per
 * thread. When {@link Parallel#threads()} exceeds one and the problem is large enough, the rows or the
 * columns of C are split over the shared pool.
 *
 * <p>Products with few rows (M &lt;= {@value #SMALL_M}, e.g. a recurrent step of a small batch) take a
 * matrix-vector-like path: A's few rows are copied, not packed, and kernels of one or two rows by four B strips
 * leave no padded rows to compute.
 *
 * <p>A B operand used by many products (a weight matrix, once per time step) can be packed once with
 * {@link #pack} and passed as a {@link PackedMatrix}; see there for the contract.
 *
 * <p>Results are deterministic: every element of C is summed in the same order, whatever the thread count, the
 * path (packed or not, small M or not) and the JIT state. The shared dimension is cut into equal blocks of at
 * most {@link #KC}; within a block the products are accumulated one after another (p = 0, 1, ...) with fused
 * multiply-adds, starting from zero; each block's sum s then updates C as {@code c = beta * c + alpha * s} (one
 * fused multiply-add, {@code beta} = 1 after the first block). So any two calls on the same inputs give the same
 * bits, and {@code multiply(.., pack(b, opB), ..)} gives the bits of {@code multiply(.., b, opB, ..)}.
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
    /** Largest M that takes the small-M path (kernels of one or two rows, A read in place). */
    static final int SMALL_M = 4;
    /** B strips per step of the small-M kernels: four strips of {@link GemmKernel#NR} columns. */
    static final int GROUP_STRIPS = GemmKernel.SMALL_STRIPS;

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
            multiplySerial(alpha, a, opA, b, opB, null, 0, beta, c);
        }
    }

    /**
     * Packs op(b) for {@link #multiply(float, Matrix, Op, PackedMatrix, float, Matrix)}: a copy of its K x N
     * values in the layout the kernels read, so that later products skip the packing that
     * {@link #multiply(float, Matrix, Op, Matrix, Op, float, Matrix)} does on every call (for a recurrent step,
     * op(B) = W_hh^T, that copy is a quarter of the step's time). Costs one pass over b and about K x N floats.
     *
     * @see PackedMatrix for when to re-pack
     */
    public static PackedMatrix pack(Matrix b, Op opB) {
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(opB, "opB");
        PackedMatrix packed = new PackedMatrix(opB.rows(b), opB.cols(b));
        packed.repack(b, opB);
        return packed;
    }

    /**
     * Computes {@code c = alpha * op(a) * B + beta * c} with B packed by {@link #pack}: the same contract, and the
     * same bits, as {@link #multiply(float, Matrix, Op, Matrix, Op, float, Matrix)} with the matrix and Op that
     * were packed, as they were when packed.
     *
     * @throws IllegalArgumentException if the shapes do not agree
     */
    public static void multiply(float alpha, Matrix a, Op opA, PackedMatrix b, float beta, Matrix c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(opA, "opA");
        int m = opA.rows(a), k = opA.cols(a), n = b.cols();
        if (b.rows() != k || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shapes do not agree: op" + opA + "(a) is " + m + "x" + k
                    + " (a is " + a.rows() + "x" + a.cols() + "), the packed b is " + b.rows() + "x" + n
                    + ", so c must be " + m + "x" + n + " but is " + c.rows() + "x" + c.cols());
        }
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            GemmKernel.scale(c, beta);
            return;
        }
        if (Parallel.threads() > 1 && (2.0 * m * n * k >= 2 * MIN_FLOPS_PER_THREAD || streamsPackedB(m, n, k))) {
            multiplyPackedParallel(alpha, a, opA, b, beta, c, m, n, k);
        } else {
            multiplySerial(alpha, a, opA, null, null, b, 0, beta, c);
        }
    }

    /**
     * Splits a product with a packed B over the pool. With one block of rows (M &lt;= {@link #MC}, a recurrent
     * step) the columns are split: each thread reads only its part of B, which therefore stays in its core's cache
     * from one step to the next, and repeats only the small packing of A. Taller products split rows, which
     * repeats nothing.
     */
    private static void multiplyPackedParallel(float alpha, Matrix a, Op opA, PackedMatrix b, float beta, Matrix c,
                                               int m, int n, int k) {
        // Column chunks of a small-M product are whole groups of strips, so its kernels find all their strips in the
        // packing; other products split by strips, so that a B of one group (128 columns) splits too.
        int rowUnit = GemmPacking.A_STRIP, colUnit = (m <= SMALL_M ? GROUP_STRIPS : 1) * GemmKernel.NR;
        int rowUnits = GemmPacking.ceilDiv(m, rowUnit), colUnits = GemmPacking.ceilDiv(n, colUnit);
        boolean splitColumns = colUnits >= 2 && (m <= MC || rowUnits < 2);
        if (!splitColumns && rowUnits < 2) {
            multiplySerial(alpha, a, opA, null, null, b, 0, beta, c);
            return;
        }
        int units, minUnits;
        if (splitColumns) {
            units = colUnits;
            minUnits = streamsPackedB(m, n, k)
                    ? unitsReaching(MIN_PACKED_BYTES_PER_THREAD, 4.0 * colUnit * k)
                    : minUnitsPerThread(2.0 * colUnit * m * k);
        } else {
            units = rowUnits;
            minUnits = minUnitsPerThread(2.0 * rowUnit * n * k);
        }
        ProductSplit.ofCaller().start(alpha, a, opA, null, null, b, beta, c, splitColumns, splitColumns ? colUnit : rowUnit)
                .runOver(units, minUnits);
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
        long repeatedPackingIfRowsSplit = (long) k * n;
        long repeatedPackingIfColsSplit = (long) m * k;
        boolean splitRows = rowUnits >= 2
                && (colUnits < 2 || repeatedPackingIfRowsSplit <= repeatedPackingIfColsSplit);
        if (splitRows) {
            ProductSplit.ofCaller().start(alpha, a, opA, b, opB, null, beta, c, false, rowUnit)
                    .runOver(rowUnits, minUnitsPerThread(2.0 * rowUnit * n * k));
        } else if (colUnits >= 2) {
            ProductSplit.ofCaller().start(alpha, a, opA, b, opB, null, beta, c, true, colUnit)
                    .runOver(colUnits, minUnitsPerThread(2.0 * colUnit * m * k));
        } else {
            multiplySerial(alpha, a, opA, b, opB, null, 0, beta, c);
        }
    }

    /**
     * The length of the blocks the shared dimension k is cut into: equal blocks of at most {@link #KC} (e.g. 300 ->
     * 150 + 150, not 256 + 44), which keep every kernel call long; the last may be shorter.
     */
    static int equalBlock(int k) {
        return GemmPacking.ceilDiv(k, GemmPacking.ceilDiv(k, KC));
    }

    /**
     * Least bytes of a packed B per thread for a product of few rows (M &lt;= {@link #SMALL_M}): such a product
     * streams B from cache to do 2M FLOPs per weight (a recurrent step at B = 1 reads all of W_hh), so its time
     * follows B's size, not its FLOPs, and each thread's columns stay in its own core's cache from one step to the
     * next. A served step at H = 256 (W_hh 1 MB) split this way is about a fifth faster; a streaming step at
     * H = 128 (256 KB) was no faster split, and stays on one thread.
     */
    static final double MIN_PACKED_BYTES_PER_THREAD = 256 << 10;

    /** Least bytes of op(B) per thread when {@link PackedMatrix#repack} splits over the pool. */
    static final double MIN_REPACK_BYTES_PER_THREAD = 128 << 10;

    /** Whether a product with a packed B of k x n is small-M and bandwidth-bound enough to split by B's bytes. */
    private static boolean streamsPackedB(int m, int n, int k) {
        return m <= SMALL_M && 4.0 * k * n >= 2 * MIN_PACKED_BYTES_PER_THREAD;
    }

    private static int minUnitsPerThread(double flopsPerUnit) {
        return unitsReaching(MIN_FLOPS_PER_THREAD, flopsPerUnit);
    }

    /** The least whole units of {@code perUnit} that reach {@code perThread} (FLOPs or bytes), at least 1. */
    private static int unitsReaching(double perThread, double perUnit) {
        return (int) Math.max(1, Math.ceil(perThread / perUnit));
    }

    /** How the kernel gets its B strips, always packed (see {@link GemmKernel#multiplyTile}). */
    private enum BSource {
        /** The whole KC x NC panel packed before the row blocks, which all reuse it from cache. */
        PACKED_PANEL,
        /** With a single row block each strip is packed just before use, so the copy stays in L1. */
        PACKED_PER_STRIP,
        /** Strips of a {@link PackedMatrix}, packed by the caller once for many products. */
        PREPACKED
    }

    private static BSource bSource(int m) {
        return m > MC ? BSource.PACKED_PANEL : BSource.PACKED_PER_STRIP;
    }

    /**
     * The blocked multiply on the calling thread; shapes already checked, K &gt; 0. B is either {@code b} with
     * {@code opB}, or (when {@code packed} is not null) the columns of {@code packed} from {@code packedCol} on.
     */
    private static void multiplySerial(float alpha, Matrix a, Op opA, Matrix b, Op opB, PackedMatrix packed,
                                       int packedCol, float beta, Matrix c) {
        int m = c.rows(), n = c.cols(), k = opA.cols(a);
        int kBlock = equalBlock(k);
        Workspace workspace = WORKSPACE.get();
        if (m <= SMALL_M) {
            multiplySmall(alpha, a, opA, b, opB, packed, packedCol, beta, c, kBlock, workspace);
            return;
        }
        BSource bSource = packed != null ? BSource.PREPACKED : bSource(m);
        float[] packedA = workspace.packedA(GemmPacking.packedASize(Math.min(MC, m), kBlock));
        int bColumns = switch (bSource) {
            case PACKED_PANEL -> Math.min(NC, n);
            case PREPACKED -> 0;
            default -> GemmKernel.NR;
        };
        float[] packedB = workspace.packedB(GemmPacking.packedBSize(bColumns, kBlock));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                // Later K blocks add onto what the first one wrote.
                float blockBeta = pc == 0 ? beta : 1f;
                if (bSource == BSource.PACKED_PANEL) {
                    GemmPacking.packB(b, opB, pc, kc, jc, nc, packedB, workspace.edge);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPacking.packA(a, opA, ic, mc, pc, kc, packedA, workspace.edge);
                    multiplyBlock(alpha, blockBeta, packedA, mc, kc, b, opB, bSource, packedB, packed, packedCol, pc,
                            jc, nc, c, ic, workspace);
                }
            }
        }
    }

    /**
     * The small-M path: C (M &lt;= {@link #SMALL_M} rows) in groups of {@link #GROUP_STRIPS} B strips, each row pair
     * (or last single row) of C by one kernel call per K block, after copying the few rows of op(A) of the K block
     * into the workspace. B strips come from the packed matrix, or
     * are packed a group at a time into the workspace. Either way the kernels see unit and constant strides.
     */
    private static void multiplySmall(float alpha, Matrix a, Op opA, Matrix b, Op opB, PackedMatrix packed,
                                      int packedCol, float beta, Matrix c, int kBlock, Workspace workspace) {
        int m = c.rows(), n = c.cols(), k = opA.cols(a), nr = GemmKernel.NR, group = GROUP_STRIPS * nr;
        float[] cData = c.data(), tile = workspace.tile;
        int ldc = c.stride();
        float[] buffer = packed != null ? null : workspace.packedB(GROUP_STRIPS * nr * kBlock);
        float[] aRows = workspace.smallA;
        for (int pc = 0; pc < k; pc += kBlock) {
            int kc = Math.min(kBlock, k - pc);
            float blockBeta = pc == 0 ? beta : 1f;
            // The few rows of op(A) over [pc, pc + kc) are copied first, even when they are contiguous: on a pool
            // worker, A is the state another core has just written, and a copy fetches its lines together where the
            // kernel, reading it in place, would wait for them one by one (serving at B = 1, 2 threads: 5-7% faster).
            if (opA == Op.N) {
                for (int i = 0; i < m; i++) System.arraycopy(a.data(), a.offset() + i * a.stride() + pc, aRows, i * kc, kc);
            } else {
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < kc; p++) aRows[i * kc + p] = a.data()[a.offset() + (pc + p) * a.stride() + i];
                }
            }
            for (int jg = 0; jg < n; jg += group) {
                int cols = Math.min(group, n - jg);
                float[] bData;
                int bIndex, stripStride;
                if (packed != null) {
                    bData = packed.data;
                    bIndex = (((packedCol + jg) / nr) * packed.rows() + pc) * nr;
                    stripStride = packed.rows() * nr;
                } else {
                    // Strips past the last column keep stale values: their results are never written.
                    GemmPacking.packB(b, opB, pc, kc, jg, cols, buffer, workspace.edge);
                    bData = buffer;
                    bIndex = 0;
                    stripStride = kc * nr;
                }
                for (int i = 0; i < m; ) {
                    int rows = m - i >= 2 ? 2 : 1;
                    int a0 = i * kc; // row i of op(A)'s block in aRows
                    if (rows == 2) {
                        GemmKernel.multiplyRows2(kc, aRows, a0, a0 + kc, bData, bIndex, stripStride, tile);
                    } else {
                        GemmKernel.multiplyRow1(kc, aRows, a0, bData, bIndex, stripStride, tile);
                    }
                    int cRow = c.offset() + i * ldc + jg;
                    for (int s = 0; s < GROUP_STRIPS && s * nr < cols; s++) {
                        GemmKernel.writeTile(tile, s * GemmKernel.SMALL_ROWS * nr, alpha, blockBeta, cData,
                                cRow + s * nr, ldc, rows, Math.min(nr, cols - s * nr));
                    }
                    i += rows;
                }
            }
        }
    }

    /** C[ic.., jc..] (mc x nc) = alpha * packedA * op(B)[pc.., jc..] + blockBeta * C, tile by tile. */
    private static void multiplyBlock(float alpha, float blockBeta, float[] packedA, int mc, int kc, Matrix b,
                                      Op opB, BSource bSource, float[] packedB, PackedMatrix packed, int packedCol,
                                      int pc, int jc, int nc, Matrix c, int ic, Workspace workspace) {
        int nr = GemmKernel.NR, mr = GemmKernel.MR, strip = GemmPacking.A_STRIP;
        float[] cData = c.data(), tile = workspace.tile;
        int ldc = c.stride();
        // Columns outer, rows inner: one B strip stays in L1 while the A block streams from L2.
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            float[] bData = packedB;
            int bIndex = 0;
            switch (bSource) {
                case PACKED_PANEL -> bIndex = (jr / nr) * kc * nr;
                case PACKED_PER_STRIP ->
                        GemmPacking.packB(b, opB, pc, kc, jc + jr, cols, packedB, workspace.edge);
                case PREPACKED -> {
                    bData = packed.data;
                    bIndex = (((packedCol + jc + jr) / nr) * packed.rows() + pc) * nr;
                }
            }
            for (int ir = 0; ir < mc; ir += mr) {
                int aIndex = (ir / strip) * kc * strip + ir % strip;
                GemmKernel.multiplyTile(kc, packedA, aIndex, bData, bIndex, tile);
                GemmKernel.writeTile(tile, 0, alpha, blockBeta, cData, c.offset() + (ic + ir) * ldc + jc + jr, ldc,
                        Math.min(mr, mc - ir), cols);
            }
        }
    }

    /**
     * A GEMM B operand, op(B) (K x N), packed once by {@link Gemm#pack} for many products
     * ({@link Gemm#multiply(float, Matrix, Op, PackedMatrix, float, Matrix)}), such as W_hh^T in every step of a
     * recurrent layer.
     *
     * <p>Contract: it is a copy. Products use op(B) as it was when packed, so after the source matrix changes (an
     * optimizer step, {@link Parameter#set}, loading weights) call {@link #repack} with it, before the next product
     * that should see the change; nothing detects a stale packing. Repacking costs one pass over the source and
     * allocates nothing. Products may run concurrently on one packing (it is only read); repacking must not
     * overlap them.
     *
     * <p>Layout: strips of {@link GemmKernel#NR} columns, {@code data[(s * K + p) * NR + v] = op(B)[p][s * NR + v]},
     * zero-padded to a whole number of {@link Gemm#GROUP_STRIPS} strips.
     */
    public static final class PackedMatrix {
        private final int rows;
        private final int cols;
        final float[] data;

        PackedMatrix(int rows, int cols) {
            int strips = GemmPacking.ceilDiv(GemmPacking.ceilDiv(cols, GemmKernel.NR), GROUP_STRIPS) * GROUP_STRIPS;
            long size = (long) strips * rows * GemmKernel.NR;
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a " + rows + "x" + cols + " operand is too large to pack into one array");
            }
            this.rows = rows;
            this.cols = cols;
            this.data = new float[(int) size];
        }

        /** K: rows of the packed op(B). */
        public int rows() {
            return rows;
        }

        /** N: columns of the packed op(B). */
        public int cols() {
            return cols;
        }

        /**
         * Packs op(b) again, over the old values: for a source matrix whose values changed. Allocates nothing.
         *
         * @throws IllegalArgumentException unless op(b) is {@link #rows()} x {@link #cols()}
         */
        public void repack(Matrix b, Op opB) {
            Objects.requireNonNull(b, "b");
            Objects.requireNonNull(opB, "opB");
            if (opB.rows(b) != rows || opB.cols(b) != cols) {
                throw new IllegalArgumentException("op" + opB + "(b) is " + opB.rows(b) + "x" + opB.cols(b) + " (b is "
                        + b.rows() + "x" + b.cols() + ") but this packing holds " + rows + "x" + cols);
            }
            if (rows == 0 || cols == 0) return;
            // Split like a recurrent step's product (whole groups of strips, chunk 0 on the caller: the same halves when
            // N is a whole number of groups), so that each thread's part of W_hh is written into the cache of the
            // core that reads it in every step.
            int colUnit = GROUP_STRIPS * GemmKernel.NR, units = GemmPacking.ceilDiv(cols, colUnit);
            int minUnits = unitsReaching(MIN_REPACK_BYTES_PER_THREAD, 4.0 * colUnit * rows);
            Parallel.forRange(units, minUnits, (from, to) -> packColumns(b, opB, from * colUnit, to * colUnit));
        }

        private void packColumns(Matrix b, Op opB, int first, int end) {
            GemmPacking.packB(b, opB, 0, rows, first, Math.min(end, cols) - first, data, first * rows, WORKSPACE.get().edge);
        }

        @Override
        public String toString() {
            return "PackedMatrix[" + rows + "x" + cols + "]";
        }
    }

    /**
     * The split of a product over the pool, by columns or by rows of C, kept by the thread that starts it and reused,
     * with the views of each running thread's {@link Workspace}: a recurrent step's split allocates nothing (a lambda
     * and two or three views each time, before). Splitting columns of a packed B hands each chunk its first column
     * of the packing; of a plain B, its columns of op(B).
     */
    private static final class ProductSplit implements Parallel.RangeBody {
        private float alpha, beta;
        private Matrix a, b, c;
        private Op opA, opB;
        private PackedMatrix packed;
        private boolean columns;
        private int unit;
        /** Whether a loop is running this split; a product started inside one of its chunks needs its own. */
        boolean busy;

        /** The calling thread's split, or a new one when a product is started inside a chunk of that one. */
        static ProductSplit ofCaller() {
            ProductSplit split = WORKSPACE.get().productSplit;
            return split.busy ? new ProductSplit() : split;
        }

        /** Takes up a product c = alpha * op(a) * B + beta * c, B being b with opB or packed, cut into units of C. */
        ProductSplit start(float alpha, Matrix a, Op opA, Matrix b, Op opB, PackedMatrix packed, float beta, Matrix c,
                           boolean columns, int unit) {
            this.alpha = alpha;
            this.a = a;
            this.opA = opA;
            this.b = b;
            this.opB = opB;
            this.packed = packed;
            this.beta = beta;
            this.c = c;
            this.columns = columns;
            this.unit = unit;
            busy = true;
            return this;
        }

        /** Runs the product over the pool, {@code units} units of at least {@code minUnits} per thread, and lets go. */
        void runOver(int units, int minUnits) {
            try {
                Parallel.forRange(units, minUnits, this);
            } finally {
                a = null;
                b = null;
                packed = null;
                c = null;
                busy = false;
            }
        }

        @Override
        public void run(int from, int to) {
            Workspace workspace = WORKSPACE.get();
            int first = from * unit;
            if (columns) {
                int count = Math.min(to * unit, c.cols()) - first;
                Matrix cCols = workspace.view(c, false, first, count);
                if (packed != null) {
                    multiplySerial(alpha, a, opA, null, null, packed, first, beta, cCols);
                } else {
                    Matrix bCols = workspace.view(b, opB == Op.T, first, count); // columns of op(B): rows of B when opB = T
                    multiplySerial(alpha, a, opA, bCols, opB, null, 0, beta, cCols);
                }
            } else {
                int count = Math.min(to * unit, c.rows()) - first;
                Matrix aRows = workspace.view(a, opA == Op.N, first, count); // rows of op(A): columns of A when opA = T
                multiplySerial(alpha, aRows, opA, b, opB, packed, 0, beta, workspace.view(c, true, first, count));
            }
        }
    }

    /** Packing buffers of one thread, grown on demand and kept, so the hot path allocates nothing. */
    private static final class Workspace {
        /** The split this thread starts (see {@link ProductSplit}). */
        final ProductSplit productSplit = new ProductSplit();
        /** The last few views this thread made, and what of: a recurrent pass splits the same matrices each step. */
        private final Matrix[] viewOf = new Matrix[8], views = new Matrix[8];
        private final boolean[] viewRows = new boolean[8];
        private final int[] viewFirst = new int[8], viewCount = new int[8];
        private int nextView;

        /** [strips of 16 rows][kc][16]: packed block of op(A). */
        private float[] packedA = new float[0];
        /** [strips of NR columns][kc][NR]: packed panel of op(B). */
        private float[] packedB = new float[0];
        /** [MR][NR] (small M: [GROUP_STRIPS][SMALL_ROWS][NR]): one tile of products on its way to C. */
        final float[] tile = new float[Math.max(GemmKernel.MR, GROUP_STRIPS * GemmKernel.SMALL_ROWS) * GemmKernel.NR];
        /** [SMALL_M][KC]: the rows of op(A) = A^T of one K block, for the small-M kernels. */
        final float[] smallA = new float[SMALL_M * KC];
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

        /** m.rows(first, count) or m.cols(first, count), the same view as last time for the same m and range. */
        Matrix view(Matrix m, boolean rows, int first, int count) {
            for (int i = 0; i < views.length; i++) {
                if (viewOf[i] == m && viewRows[i] == rows && viewFirst[i] == first && viewCount[i] == count) return views[i];
            }
            int i = nextView;
            nextView = (nextView + 1) % views.length;
            viewOf[i] = m;
            viewRows[i] = rows;
            viewFirst[i] = first;
            viewCount[i] = count;
            return views[i] = rows ? m.rows(first, count) : m.cols(first, count);
        }
    }
}
