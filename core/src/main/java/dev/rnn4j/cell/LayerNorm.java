package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * Layer normalisation of one row (Ba et al. 2016), as {@code torch.nn.LayerNorm} with elementwise affine:
 * <pre>
 *   μ = mean(x),  σ² = mean((x - μ)²)  (biased),  x̂ = (x - μ) / sqrt(σ² + ε),  y = γ ⊙ x̂ + β,   ε = 1e-5
 * </pre>
 * and its exact backward, with g = dy ⊙ γ:
 * <pre>
 *   dx = (g - mean(g) - x̂ ⊙ mean(g ⊙ x̂)) / sqrt(σ² + ε),   dγ += dy ⊙ x̂,   dβ += dy
 * </pre>
 *
 * <p>Determinism: a row sum is accumulated in float into {@value #PARTIALS} partial sums, partial k taking elements
 * k, k + 16, k + 32, ... in index order, and the partials are then added in double, in order. That order does not
 * depend on the machine's vector width (a 256-bit machine runs partials 0-7 and 8-15 as two passes of the same
 * additions), on the JIT or on threads, so the results are the same bits everywhere; and the lanewise passes are
 * plain IEEE float arithmetic. μ is rounded to float, σ² is computed about that float μ (two passes, no
 * cancellation), and 1 / sqrt(σ² + ε) is rounded to float once; both passes use those floats. x̂ is stored for the
 * backward pass, and y = γ x̂ + β is a function of the stored x̂ alone, so recomputing it gives the same bits.
 *
 * <p>Each pass is a small method with one or two live vectors, for the reasons given in {@link LstmCell}.
 */
final class LayerNorm {
    static final double EPS = 1e-5;
    /** Partial sums per row reduction (a multiple of every float vector length up to 512 bits). */
    static final int PARTIALS = 16;
    /** The machine's species, or 512 bits where vectors are longer than {@link #PARTIALS} floats. */
    private static final VectorSpecies<Float> S = SPECIES.length() <= PARTIALS ? SPECIES : FloatVector.SPECIES_512;

    private LayerNorm() {}

    /**
     * Normalises {@code src[srcOff, srcOff + n)}: writes x̂ to {@code xhat[xhatOff..]}, y = γ x̂ + β to
     * {@code dst[dstOff..]} (which may be the source) and returns 1 / sqrt(σ² + ε).
     *
     * @param partials scratch of {@link #PARTIALS} floats
     */
    static float forward(float[] src, int srcOff, float[] dst, int dstOff, int n, float[] gamma, float[] beta, int gOff,
                         float[] xhat, int xhatOff, float[] partials) {
        sum(src, srcOff, n, partials);
        float mean = (float) (total(partials) / n);
        sumOfSquares(src, srcOff, n, mean, partials);
        float rstd = (float) (1.0 / Math.sqrt(total(partials) / n + EPS));
        normalize(src, srcOff, n, mean, rstd, xhat, xhatOff);
        affine(xhat, xhatOff, dst, dstOff, n, gamma, beta, gOff);
        return rstd;
    }

    /**
     * dx from dy = {@code dy[dyOff..]} (n values), given the x̂ and 1 / sqrt(σ² + ε) of the forward pass: written to
     * {@code dx[dxOff..]}, or added to it when {@code accumulate}. dy and dx may be the same row.
     */
    static void backward(float[] dy, int dyOff, int n, float[] gamma, int gOff, float[] xhat, int xhatOff, float rstd,
                         float[] dx, int dxOff, boolean accumulate, float[] partials) {
        sumOfProducts(dy, dyOff, gamma, gOff, n, partials);
        float meanG = (float) (total(partials) / n);
        sumOfProducts(dy, dyOff, gamma, gOff, xhat, xhatOff, n, partials);
        float meanGx = (float) (total(partials) / n);
        if (accumulate) addInputGradient(dy, dyOff, n, gamma, gOff, xhat, xhatOff, rstd, meanG, meanGx, dx, dxOff);
        else inputGradient(dy, dyOff, n, gamma, gOff, xhat, xhatOff, rstd, meanG, meanGx, dx, dxOff);
    }

    /** Adds the partials in order, in double. */
    private static double total(float[] partials) {
        double sum = 0;
        for (int k = 0; k < PARTIALS; k++) sum += partials[k];
        return sum;
    }

