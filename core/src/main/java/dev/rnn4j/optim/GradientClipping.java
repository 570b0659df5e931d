package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import jdk.incubator.vector.VectorMask;

import java.util.List;

import static dev.rnn4j.optim.Lanes.SPECIES;

/**
 * The remedy for exploding gradients: backpropagation through many time steps multiplies by the recurrent weights
 * again and again, so a gradient can grow by orders of magnitude in one batch and a single step can wreck the
 * weights. Clipping bounds the step. Apply it between the backward pass and {@link Optimizer#step}:
 * <pre>{@code
 * network.backward(dOutput, null, null);
 * GradientClipping.clipByGlobalNorm(network.parameters(), 1.0);
 * optimizer.step(network.parameters());
 * }</pre>
 * {@link #clipByGlobalNorm} (PyTorch's {@code clip_grad_norm_}) rescales all gradients together and so keeps
 * their direction; it is the usual choice for recurrent networks. {@link #clipByValue} ({@code clip_grad_value_})
 * clamps each element.
 */
public final class GradientClipping {
    /** Added to the norm before dividing, as PyTorch. */
    private static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} if that is below 1, where {@code norm} is the L2 norm of
     * all the gradients' elements together ({@link #globalNorm}), as {@code torch.nn.utils.clip_grad_norm_}.
     *
     * @return the total norm before clipping (log it: a norm that keeps growing is the symptom)
     * @throws IllegalStateException    if a gradient is not finite (NaN or infinite); the gradients are left
     *                                  unchanged and the message names the first such parameter and element
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("maxNorm is " + maxNorm + "; expected >= 0");
        double norm = globalNorm(parameters);
        if (!Double.isFinite(norm)) throw notFinite(parameters, norm);
        scaleToNorm(parameters, norm, maxNorm);
        return norm;
    }

    /**
     * The scaling half of {@link #clipByGlobalNorm}, for a caller that has measured the finite norm with
     * {@link #globalNorm} already (and so need not read every gradient twice).
     */
    public static void scaleToNorm(List<Parameter> parameters, double norm, double maxNorm) {
        double scale = maxNorm / (norm + NORM_EPSILON);
        if (scale < 1.0) {
            float s = (float) scale;
            for (Parameter p : parameters) {
                float[] g = p.grad();
                Lanes.forChunks(g.length, (from, to) -> {
                    for (int i = from; i < to; i += Lanes.LENGTH) {
                        VectorMask<Float> m = SPECIES.indexInRange(i, to);
                        FloatVector.fromArray(SPECIES, g, i, m).mul(s).intoArray(g, i, m);
                    }
                });
            }
        }
    }

    /**
     * sqrt(Σ g²) over every element of every parameter's gradient, in double (so gradients up to float's largest
     * value do not overflow it): widened to double vector lanes over blocks of 64 K elements (each block on any thread,
     * each lane in element order), then the lanes, the blocks and the parameters added in order, so the bits depend only on
     * the values. A scalar loop over a language model's 4 million gradients took longer than its optimizer step.
     */
    public static double globalNorm(List<Parameter> parameters) {
        double sumOfSquares = 0.0;
        for (Parameter p : parameters) sumOfSquares += sumOfSquares(p.grad());
        return Math.sqrt(sumOfSquares);
    }

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    /** Elements per block of the norm: blocks are summed on any thread, then added in block order. */
    private static final int NORM_BLOCK = 1 << 16;

    private static double sumOfSquares(float[] g) {
        int blocks = (g.length + NORM_BLOCK - 1) / NORM_BLOCK;
        if (blocks <= 1) return sumOfSquares(g, 0, g.length);
        double[] sums = new double[blocks];
        Parallel.forRange(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) sums[b] = sumOfSquares(g, b * NORM_BLOCK, Math.min(g.length, (b + 1) * NORM_BLOCK));
        });
        double sum = 0;
        for (double s : sums) sum += s;
        return sum;
    }

    private static double sumOfSquares(float[] g, int from, int to) {
        DoubleVector lanes = DoubleVector.zero(DOUBLES);
        int i = from, full = from + FLOATS.loopBound(to - from);
        for (; i < full; i += FLOATS.length()) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FLOATS, g, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
            lanes = x.fma(x, lanes);
        }
        double sum = 0;
        for (int lane = 0; lane < DOUBLES.length(); lane++) sum += lanes.lane(lane);
        for (; i < to; i++) sum += (double) g[i] * g[i];
        return sum;
    }

    private static IllegalStateException notFinite(List<Parameter> parameters, double norm) {
        for (Parameter p : parameters) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) {
                if (!Float.isFinite(g[i])) {
                    return new IllegalStateException("the gradient is not finite (total norm " + norm + "): parameter "
                            + p.name() + " has " + g[i] + " at element " + i
                            + "; look for NaN in the inputs or the loss, or lower the learning rate");
                }
            }
        }
        return new IllegalStateException("the gradient is not finite (total norm " + norm + ")");
    }

    /**
     * Clamps every gradient element to {@code [-clip, clip]}, as {@code torch.nn.utils.clip_grad_value_}. NaN stays
     * NaN.
     *
     * @throws IllegalArgumentException if {@code clip} is negative or NaN
     */
    public static void clipByValue(List<Parameter> parameters, double clip) {
        if (!(clip >= 0)) throw new IllegalArgumentException("clip is " + clip + "; expected >= 0");
        float hi = (float) clip;
        float lo = -hi;
        for (Parameter p : parameters) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i += Lanes.LENGTH) {
                VectorMask<Float> m = SPECIES.indexInRange(i, g.length);
                FloatVector.fromArray(SPECIES, g, i, m).max(lo).min(hi).intoArray(g, i, m);
            }
        }
    }
}
