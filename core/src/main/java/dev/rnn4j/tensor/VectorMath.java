package dev.rnn4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Lanewise activations and their derivatives on the Vector API, because a scalar {@code Math.exp} per element
 * costs more than the GEMMs of a recurrent step.
 *
 * <p>exp (and through it sigmoid and tanh) is computed here from adds, multiplies and fmas, not with
 * {@code VectorOperators.EXP}: the JDK's intrinsic and its interpreted fallback round differently, so results
 * would change in the last bit when the JIT compiles a kernel, and two identical runs would not be bitwise
 * equal. IEEE add, multiply and fma round the same in every mode. Accuracy is within 2 ulp of exp.
 *
 * <p>The array forms apply the vector forms over a range, so each formula exists once. The vector forms are
 * private, and kernels elsewhere write a derivative such as s(1 - s) inline, because a vector passed to or returned
 * from a method that C2 does not inline is boxed on the heap, and C2 refuses to inline any of our methods once the
 * unit it compiles has passed its node budget: the Vector API's inlined plumbing reached it within one loop of
 * about ten operations (LstmCell's input and forget gradients, compiled on their own under Spark), boxing every
 * vector after that point. The Vector API's own methods are forced inline past the budget; ours are not. Keep
 * vectors inside one method, and call methods of ours with arrays and offsets. (exp is the exception, used by
 * {@code SoftmaxCrossEntropy} too; the loops that call it are small on their own.)
 */
public final class VectorMath {
    /** The preferred species of this machine (512 bits with AVX-512). */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    // exp: x = n ln2 + r with |r| <= ln2 / 2 (Cody and Waite's split of ln2), exp(r) by Cephes' expf polynomial
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING_MAGIC = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to an integer
    private static final float EXP_MIN = -87.3f; // keeps 2^n a normal float: no subnormals
    private static final float EXP_MAX = 89f;    // past ln(2^128) n reaches 128, whose bit pattern is +Infinity

    /**
     * exp(x) within 2 ulp. Below -87.3 it returns exp(-87.3) (about 1e-38) rather than a subnormal; from about
     * 88.4 up it returns +Infinity, so that 1 / (1 + exp(-x)) is exactly 0 for very negative x. NaN stays NaN.
     */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> sp = x.species();
        FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = clamped.mul(LOG2E).add(ROUNDING_MAGIC).sub(ROUNDING_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(sp, -LN2_HIGH), clamped);
        r = n.fma(FloatVector.broadcast(sp, -LN2_LOW), r);
        FloatVector p = FloatVector.broadcast(sp, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(sp, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(sp, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(sp, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(sp, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(sp, 5.0000001201e-1f));
        FloatVector expR = p.fma(r.mul(r), r).add(1f);
        IntVector exponent = (IntVector) n.convert(VectorOperators.F2I, 0);
        FloatVector twoToN = exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return expR.mul(twoToN);
    }

    /** sigmoid(x) = 1 / (1 + exp(-x)). */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        return one.div(one.add(exp(x.neg())));
    }

    /** tanh(x) = sign(x) (1 - e) / (1 + e) with e = exp(-2|x|); absolute error below 1e-7. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(-2f));
        FloatVector magnitude = e.neg().add(1f).div(e.add(1f));
        return magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0f));
    }

    private static FloatVector relu(FloatVector x) {
        return x.max(0f);
    }

    /** d sigmoid / dx expressed through its output s: s * (1 - s). */
    private static FloatVector sigmoidDerivativeFromOutput(FloatVector s) {
        return s.mul(s.neg().add(1f));
    }

    /** d tanh / dx expressed through its output t: 1 - t^2. */
    private static FloatVector tanhDerivativeFromOutput(FloatVector t) {
        return t.mul(t).neg().add(1f);
    }

    /** d relu / dx expressed through its output r: 1 where r &gt; 0, else 0. */
    private static FloatVector reluDerivativeFromOutput(FloatVector r) {
        FloatVector zero = FloatVector.zero(r.species());
        return zero.blend(1f, r.compare(VectorOperators.GT, 0f));
    }

    /** dst[dstOff + i] = sigmoid(src[srcOff + i]) for i in [0, n). */
    public static void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(SPECIES, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[dstOff + i] = tanh(src[srcOff + i]) for i in [0, n). */
    public static void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            tanh(FloatVector.fromArray(SPECIES, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[dstOff + i] = max(src[srcOff + i], 0) for i in [0, n). */
    public static void relu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            relu(FloatVector.fromArray(SPECIES, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[dstOff + i] *= src[srcOff + i] for i in [0, n). */
    public static void multiply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, dst, dstOff + i, m).mul(FloatVector.fromArray(SPECIES, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[dstOff + i] = a[aOff + i] * b[bOff + i] for i in [0, n). */
    public static void product(float[] a, int aOff, float[] b, int bOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, a, aOff + i, m).mul(FloatVector.fromArray(SPECIES, b, bOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[dstOff + i] += src[srcOff + i] for i in [0, n). */
    public static void add(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, dst, dstOff + i, m).add(FloatVector.fromArray(SPECIES, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[i] = s[i] * (1 - s[i]) where s holds sigmoid outputs. */
    public static void sigmoidDerivativeFromOutput(float[] s, int sOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            sigmoidDerivativeFromOutput(FloatVector.fromArray(SPECIES, s, sOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[i] = 1 - t[i]^2 where t holds tanh outputs. */
    public static void tanhDerivativeFromOutput(float[] t, int tOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            tanhDerivativeFromOutput(FloatVector.fromArray(SPECIES, t, tOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst[i] = r[i] &gt; 0 ? 1 : 0 where r holds relu outputs. */
    public static void reluDerivativeFromOutput(float[] r, int rOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            reluDerivativeFromOutput(FloatVector.fromArray(SPECIES, r, rOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /**
     * Σ v[off + i]² for i in [0, n): squares accumulated lane by lane in float, then the lanes added in double in
     * lane order, so the result depends only on the values, never on threads or the JIT.
     */
    public static double sumOfSquares(float[] v, int off, int n) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int full = SPECIES.loopBound(n), i = 0;
        for (; i < full; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, v, off + i);
            lanes = x.fma(x, lanes);
        }
        if (i < n) { // the same lanes as a masked loop would use, so the bits do not depend on the split
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(SPECIES, v, off + i, m);
            lanes = x.fma(x, lanes);
        }
        double sum = 0;
        for (int lane = 0; lane < SPECIES.length(); lane++) sum += lanes.lane(lane);
        return sum;
    }

    /** Multiplies every element of the view {@code a} by {@code s}, in place (the same bits as a scalar loop). */
    public static void scale(Matrix a, float s) {
        for (int r = 0; r < a.rows(); r++) scaleRow(a, r, s);
    }

    /** Multiplies row r of the view {@code a} by {@code rowFactors[r]}, in place (the same bits as a scalar loop). */
    public static void scaleRows(Matrix a, float[] rowFactors) {
        if (rowFactors.length < a.rows()) throw new IllegalArgumentException(rowFactors.length + " row factors for " + a.rows() + " rows");
        for (int r = 0; r < a.rows(); r++) scaleRow(a, r, rowFactors[r]);
    }

    private static void scaleRow(Matrix a, int r, float s) {
        float[] data = a.data();
        int cols = a.cols(), full = SPECIES.loopBound(cols), row = a.offset() + r * a.stride(), j = 0;
        for (; j < full; j += SPECIES.length()) FloatVector.fromArray(SPECIES, data, row + j).mul(s).intoArray(data, row + j);
        for (; j < cols; j++) data[row + j] *= s;
    }

    /**
     * Whether every element is finite: x - x is 0 for a finite x and NaN for NaN or an infinity, and NaN survives the
     * sum. One vector pass, for checks that run on every training step over millions of parameters.
     */
    public static boolean allFinite(float[] v) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int full = SPECIES.loopBound(v.length), i = 0;
        for (; i < full; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, v, i);
            lanes = lanes.add(x.sub(x));
        }
        for (; i < v.length; i++) if (!Float.isFinite(v[i])) return false;
        return !lanes.test(VectorOperators.IS_NAN).anyTrue();
    }

    /**
     * sums[j] += Σ_r a(r, j) for j &lt; a.cols(): column sums, such as a bias gradient over all the rows of a
     * gate gradient. Summed as {@link Gemm} sums a product with a row of ones, with the same bits: the rows cut into
     * equal blocks of at most {@value Gemm#KC}, each block summed in row order from zero into {@code blockSums}
     * (scratch of at least a.cols() floats), then added to sums. Columns are split over the threads of
     * {@link Parallel}, which changes no sum.
     */
    public static void addColumnSums(Matrix a, float[] blockSums, float[] sums) {
        int columnGroups = (a.cols() + COLUMN_GROUP - 1) / COLUMN_GROUP;
        Parallel.forRange(columnGroups, MIN_COLUMN_GROUPS_PER_THREAD, (from, to) -> {
            int first = from * COLUMN_GROUP;
            addColumnSums(a, first, Math.min(a.cols(), to * COLUMN_GROUP) - first, blockSums, sums);
        });
    }

    /** Columns per unit of work of {@link #addColumnSums}: four vectors of a row. */
    private static final int COLUMN_GROUP = 64;
    private static final int MIN_COLUMN_GROUPS_PER_THREAD = 4;

    /** {@link #addColumnSums} over columns [first, first + count). */
    private static void addColumnSums(Matrix a, int first, int count, float[] blockSums, float[] sums) {
        int rows = a.rows(), end = first + count;
        if (rows == 0) return;
        int blockRows = Gemm.equalBlock(rows);
        float[] data = a.data();
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int blockEnd = Math.min(rows, r0 + blockRows);
            Arrays.fill(blockSums, first, end, 0f);
            for (int r = r0; r < blockEnd; r++) {
                int row = a.offset() + r * a.stride();
                for (int j = first; j < end; j += SPECIES.length()) {
                    VectorMask<Float> m = SPECIES.indexInRange(j, end);
                    FloatVector.fromArray(SPECIES, blockSums, j, m).add(FloatVector.fromArray(SPECIES, data, row + j, m))
                            .intoArray(blockSums, j, m);
                }
            }
            for (int j = first; j < end; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, end);
                FloatVector.fromArray(SPECIES, sums, j, m).add(FloatVector.fromArray(SPECIES, blockSums, j, m)).intoArray(sums, j, m);
            }
        }
    }
}
