package dev.rnn4j.train;

import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.tensor.VectorMath;

import java.util.List;

/**
 * A NaN or infinity found in a training step: what held it, where in the run, and the value.
 *
 * @param kind    which value went bad
 * @param name    the parameter's name (for a gradient or a parameter), or null for the loss
 * @param element the element's index in that parameter, or -1 for the loss
 * @param value   the non-finite value
 * @param step    the step it appeared in, 1-based as {@link StepMetrics#step()}
 * @param epoch   that step's epoch, 0-based
 * @param batch   that step's batch: its index in the epoch (epochs over a dataset) or overall (an endless source)
 * @param chunk   the chunk of that batch (truncated BPTT), 0 without truncation
 */
public record NonFiniteValue(Kind kind, String name, int element, double value, long step, int epoch, long batch, int chunk) {

    /** Which value of a step went bad, in the order a step computes them. */
    public enum Kind {
        LOSS, GRADIENT, PARAMETER
    }

    /** "the gradient of lstm.weight_ih_l0 is NaN (element 3) at step 41 (epoch 2, batch 3)". */
    public String message() {
        String what = switch (kind) {
            case LOSS -> "the training loss";
            case GRADIENT -> "the gradient of " + name;
            case PARAMETER -> "parameter " + name;
        };
        String at = element >= 0 ? " (element " + element + ")" : "";
        return what + " is " + value + at + " at step " + step + " (epoch " + epoch + ", batch " + batch
                + (chunk > 0 ? ", chunk " + chunk : "") + ")";
    }

    /** A hint on what to do about it, for the end of a message. */
    public String advice() {
        return kind == Kind.LOSS
                ? "look for NaN in the data, or lower the learning rate"
                : "lower the learning rate or clip the gradient" + (kind == Kind.GRADIENT ? " (a NaN in the data shows here too)" : "");
    }

    /** The first non-finite element of the parameters' gradients ({@code grads}) or values, as {@code [index of the parameter, element]}; null if all are finite. */
    static int[] firstNonFinite(List<Parameter> parameters, boolean grads) {
        for (int p = 0; p < parameters.size(); p++) {
            float[] v = grads ? parameters.get(p).grad() : parameters.get(p).value();
            if (VectorMath.allFinite(v)) continue; // the scalar search runs only where something is wrong
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) return new int[] {p, i};
            }
        }
        return null;
    }
}
