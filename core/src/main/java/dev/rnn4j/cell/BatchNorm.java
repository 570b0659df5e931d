package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) of one time step, the row kernels of {@link RecurrenceBatchNorm}: each
 * of the n columns j is normalised over the m rows b of the batch that have the step,
 * <pre>
 *   μ_j = (1/m) Σ_b x_bj,   σ²_j = (1/m) Σ_b (x_bj - μ_j)²  (biased),   x̂_bj = (x_bj - μ_j) / sqrt(σ²_j + ε),
 *   y_bj = γ_j x̂_bj + β_j,   ε = 1e-5
 * </pre>
 * with the batch's μ and σ² in training, a population's at inference. The exact backward, with g_b = dy_b ⊙ γ:
 * <pre>
 *   training:   dx_b = (g_b - mean_b(g) - x̂_b ⊙ mean_b(g ⊙ x̂)) / sqrt(σ² + ε)
 *   inference:  dx_b = g_b / sqrt(σ² + ε)                     (μ and σ² are constants)
 *   dγ += Σ_b dy_b ⊙ x̂_b,   dβ += Σ_b dy_b
 * </pre>
 *
 * <p>Determinism: a column statistic is a float sum over the rows in their order, one vector lane per column, and every
 * other pass is lanewise, so the results do not depend on the machine's vector width, on the JIT, or on how the
 * columns are split over threads. Each pass is a small method with one or
 * two live vectors, for the reasons given in {@link LstmCell}.
 */
final class BatchNorm {
    static final double EPS = 1e-5;

    private BatchNorm() {}

    // Columns [c, c + n) of a row: a row array is read from its offset (which includes c), the per-column arrays
    // (statistics, gains, sums) at [c, c + n).

    /** acc[c + j] += (x[xOff + j] - mean[c + j])² for j in [0, n). */
    static void addSquaredDeviation(float[] x, int xOff, float[] mean, float[] acc, int c, int n) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector d = FloatVector.fromArray(SPECIES, x, xOff + j, m).sub(FloatVector.fromArray(SPECIES, mean, c + j, m));
            d.mul(d).add(FloatVector.fromArray(SPECIES, acc, c + j, m)).intoArray(acc, c + j, m);
        }
    }

    /** v[c + j] /= count for j in [0, n): a sum over rows becomes their mean. */
    static void divide(float[] v, int c, int n, int count) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector.fromArray(SPECIES, v, c + j, m).div(count).intoArray(v, c + j, m);
        }
    }

    /** x̂ = (x - μ) ⊙ rstd over n columns; μ from {@code mean[meanOff..]}, 1 / sqrt(σ² + ε) from {@code rstd[rstdOff..]}. */
    static void normalize(float[] x, int xOff, float[] mean, int meanOff, float[] rstd, int rstdOff, float[] xhat, int xhatOff, int n) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector centered = FloatVector.fromArray(SPECIES, x, xOff + j, m).sub(FloatVector.fromArray(SPECIES, mean, meanOff + j, m));
            centered.mul(FloatVector.fromArray(SPECIES, rstd, rstdOff + j, m)).intoArray(xhat, xhatOff + j, m);
        }
    }

    /** y = γ ⊙ x̂, then + β unless β is null. */
    static void affine(float[] xhat, int xhatOff, float[] gamma, float[] beta, int c, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(SPECIES, gamma, c + j, m).mul(FloatVector.fromArray(SPECIES, xhat, xhatOff + j, m));
            if (beta != null) v = v.add(FloatVector.fromArray(SPECIES, beta, c + j, m));
            v.intoArray(y, yOff + j, m);
        }
    }

    /**
     * One row's share of the backward sums: dγ += dy ⊙ x̂, sumG += dy ⊙ γ, sumGx += dy ⊙ γ ⊙ x̂ (mean_b(g) and
     * mean_b(g ⊙ x̂) before dividing by m, g = dy ⊙ γ), in one pass over dy and x̂.
     */
    static void addGradientSums(float[] dy, int dyOff, float[] gamma, float[] xhat, int xhatOff, float[] dGamma, float[] sumG, float[] sumGx,
                                int c, int n) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector d = FloatVector.fromArray(SPECIES, dy, dyOff + j, m);
            FloatVector gain = FloatVector.fromArray(SPECIES, gamma, c + j, m);
            FloatVector dyXhat = d.mul(FloatVector.fromArray(SPECIES, xhat, xhatOff + j, m));
            dyXhat.add(FloatVector.fromArray(SPECIES, dGamma, c + j, m)).intoArray(dGamma, c + j, m);
            d.mul(gain).add(FloatVector.fromArray(SPECIES, sumG, c + j, m)).intoArray(sumG, c + j, m);
            dyXhat.mul(gain).add(FloatVector.fromArray(SPECIES, sumGx, c + j, m)).intoArray(sumGx, c + j, m);
        }
    }

    /**
     * Training: dx = rstd ⊙ (dy ⊙ γ - meanG - x̂ ⊙ meanGx); inference ({@code meanG} null): dx = rstd ⊙ dy ⊙ γ. Written
     * to {@code dx[dxOff..]}, or added to it when {@code accumulate}; rstd from {@code rstd[rstdOff..]}.
     */
    static void inputGradient(float[] dy, int dyOff, float[] gamma, float[] xhat, int xhatOff, float[] rstd, int rstdOff,
                              float[] meanG, float[] meanGx, int c, float[] dx, int dxOff, boolean accumulate, int n) {
        for (int j = 0; j < n; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector g = FloatVector.fromArray(SPECIES, dy, dyOff + j, m).mul(FloatVector.fromArray(SPECIES, gamma, c + j, m));
            if (meanG != null) {
                FloatVector xhatMeanGx = FloatVector.fromArray(SPECIES, xhat, xhatOff + j, m).mul(FloatVector.fromArray(SPECIES, meanGx, c + j, m));
                g = g.sub(FloatVector.fromArray(SPECIES, meanG, c + j, m)).sub(xhatMeanGx);
            }
            FloatVector d = g.mul(FloatVector.fromArray(SPECIES, rstd, rstdOff + j, m));
            if (accumulate) d = d.add(FloatVector.fromArray(SPECIES, dx, dxOff + j, m));
            d.intoArray(dx, dxOff + j, m);
        }
    }
}
