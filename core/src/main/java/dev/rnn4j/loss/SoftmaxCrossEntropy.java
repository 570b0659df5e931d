package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Softmax cross-entropy on logits with one class id per row, as {@code torch.nn.CrossEntropyLoss()} (its
 * {@code ignore_index=-100} included): for a row of logits {@code x} and its class {@code y},
 * {@code logsumexp(x) - x[y]}, averaged over the counted rows. A row counts if its mask is 1 and its class is not
 * {@link #IGNORE}.
 *
 * <p>The log-sum-exp subtracts the row's maximum first, so logits of any finite size give finite results. The
 * gradient is {@code (softmax(x) - onehot(y)) / M}. The exponentials are taken in float vector lanes, as PyTorch
 * takes them in float; the rows' losses are summed in double, in row order.
 */
public final class SoftmaxCrossEntropy implements Loss {
    /** The class id of a row that does not count, as PyTorch's default {@code ignore_index}. */
    public static final int IGNORE = -100;

    private final float[] classWeights; // [K], or null for all 1

    /** Logits per thread below which splitting the rows costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 14;
    private static final VectorSpecies<Float> SPECIES = VectorMath.SPECIES;

    public SoftmaxCrossEntropy() {
        this.classWeights = null;
    }

    /**
     * Weighted by class, as PyTorch's {@code weight=} argument: row r counts {@code w[y_r]} times, and the mean divides
     * by {@code Σ_r w[y_r]} over the counted rows (so balanced weights n / (K n_k) give each class the same total
     * weight). The gradient of a row is {@code w[y] (softmax(x) - onehot(y)) / Σ w}.
     *
     * @param classWeights [K] finite, non-negative weights, not all zero
     */
    public SoftmaxCrossEntropy(float[] classWeights) {
        boolean positive = false;
        for (float w : classWeights) {
            if (!(w >= 0 && Float.isFinite(w))) throw new IllegalArgumentException("class weights must be finite and >= 0, got " + w);
            positive |= w > 0;
        }
        if (!positive) throw new IllegalArgumentException("class weights must not all be 0");
        this.classWeights = classWeights.clone();
    }

    /** The class weights, or null when every class weighs 1. */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** The counted rows' total class weight (their number when unweighted), the denominator of the mean. */
    @Override
    public double countedWeight(Targets targets, int rows) {
        if (classWeights == null) return Loss.super.countedWeight(targets, rows);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (targets.rowMask() != null && targets.rowMask()[r] == 0f) continue;
            int y = targets.classes()[r];
            if (y != IGNORE) total += weight(y);
        }
        return total;
    }

    @Override
    public double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient) {
        Rows.checkShapes(this, prediction, targets, gradient);
        int[] classes = targets.classes();
        if (classes == null) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy needs class ids (Targets.classes), got values");
        }
        int n = prediction.rows();
        int k = prediction.cols();
        float[] mask = targets.rowMask();
        int counted = 0;
        double totalWeight = 0;
        for (int r = 0; r < n; r++) {
            if (mask != null && mask[r] == 0f) continue;
            int y = classes[r];
            if (y == IGNORE) continue;
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: class id " + y + " at row " + r
                        + " is outside [0, " + k + ") and is not IGNORE (" + IGNORE + ")");
            }
            if (classWeights != null && classWeights.length != k) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: " + classWeights.length + " class weights for " + k + " classes");
            }
            counted++;
            totalWeight += weight(y);
        }
        if (counted == 0 || totalWeight == 0) {
            Rows.fillZero(gradient);
            return 0.0;
        }
        double inverseCount = 1.0 / totalWeight;
        double[] losses = new double[n]; // each row's weighted loss; per call, so that one instance serves any thread
        // rows are independent: split over the kernel threads; the sum below runs in row order, so no bit depends on them
        Parallel.forRange(n, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, k)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int y = classes[r];
                boolean counts = (mask == null || mask[r] != 0f) && y != IGNORE;
                if (!counts) {
                    losses[r] = 0;
                    if (gradient != null) {
                        int gBase = gradient.offset() + r * gradient.stride();
                        Arrays.fill(gradient.data(), gBase, gBase + k, 0f);
                    }
                    continue;
                }
                double w = weight(y);
                losses[r] = w * row(prediction, r, y, gradient, w * inverseCount);
            }
        });
        double sum = 0.0;
        for (int r = 0; r < n; r++) sum += losses[r];
        return sum * inverseCount;
    }

    /**
     * The loss {@code logsumexp(x) - x[y]} of row r, and when gradient is not null its row
     * {@code scale (softmax(x) - onehot(y))}. exp runs on {@link VectorMath#exp} lanes and the sum of the exps is kept
     * per lane in float, added up in lane order: a scalar {@code Math.exp} per logit cost more than the output layer's
     * GEMMs with a vocabulary of 10,000.
     */
    private static double row(Matrix prediction, int r, int y, Matrix gradient, double scale) {
        int k = prediction.cols();
        float[] x = prediction.data();
        int base = prediction.offset() + r * prediction.stride();
        float target = x[base + y]; // read before the gradient, which may share the logits' storage, is written
        int full = SPECIES.loopBound(k), length = SPECIES.length();
        VectorMask<Float> tail = SPECIES.indexInRange(full, k);
        FloatVector maxLanes = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < full; c += length) maxLanes = maxLanes.max(FloatVector.fromArray(SPECIES, x, base + c));
        if (full < k) maxLanes = maxLanes.max(FloatVector.fromArray(SPECIES, x, base + full, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        float max = maxLanes.reduceLanes(VectorOperators.MAX);
        if (max != max) return Double.NaN; // a NaN logit: the trainer reports the non-finite loss
        FloatVector sumLanes = FloatVector.zero(SPECIES);
        float[] g = gradient == null ? null : gradient.data();
        int gBase = gradient == null ? 0 : gradient.offset() + r * gradient.stride();
        for (int c = 0; c < full; c += length) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, x, base + c).sub(max));
            sumLanes = sumLanes.add(e);
            if (g != null) e.intoArray(g, gBase + c);
        }
        if (full < k) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, x, base + full, tail).sub(max)).blend(0f, tail.not());
            sumLanes = sumLanes.add(e);
            if (g != null) e.intoArray(g, gBase + full, tail);
        }
        double expSum = 0;
        for (int lane = 0; lane < length; lane++) expSum += sumLanes.lane(lane);
        double logSumExp = max + Math.log(expSum);
        if (g != null) {
            float factor = (float) (scale / expSum);
            for (int c = 0; c < full; c += length) FloatVector.fromArray(SPECIES, g, gBase + c).mul(factor).intoArray(g, gBase + c);
            if (full < k) FloatVector.fromArray(SPECIES, g, gBase + full, tail).mul(factor).intoArray(g, gBase + full, tail);
            g[gBase + y] -= (float) scale;
        }
        return logSumExp - target;
    }

    private double weight(int y) {
        return classWeights == null ? 1.0 : classWeights[y];
    }

    @Override
    public String toString() {
        return classWeights == null ? "SoftmaxCrossEntropy" : "SoftmaxCrossEntropy" + java.util.Arrays.toString(classWeights);
    }
}
