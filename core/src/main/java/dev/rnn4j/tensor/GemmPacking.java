package dev.rnn4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Copies blocks of GEMM operands into the contiguous, zero-padded panels that {@link GemmKernel} streams.
 *
 * <p>Packed A holds {@value #A_STRIP}-row strips: {@code dst[(s * kc + p) * 16 + r] = op(A)[16 s + r][p]}, so
 * the kernel's broadcasts for one p are adjacent. Packed B holds {@link GemmKernel#NR}-column strips:
 * {@code dst[(s * kc + p) * NR + v] = op(B)[p][NR s + v]}, so the kernel's two vector loads per p are adjacent.
 * When the source is stored the other way round (A not transposed, B transposed) packing is a transpose,
 * done 16 x 16 in registers: element by element it took longer than the recurrent-step multiply it feeds.
 */
final class GemmPacking {
    /** Rows per packed A strip: two kernel row blocks, so one 16 x 16 transpose fills both. */
    static final int A_STRIP = 2 * GemmKernel.MR;

    private static final VectorSpecies<Float> SPECIES = GemmKernel.SPECIES;
    private static final int LANES = GemmKernel.LANES;
    private static final int NR = GemmKernel.NR;

    /** The in-register transpose is written for 16 lanes; other vector sizes take the element-wise path. */
    private static final boolean TRANSPOSE_IN_REGISTERS = LANES == 16;
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    /**
     * Lane selectors for the four butterfly stages of a 16 x 16 transpose. Stage d (8, 4, 2, 1) pairs rows x and
     * x + d and swaps bit d between row and column index: low(x, y)[l] = bit d of l clear ? x[l] : y[l - d],
     * high(x, y)[l] = bit d of l clear ? x[l + d] : y[l]. Indexes 16..31 select from the second vector.
     */
    private static final IntVector LOW8 = selector(8, true), HIGH8 = selector(8, false);
    private static final IntVector LOW4 = selector(4, true), HIGH4 = selector(4, false);
    private static final IntVector LOW2 = selector(2, true), HIGH2 = selector(2, false);
    private static final IntVector LOW1 = selector(1, true), HIGH1 = selector(1, false);

    private GemmPacking() {}

    /** Floats needed to pack {@code rows} rows of op(A) over {@code kc} steps. */
    static int packedASize(int rows, int kc) {
        return ceilDiv(rows, A_STRIP) * A_STRIP * kc;
    }

    /** Floats needed to pack {@code cols} columns of op(B) over {@code kc} steps. */
    static int packedBSize(int cols, int kc) {
        return ceilDiv(cols, NR) * NR * kc;
    }

    /**
     * Packs op(a)[rowFrom + i][kFrom + p] for i &lt; rowCount, p &lt; kc into 16-row strips, padding the last
     * strip with zero rows. {@code edge} is scratch of {@link #EDGE_SCRATCH} floats.
     */
    static void packA(Matrix a, Op opA, int rowFrom, int rowCount, int kFrom, int kc, float[] dst,
                      float[] edge) {
        int lda = a.stride();
        if (opA == Op.T) {
            // Row i of op(a) is column i of a: for each p the values of all strips sit side by side in row p of a.
            packAlongRows(a.data(), a.offset() + kFrom * lda + rowFrom, lda, rowCount, kc, A_STRIP, dst, 0);
        } else {
            packAcrossRows(a.data(), a.offset() + rowFrom * lda + kFrom, lda, rowCount, kc, A_STRIP, dst, 0, edge);
        }
    }

    /**
     * Packs op(b)[kFrom + p][colFrom + j] for p &lt; kc, j &lt; colCount into NR-column strips, padding the last
     * strip with zero columns. {@code edge} is scratch of {@link #EDGE_SCRATCH} floats.
     */
    static void packB(Matrix b, Op opB, int kFrom, int kc, int colFrom, int colCount, float[] dst,
                      float[] edge) {
        packB(b, opB, kFrom, kc, colFrom, colCount, dst, 0, edge);
    }

    /** {@link #packB} into dst from {@code dstFrom} on: strips [s0, s1) of a whole packing start at s0 * kc * NR. */
    static void packB(Matrix b, Op opB, int kFrom, int kc, int colFrom, int colCount, float[] dst, int dstFrom,
                      float[] edge) {
        int ldb = b.stride();
        if (opB == Op.N) {
            packAlongRows(b.data(), b.offset() + kFrom * ldb + colFrom, ldb, colCount, kc, NR, dst, dstFrom);
        } else {
            // Column j of op(b) is row j of b.
            packAcrossRows(b.data(), b.offset() + colFrom * ldb + kFrom, ldb, colCount, kc, NR, dst, dstFrom, edge);
        }
    }

    /**
     * Strips of {@code width} from kc source rows: dst[(s * kc + p) * width + v] = src[from + p * ld + s * width + v]
     * for s * width + v &lt; count, else 0. Row by row, each row cut into its strips: reading the source along its rows
     * streams it, where a strip at a time would step down the rows a stride apart and, for strides of a few KB,
     * thrash the L1 sets.
     */
    private static void packAlongRows(float[] src, int from, int ld, int count, int kc, int width, float[] dst,
                                      int dstFrom) {
        int stripSize = width * kc;
        for (int p = 0; p < kc; p++) {
            int row = from + p * ld;
            for (int strip = 0, at = dstFrom + p * width; strip < count; strip += width, at += stripSize) {
                copyPadded(src, row + strip, Math.min(width, count - strip), dst, at, width);
            }
        }
    }

    /**
     * The same strips from {@code count} source rows read as columns: dst[(s * kc + p) * width + v] =
     * src[from + (s * width + v) * ld + p] for s * width + v &lt; count, else 0 (a transpose per strip).
     */
    private static void packAcrossRows(float[] src, int from, int ld, int count, int kc, int width, float[] dst,
                                       int dstFrom, float[] edge) {
        for (int strip = 0, base = dstFrom; strip < count; strip += width, base += width * kc) {
            transpose(src, from + strip * ld, ld, Math.min(width, count - strip), kc, dst, base, width, width, edge);
        }
    }

    /**
     * dst[at + v] = v &lt; count ? src[from + v] : 0 for v &lt; width. A plain copy, not vectors: C2 sometimes failed
     * to intrinsify the Vector API loads here once packA and packB inlined it, and then boxed every vector on the
     * heap (about 100 MB per LSTM M training step, a young collection per step; seen with JFR's allocation samples).
     */
    private static void copyPadded(float[] src, int from, int count, float[] dst, int at, int width) {
        int copied = Math.max(0, Math.min(count, width));
        if (copied > 0) System.arraycopy(src, from, dst, at, copied); // with nothing to copy, from may lie past src
        if (copied < width) Arrays.fill(dst, at + copied, at + width, 0f);
    }

    /**
     * dst[d0 + p * ldd + r] = r &lt; rows ? src[s0 + r * lds + p] : 0 for r &lt; width and p &lt; cols: a
     * transpose of {@code rows} source rows into panel rows of {@code width} values. {@code edge} is
     * scratch for blocks cut by the operand's edge, at least {@link #EDGE_SCRATCH} floats.
     */
    private static void transpose(float[] src, int s0, int lds, int rows, int cols, float[] dst, int d0, int ldd,
                                  int width, float[] edge) {
        if (TRANSPOSE_IN_REGISTERS && width % 16 == 0) {
            for (int group = 0; group < width; group += 16) {
                int groupSource = s0 + group * lds, groupRows = rows - group;
                for (int p = 0; p < cols; p += 16) {
                    int blockCols = Math.min(16, cols - p);
                    if (groupRows >= 16 && blockCols == 16) {
                        transpose16(src, groupSource + p, lds, dst, d0 + p * ldd + group, ldd);
                    } else {
                        transposeEdge16(src, groupSource + p, lds, groupRows, blockCols,
                                dst, d0 + p * ldd + group, ldd, edge);
                    }
                }
            }
            return;
        }
        for (int p = 0; p < cols; p++) {
            for (int r = 0; r < width; r++) {
                dst[d0 + p * ldd + r] = r < rows ? src[s0 + r * lds + p] : 0f;
            }
        }
    }

    /** Floats of scratch a caller must pass for edge blocks: a padded source block and its transpose. */
    static final int EDGE_SCRATCH = 2 * 16 * 16;

    /**
     * A 16 x 16 transpose of a block cut by the operand's edge (rows &lt; 16, possibly zero or negative, or
     * cols &lt; 16): copied zero-padded into scratch first, so the one transpose routine stays free of masks
     * and branches (which would push C2 past its inlining budget and box the vectors).
     */
    private static void transposeEdge16(float[] src, int s0, int lds, int rows, int cols, float[] dst, int d0,
                                        int ldd, float[] edge) {
        for (int r = 0; r < 16; r++) {
            copyPadded(src, s0 + r * lds, r < rows ? cols : 0, edge, r * 16, 16);
        }
        transpose16(edge, 0, 16, edge, 256, 16);
        for (int p = 0; p < cols; p++) {
            copyPadded(edge, 256 + p * 16, 16, dst, d0 + p * ldd, 16);
        }
    }

    /** Transposes a full 16 x 16 block: dst[d0 + p * ldd + r] = src[s0 + r * lds + p] for p, r &lt; 16. */
    private static void transpose16(float[] src, int s0, int lds, float[] dst, int d0, int ldd) {
        IntVector r0 = FloatVector.fromArray(S16, src, s0).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(S16, src, s0 + lds).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(S16, src, s0 + 2 * lds).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(S16, src, s0 + 3 * lds).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(S16, src, s0 + 4 * lds).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(S16, src, s0 + 5 * lds).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(S16, src, s0 + 6 * lds).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(S16, src, s0 + 7 * lds).reinterpretAsInts();
        IntVector r8 = FloatVector.fromArray(S16, src, s0 + 8 * lds).reinterpretAsInts();
        IntVector r9 = FloatVector.fromArray(S16, src, s0 + 9 * lds).reinterpretAsInts();
        IntVector r10 = FloatVector.fromArray(S16, src, s0 + 10 * lds).reinterpretAsInts();
        IntVector r11 = FloatVector.fromArray(S16, src, s0 + 11 * lds).reinterpretAsInts();
        IntVector r12 = FloatVector.fromArray(S16, src, s0 + 12 * lds).reinterpretAsInts();
        IntVector r13 = FloatVector.fromArray(S16, src, s0 + 13 * lds).reinterpretAsInts();
        IntVector r14 = FloatVector.fromArray(S16, src, s0 + 14 * lds).reinterpretAsInts();
        IntVector r15 = FloatVector.fromArray(S16, src, s0 + 15 * lds).reinterpretAsInts();

        IntVector t0 = LOW8.selectFrom(r0, r8), t8 = HIGH8.selectFrom(r0, r8);
        IntVector t1 = LOW8.selectFrom(r1, r9), t9 = HIGH8.selectFrom(r1, r9);
        IntVector t2 = LOW8.selectFrom(r2, r10), t10 = HIGH8.selectFrom(r2, r10);
        IntVector t3 = LOW8.selectFrom(r3, r11), t11 = HIGH8.selectFrom(r3, r11);
        IntVector t4 = LOW8.selectFrom(r4, r12), t12 = HIGH8.selectFrom(r4, r12);
        IntVector t5 = LOW8.selectFrom(r5, r13), t13 = HIGH8.selectFrom(r5, r13);
        IntVector t6 = LOW8.selectFrom(r6, r14), t14 = HIGH8.selectFrom(r6, r14);
        IntVector t7 = LOW8.selectFrom(r7, r15), t15 = HIGH8.selectFrom(r7, r15);

        r0 = LOW4.selectFrom(t0, t4); r4 = HIGH4.selectFrom(t0, t4);
        r1 = LOW4.selectFrom(t1, t5); r5 = HIGH4.selectFrom(t1, t5);
        r2 = LOW4.selectFrom(t2, t6); r6 = HIGH4.selectFrom(t2, t6);
        r3 = LOW4.selectFrom(t3, t7); r7 = HIGH4.selectFrom(t3, t7);
        r8 = LOW4.selectFrom(t8, t12); r12 = HIGH4.selectFrom(t8, t12);
        r9 = LOW4.selectFrom(t9, t13); r13 = HIGH4.selectFrom(t9, t13);
        r10 = LOW4.selectFrom(t10, t14); r14 = HIGH4.selectFrom(t10, t14);
        r11 = LOW4.selectFrom(t11, t15); r15 = HIGH4.selectFrom(t11, t15);

        t0 = LOW2.selectFrom(r0, r2); t2 = HIGH2.selectFrom(r0, r2);
        t1 = LOW2.selectFrom(r1, r3); t3 = HIGH2.selectFrom(r1, r3);
        t4 = LOW2.selectFrom(r4, r6); t6 = HIGH2.selectFrom(r4, r6);
        t5 = LOW2.selectFrom(r5, r7); t7 = HIGH2.selectFrom(r5, r7);
        t8 = LOW2.selectFrom(r8, r10); t10 = HIGH2.selectFrom(r8, r10);
        t9 = LOW2.selectFrom(r9, r11); t11 = HIGH2.selectFrom(r9, r11);
        t12 = LOW2.selectFrom(r12, r14); t14 = HIGH2.selectFrom(r12, r14);
        t13 = LOW2.selectFrom(r13, r15); t15 = HIGH2.selectFrom(r13, r15);

        // After the last stage, vector p holds column p of the source block.
        LOW1.selectFrom(t0, t1).reinterpretAsFloats().intoArray(dst, d0);
        HIGH1.selectFrom(t0, t1).reinterpretAsFloats().intoArray(dst, d0 + ldd);
        LOW1.selectFrom(t2, t3).reinterpretAsFloats().intoArray(dst, d0 + 2 * ldd);
        HIGH1.selectFrom(t2, t3).reinterpretAsFloats().intoArray(dst, d0 + 3 * ldd);
        LOW1.selectFrom(t4, t5).reinterpretAsFloats().intoArray(dst, d0 + 4 * ldd);
        HIGH1.selectFrom(t4, t5).reinterpretAsFloats().intoArray(dst, d0 + 5 * ldd);
        LOW1.selectFrom(t6, t7).reinterpretAsFloats().intoArray(dst, d0 + 6 * ldd);
        HIGH1.selectFrom(t6, t7).reinterpretAsFloats().intoArray(dst, d0 + 7 * ldd);
        LOW1.selectFrom(t8, t9).reinterpretAsFloats().intoArray(dst, d0 + 8 * ldd);
        HIGH1.selectFrom(t8, t9).reinterpretAsFloats().intoArray(dst, d0 + 9 * ldd);
        LOW1.selectFrom(t10, t11).reinterpretAsFloats().intoArray(dst, d0 + 10 * ldd);
        HIGH1.selectFrom(t10, t11).reinterpretAsFloats().intoArray(dst, d0 + 11 * ldd);
        LOW1.selectFrom(t12, t13).reinterpretAsFloats().intoArray(dst, d0 + 12 * ldd);
        HIGH1.selectFrom(t12, t13).reinterpretAsFloats().intoArray(dst, d0 + 13 * ldd);
        LOW1.selectFrom(t14, t15).reinterpretAsFloats().intoArray(dst, d0 + 14 * ldd);
        HIGH1.selectFrom(t14, t15).reinterpretAsFloats().intoArray(dst, d0 + 15 * ldd);
    }

    private static IntVector selector(int d, boolean low) {
        int[] lanes = new int[16];
        for (int l = 0; l < 16; l++) {
            boolean bitClear = (l & d) == 0;
            lanes[l] = low ? (bitClear ? l : 16 + l - d) : (bitClear ? l + d : 16 + l);
        }
        return IntVector.fromArray(IntVector.SPECIES_512, lanes, 0);
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
