package dev.rnn4j.layer;

import dev.rnn4j.cell.Recurrence;
import dev.rnn4j.tensor.Matrix;

import java.util.Arrays;

/**
 * Streaming inference: feeds a unidirectional network one step at a time and carries its state between
 * calls, for a service that sees a sequence as it arrives. All buffers are allocated here, once; a step
 * allocates nothing. Results equal one {@link Recurrent#forward} over the whole sequence.
 *
 * <p>A bidirectional network cannot stream: its reverse direction needs the end of the sequence first.
 *
 * <p>The stream packs the network's recurrent weights when it is created: after changing them, call
 * {@link #refreshWeights()}.
 *
 * <p>A stream always runs in inference mode, whatever {@link Recurrent#setTraining} says: no dropout, and zoneout
 * by its expectation. Layer normalisation and zoneout are part of the model and apply as in {@link Recurrent#forward}.
 * So does batch normalisation, with the population statistics of the stream's position: the k-th step since the stream
 * was created or {@link #reset()} is step k - 1 of the sequence (steps from T_max on share the statistics of T_max - 1),
 * so a stream gives the results of one inference-mode {@link Recurrent#forward} over the whole sequence.
 */
public final class RecurrentStream {
    private final Recurrent network;
    private final int batch;
    private final int layers;
    private final int hidden;
    private final int inputSize;
    private final boolean hasCell;
    private final float[] input;     // [B, I] this step's input
    private final float[][] outputs; // [L][B, H] each layer's h_t, the next layer's input
    private final float[] h;         // [L, B, H] the carried hidden state
    private final float[] c;         // [L, B, H] the carried cell state (LSTM)
    private final Recurrence.DirectionInput[] stepInputs; // [L]
    private final Matrix[] outputViews; // [L] outputs[l] as [B, H]
    private final Matrix[] hViews;      // [L] rows of h as [B, H]
    private final Matrix[] cViews;      // [L] rows of c as [B, H], or nulls
    private int position;               // steps taken since creation or reset (batch normalisation's step index)

    /** A stream of {@code batch} sequences side by side, starting from zero state. */
    public RecurrentStream(Recurrent network, int batch) {
        RecurrentConfig config = network.config();
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a bidirectional network cannot stream: its reverse direction needs the whole sequence");
        }
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        this.network = network;
        this.batch = batch;
        this.layers = config.layers();
        this.hidden = config.hiddenSize();
        this.inputSize = config.inputSize();
        this.hasCell = config.cellType().hasCellState();
        this.input = new float[batch * inputSize];
        this.outputs = new float[layers][batch * hidden];
        this.h = new float[layers * batch * hidden];
        this.c = new float[hasCell ? layers * batch * hidden : 0];
        this.stepInputs = new Recurrence.DirectionInput[layers];
        this.outputViews = new Matrix[layers];
        this.hViews = new Matrix[layers];
        this.cViews = new Matrix[layers];
        for (int layer = 0; layer < layers; layer++) {
            hViews[layer] = Matrix.of(h, layer * batch * hidden, batch, hidden);
            cViews[layer] = hasCell ? Matrix.of(c, layer * batch * hidden, batch, hidden) : null;
            outputViews[layer] = Matrix.of(outputs[layer], batch, hidden);
            Matrix layerInput = layer == 0 ? Matrix.of(input, batch, inputSize) : outputViews[layer - 1];
            stepInputs[layer] = new Recurrence.DirectionInput(layerInput, 1, batch, null, hViews[layer], cViews[layer]);
        }
        refreshWeights();
    }

    /**
     * Takes up the network's current weights. A stream packs the recurrent weights once, when it is created,
     * rather than in every step; after changing them (training, loading) call this before the next step.
     */
    public void refreshWeights() {
        for (int layer = 0; layer < layers; layer++) network.direction(layer, 0).packWeights();
    }

    /**
     * Advances every sequence by one step.
     *
     * @param x [B, I] this step's input
     * @return [B, H] the top layer's hidden state, owned by this stream and overwritten by the next step
     */
    public float[] step(float[] x) {
        if (x.length != batch * inputSize) {
            throw new IllegalArgumentException("step input has " + x.length + " values but [" + batch + ", " + inputSize + "] needs " + batch * inputSize);
        }
        System.arraycopy(x, 0, input, 0, input.length);
        for (int layer = 0; layer < layers; layer++) {
            Recurrence direction = network.direction(layer, 0);
            direction.setTraining(false, 0L, null);
            direction.setFirstStep(position);
            // h0 and h_n share the carried buffer: the recurrence copies h0 in before it writes h_n
            direction.forwardWithPackedWeights(stepInputs[layer], outputViews[layer], hViews[layer], cViews[layer]);
        }
        if (position < Integer.MAX_VALUE) position++;
        return outputs[layers - 1];
    }

    /** Back to zero state and position 0, for new sequences. */
    public void reset() {
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
        position = 0;
    }

    /** Steps taken since the stream was created or reset. */
    public int position() {
        return position;
    }

    /** The carried hidden state [L, B, H], live. */
    public float[] hiddenState() {
        return h;
    }

    /** The carried cell state [L, B, H] (LSTM), live; empty for other cells. */
    public float[] cellState() {
        return c;
    }
}
