package dev.rnn4j.layer;

import dev.rnn4j.tensor.Parameter;

import java.util.List;

/**
 * Many-to-one: one vector per sequence from a recurrent network's output, for a head that reads one row per
 * sequence. Only each sequence's valid steps count ({@code 0 .. length - 1}); padding is never read.
 *
 * <p>Call order: {@link #forward}, then for training {@link #backward} once with dL/d of what it returned; a
 * pooling with parameters adds their gradients (until the caller zeroes them). Results live in workspaces owned by
 * the pooling, overwritten by the next call.
 */
public interface SequencePooling {
    /**
     * @param output  a forward pass's output [T, B, W]
     * @param lengths [B] valid steps per sequence, or null when all have T
     * @return [B, W]
     */
    float[] forward(RecurrentOutput output, int[] lengths);

    /**
     * @param dPooled [B, W] dL/d of what {@link #forward} returned
     * @return [T, B, W] dL/d output, zero past each length
     */
    float[] backward(float[] dPooled);

    /** Learned parameters (attention's scoring vector), empty for fixed poolings. */
    default List<Parameter> parameters() {
        return List.of();
    }
}