    /** partials[k] = x[k] + x[k + 16] + ... (in order, float). */
    private static void sum(float[] x, int off, int n, float[] partials) {
        for (int v = 0; v < PARTIALS; v += S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = v; j < n; j += PARTIALS) acc = acc.add(FloatVector.fromArray(S, x, off + j, S.indexInRange(j, n)));
            acc.intoArray(partials, v);
        }
    }

    /** partials[k] = Σ (x[j] - center)² over j = k, k + 16, ... */
    private static void sumOfSquares(float[] x, int off, int n, float center, float[] partials) {
        for (int v = 0; v < PARTIALS; v += S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = v; j < n; j += PARTIALS) {
                VectorMask<Float> m = S.indexInRange(j, n);
                FloatVector d = FloatVector.fromArray(S, x, off + j, m).sub(center, m); // lanes past n stay 0
                acc = d.mul(d).add(acc);
            }
            acc.intoArray(partials, v);
        }
    }

    /** partials[k] = Σ a[j] b[j] over j = k, k + 16, ... */
    private static void sumOfProducts(float[] a, int aOff, float[] b, int bOff, int n, float[] partials) {
        for (int v = 0; v < PARTIALS; v += S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = v; j < n; j += PARTIALS) {
                VectorMask<Float> m = S.indexInRange(j, n);
                acc = FloatVector.fromArray(S, a, aOff + j, m).mul(FloatVector.fromArray(S, b, bOff + j, m)).add(acc);
            }
            acc.intoArray(partials, v);
        }
    }

    /** partials[k] = Σ (a[j] b[j]) c[j] over j = k, k + 16, ... */
    private static void sumOfProducts(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n, float[] partials) {
        for (int v = 0; v < PARTIALS; v += S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = v; j < n; j += PARTIALS) {
                VectorMask<Float> m = S.indexInRange(j, n);
                FloatVector ab = FloatVector.fromArray(S, a, aOff + j, m).mul(FloatVector.fromArray(S, b, bOff + j, m));
                acc = ab.mul(FloatVector.fromArray(S, c, cOff + j, m)).add(acc);
            }
            acc.intoArray(partials, v);
        }
    }

    /** x̂ = (x - mean) * rstd. */
    private static void normalize(float[] x, int off, int n, float mean, float rstd, float[] xhat, int xhatOff) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, x, off + j, m).sub(mean).mul(rstd).intoArray(xhat, xhatOff + j, m);
        }
    }

    /** y = γ x̂ + β over n values (a multiply, then an add). */
    static void affine(float[] xhat, int xhatOff, float[] dst, int dstOff, int n, float[] gamma, float[] beta, int gOff) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, gamma, gOff + j, m).mul(FloatVector.fromArray(S, xhat, xhatOff + j, m))
                    .add(FloatVector.fromArray(S, beta, gOff + j, m)).intoArray(dst, dstOff + j, m);
        }
    }

    /** dx = rstd * (dy γ - meanG - x̂ meanGx). */
    private static void inputGradient(float[] dy, int dyOff, int n, float[] gamma, int gOff, float[] xhat, int xhatOff,
                                      float rstd, float meanG, float meanGx, float[] dx, int dxOff) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + j, m).mul(FloatVector.fromArray(S, gamma, gOff + j, m));
            FloatVector centered = g.sub(meanG).sub(FloatVector.fromArray(S, xhat, xhatOff + j, m).mul(meanGx));
            centered.mul(rstd).intoArray(dx, dxOff + j, m);
        }
    }

    /** dx += rstd * (dy γ - meanG - x̂ meanGx). */
    private static void addInputGradient(float[] dy, int dyOff, int n, float[] gamma, int gOff, float[] xhat, int xhatOff,
                                         float rstd, float meanG, float meanGx, float[] dx, int dxOff) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + j, m).mul(FloatVector.fromArray(S, gamma, gOff + j, m));
            FloatVector centered = g.sub(meanG).sub(FloatVector.fromArray(S, xhat, xhatOff + j, m).mul(meanGx));
            FloatVector.fromArray(S, dx, dxOff + j, m).add(centered.mul(rstd)).intoArray(dx, dxOff + j, m);
        }
    }

    /** dγ[gOff..] += dy ⊙ x̂ and dβ[gOff..] += dy over n values. */
    static void accumulateParameterGradients(float[] dy, int dyOff, float[] xhat, int xhatOff, int n, float[] dGamma,
                                             float[] dBeta, int gOff) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector d = FloatVector.fromArray(S, dy, dyOff + j, m);
            FloatVector.fromArray(S, dGamma, gOff + j, m).add(d.mul(FloatVector.fromArray(S, xhat, xhatOff + j, m)))
                    .intoArray(dGamma, gOff + j, m);
            FloatVector.fromArray(S, dBeta, gOff + j, m).add(d).intoArray(dBeta, gOff + j, m);
        }
    }
}
