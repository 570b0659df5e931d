package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.List;

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
     * all the gradients' elements together (computed in double), as {@code torch.nn.utils.clip_grad_norm_}.
     *
     * @return the total norm before clipping (log it: a norm that keeps growing is the symptom)
     * @throws IllegalStateException    if a gradient is not finite (NaN or infinite); the gradients are left
     *                                  unchanged and the message names the first such parameter and element
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("maxNorm is " + maxNorm + "; expected >= 0");
        double sumOfSquares = 0.0;
        for (Parameter p : parameters) {
            for (float g : p.grad()) sumOfSquares += (double) g * g;
        }
        double norm = Math.sqrt(sumOfSquares);
        if (!Double.isFinite(norm)) throw notFinite(parameters, norm);
        double scale = maxNorm / (norm + NORM_EPSILON);
        if (scale < 1.0) {
            float s = (float) scale;
            for (Parameter p : parameters) {
                float[] g = p.grad();
                for (int i = 0; i < g.length; i += Lanes.LENGTH) {
                    VectorMask<Float> m = Lanes.tail(i, g.length);
                    Lanes.store(Lanes.load(g, i, m).mul(s), g, i, m);
                }
            }
        }
        return norm;
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
                VectorMask<Float> m = Lanes.tail(i, g.length);
                Lanes.store(Lanes.load(g, i, m).max(lo).min(hi), g, i, m);
            }
        }
    }
}
