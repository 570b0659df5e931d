package dev.rnn4j.layer;

import java.util.Arrays;

/**
 * Many-to-one: the output of each sequence at its last valid step, for a head that reads one vector per
 * sequence (Keras' {@code return_sequences=False}).
 *
 * <p>For each direction that is the step it processed last: the forward half comes from step
 * {@code length[b] - 1}, the reverse half from step 0, where the reverse direction has read the whole sequence.
 * The result therefore equals the top layer's final hidden states h_n, concatenated [forward, reverse].
 */
public final class LastValidStep implements SequencePooling {
    private final int hidden;
    private final int directions;
    private int steps;
    private int batch;
    private int[] lengths;
    private float[] selected = new float[0]; // [B, D*H]
    private float[] dOutput = new float[0];  // [T, B, D*H]

    public LastValidStep(RecurrentConfig config) {
        this.hidden = config.hiddenSize();
        this.directions = config.directions();
    }

    /**
     * @param output  a forward pass's output [T, B, D*H]
     * @param lengths [B] valid steps per sequence, or null when all have T
     * @return [B, D*H], owned by this object until the next call
     */
    @Override
    public float[] forward(RecurrentOutput output, int[] lengths) {
        steps = output.steps();
        batch = output.batch();
        this.lengths = lengths;
        int width = directions * hidden;
        if (selected.length != batch * width) selected = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            for (int dir = 0; dir < directions; dir++) {
                int from = (stepOf(dir, b) * batch + b) * width + dir * hidden;
                System.arraycopy(output.output(), from, selected, b * width + dir * hidden, hidden);
            }
        }
        return selected;
    }

    /**
     * @param dSelected [B, D*H] dL/d of what {@link #forward} returned
     * @return [T, B, D*H] dL/d output, zero except at the selected steps; owned by this object
     */
    @Override
    public float[] backward(float[] dSelected) {
        int width = directions * hidden;
        if (dSelected.length != batch * width) {
            throw new IllegalArgumentException("dSelected has " + dSelected.length + " values but [" + batch + ", " + width + "] needs " + batch * width);
        }
        if (dOutput.length != steps * batch * width) dOutput = new float[steps * batch * width];
        else Arrays.fill(dOutput, 0f);
        for (int b = 0; b < batch; b++) {
            for (int dir = 0; dir < directions; dir++) {
                int to = (stepOf(dir, b) * batch + b) * width + dir * hidden;
                System.arraycopy(dSelected, b * width + dir * hidden, dOutput, to, hidden);
            }
        }
        return dOutput;
    }

    private int stepOf(int direction, int b) {
        return direction == 1 ? 0 : (lengths == null ? steps : lengths[b]) - 1;
    }
}
