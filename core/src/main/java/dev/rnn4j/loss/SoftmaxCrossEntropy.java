package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

import java.util.Arrays;

/**
 * Softmax cross-entropy on logits with one class id per row, as {@code torch.nn.CrossEntropyLoss()} (its
 * {@code ignore_index=-100} included): for a row of logits {@code x} and its class {@code y},
 * {@code logsumexp(x) - x[y]}, averaged over the counted rows. A row counts if its mask is 1 and its class is not
 * {@link #IGNORE}.
 *
 * <p>The log-sum-exp subtracts the row's maximum first, so logits of any finite size give finite results. The
 * gradient is {@code (softmax(x) - onehot(y)) / M}.
 */
public final class SoftmaxCrossEntropy implements Loss {
    /** The class id of a row that does not count, as PyTorch's default {@code ignore_index}. */
    public static final int IGNORE = -100;

    private final float[] classWeights; // [K], or null for all 1

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
        float[] x = prediction.data();
        double sum = 0.0;
        for (int r = 0; r < n; r++) {
            int base = prediction.offset() + r * prediction.stride();
            int y = classes[r];
            boolean counts = (mask == null || mask[r] != 0f) && y != IGNORE;
            if (!counts) {
                if (gradient != null) {
                    int gBase = gradient.offset() + r * gradient.stride();
                    Arrays.fill(gradient.data(), gBase, gBase + k, 0f);
                }
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, x[base + c]);
            double expSum = 0.0;
            for (int c = 0; c < k; c++) expSum += Math.exp(x[base + c] - max);
            double logSumExp = max + Math.log(expSum);
            double w = weight(y);
            sum += w * (logSumExp - x[base + y]);
            if (gradient != null) {
                float[] g = gradient.data();
                int gBase = gradient.offset() + r * gradient.stride();
                for (int c = 0; c < k; c++) {
                    double softmax = Math.exp(x[base + c] - logSumExp);
                    g[gBase + c] = (float) ((c == y ? softmax - 1.0 : softmax) * w * inverseCount);
                }
            }
        }
        return sum * inverseCount;
    }

    private double weight(int y) {
        return classWeights == null ? 1.0 : classWeights[y];
    }

    @Override
    public String toString() {
        return classWeights == null ? "SoftmaxCrossEntropy" : "SoftmaxCrossEntropy" + java.util.Arrays.toString(classWeights);
    }
}
