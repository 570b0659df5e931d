package dev.rnn4j.layer;

import dev.rnn4j.cell.Cell;
import dev.rnn4j.cell.Recurrence;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stacked, optionally bidirectional recurrent network over any cell: PyTorch's {@code nn.LSTM},
 * {@code nn.GRU} and {@code nn.RNN}, with the same parameters, names, shapes and results.
 *
 * <p>Build one with {@link Lstm#builder()}, {@link Gru#builder()} or {@link SimpleRnn#builder()}.
 * Call order: {@link #forward} then, for training, {@link #backward} once with the gradients of the loss
 * with respect to that forward pass's outputs. Parameter gradients accumulate until {@link #zeroGrad()}.
 */
public final class Recurrent {
    private final RecurrentConfig config;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Recurrence[][] directions; // [L][D]

    // Buffers of the last forward and backward pass, grown on demand and reused.
    private int steps;
    private int batch;
    private boolean hasForward;
    private float[][] layerOutputs = new float[0][]; // [L][T, B, D*H]
    private float[] hN = new float[0];               // [L*D, B, H]
    private float[] cN = new float[0];               // [L*D, B, H] LSTM
    private float[][] layerInputGrads = new float[0][]; // [L][T, B, I_l]: dL/d input of layer l
    private float[] dH0 = new float[0];              // [L*D, B, H]
    private float[] dC0 = new float[0];              // [L*D, B, H] LSTM
    private float[] paddedInput = new float[0];      // [T, B, I] the input with padded steps zeroed

    /** A network with all parameters zero; builders initialise them. */
    public Recurrent(RecurrentConfig config) {
        this.config = config;
        for (RecurrentConfig.ParameterSpec spec : config.parameterSpecs()) {
            parameters.put(spec.name(), new Parameter(spec.name(), spec.shape()));
        }
        directions = new Recurrence[config.layers()][config.directions()];
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int dir = 0; dir < config.directions(); dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                Cell cell = Cell.of(config.cellType(), config.nonlinearity(), config.gruVariant());
                directions[layer][dir] = new Recurrence(cell, dir == 1, parameters.get("weight_ih" + s), parameters.get("weight_hh" + s),
                        parameters.get("bias_ih" + s), parameters.get("bias_hh" + s));
            }
        }
    }

    public RecurrentConfig config() {
        return config;
    }

    /** All parameters in PyTorch's state_dict order. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(parameters.values()));
    }

    /** The parameter of that PyTorch name; IllegalArgumentException if there is none. */
    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter named " + name + "; this network has " + parameters.keySet());
        return p;
    }

    /** The recurrence of one (layer, direction), for callers in this package that drive it step by step. */
    Recurrence direction(int layer, int direction) {
        return directions[layer][direction];
    }

    public void zeroGrad() {
        for (Parameter p : parameters.values()) p.zeroGrad();
    }

    /**
     * Runs the network over a batch.
     *
     * @return output [T, B, D*H], h_n [L*D, B, H] and (LSTM) c_n, as PyTorch returns them
     */
    public RecurrentOutput forward(SequenceBatch batch) {
        int t = batch.steps(), b = batch.batch();
        int layers = config.layers(), dirs = config.directions(), h = config.hiddenSize();
        int stateSize = layers * dirs * b * h;
        boolean hasCell = config.cellType().hasCellState();
        checkLength("input", batch.input(), (long) t * b * config.inputSize(), "[" + t + ", " + b + ", " + config.inputSize() + "]");
        if (batch.h0() != null) checkLength("h0", batch.h0(), stateSize, stateShape(b));
        if (batch.c0() != null) {
            if (!hasCell) throw new IllegalArgumentException("c0 is given but a " + config.cellType() + " has no cell state");
            checkLength("c0", batch.c0(), stateSize, stateShape(b));
        }
        allocateForward(t, b);

        float[] layerInput = firstLayerInput(batch);
        for (int layer = 0; layer < layers; layer++) {
            Matrix in = Matrix.of(layerInput, t * b, config.layerInputSize(layer));
            float[] out = layerOutputs[layer];
            for (int dir = 0; dir < dirs; dir++) {
                int stateOffset = (layer * dirs + dir) * b * h;
                Recurrence.DirectionInput directionInput = new Recurrence.DirectionInput(in, t, b, batch.lengths(),
                        stateView(batch.h0(), stateOffset, b), stateView(batch.c0(), stateOffset, b));
                directions[layer][dir].forward(directionInput, new Matrix(out, dir * h, t * b, h, dirs * h),
                        Matrix.of(hN, stateOffset, b, h), hasCell ? Matrix.of(cN, stateOffset, b, h) : null);
            }
            layerInput = out;
        }
        hasForward = true;
        return new RecurrentOutput(layerOutputs[layers - 1], hN, hasCell ? cN : null, t, b, config.outputSize());
    }

    private String stateShape(int b) {
        return "[" + config.layers() * config.directions() + ", " + b + ", " + config.hiddenSize() + "]";
    }

    private static void checkLength(String what, float[] array, long expected, String shape) {
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " has " + array.length + " values but " + shape + " needs " + expected);
        }
    }

    /** Rows [B, H] of one (layer, direction) in a [L*D, B, H] state, or null. */
    private Matrix stateView(float[] state, int offset, int b) {
        return state == null ? null : Matrix.of(state, offset, b, config.hiddenSize());
    }

    /** Sizes the returned buffers exactly to (T, B), so callers see the documented shapes; same shapes reuse them. */
    private void allocateForward(int t, int b) {
        int layers = config.layers(), stateSize = layers * config.directions() * b * config.hiddenSize();
        if (t != steps || b != batch || layerOutputs.length == 0) {
            layerOutputs = new float[layers][t * b * config.outputSize()];
            hN = new float[stateSize];
            cN = config.cellType().hasCellState() ? new float[stateSize] : new float[0];
            layerInputGrads = new float[0][];
        }
        steps = t;
        batch = b;
    }

    /**
     * The first layer's input, with padded steps zeroed when sequences have lengths: padding must not reach
     * dW_ih through 0 * NaN, whatever the caller put there.
     */
    private float[] firstLayerInput(SequenceBatch batch) {
        if (batch.lengths() == null) return batch.input();
        int in = config.inputSize(), t = batch.steps(), b = batch.batch();
        if (paddedInput.length != t * b * in) paddedInput = new float[t * b * in];
        System.arraycopy(batch.input(), 0, paddedInput, 0, t * b * in);
        for (int step = 0; step < t; step++) {
            for (int row = 0; row < b; row++) {
                if (step >= batch.lengths()[row]) {
                    int from = (step * b + row) * in;
                    java.util.Arrays.fill(paddedInput, from, from + in, 0f);
                }
            }
        }
        return paddedInput;
    }

    /**
     * Backpropagation through time for the last forward pass.
     *
     * @param dOutput [T, B, D*H] dL/d output, or null for zero
     * @param dHn     [L*D, B, H] dL/d h_n, or null for zero
     * @param dCn     [L*D, B, H] dL/d c_n (LSTM), or null for zero
     * @return dL/d input, dL/d h0 and dL/d c0; parameter gradients are added to each parameter's grad
     */
    public RecurrentGradients backward(float[] dOutput, float[] dHn, float[] dCn) {
        if (!hasForward) throw new IllegalStateException("backward needs a forward pass first");
        int t = steps, b = batch;
        int layers = config.layers(), dirs = config.directions(), h = config.hiddenSize();
        int stateSize = layers * dirs * b * h;
        boolean hasCell = config.cellType().hasCellState();
        if (dOutput != null) checkLength("dOutput", dOutput, (long) t * b * config.outputSize(), "[" + t + ", " + b + ", " + config.outputSize() + "]");
        if (dHn != null) checkLength("dHn", dHn, stateSize, stateShape(b));
        if (dCn != null) {
            if (!hasCell) throw new IllegalArgumentException("dCn is given but a " + config.cellType() + " has no cell state");
            checkLength("dCn", dCn, stateSize, stateShape(b));
        }
        allocateBackward();

        float[] dLayerOutput = dOutput;
        for (int layer = layers - 1; layer >= 0; layer--) {
            int in = config.layerInputSize(layer);
            float[] dIn = layerInputGrads[layer];
            java.util.Arrays.fill(dIn, 0, t * b * in, 0f); // both directions add into it
            for (int dir = 0; dir < dirs; dir++) {
                int stateOffset = (layer * dirs + dir) * b * h;
                Matrix dOut = dLayerOutput == null ? null : new Matrix(dLayerOutput, dir * h, t * b, h, dirs * h);
                directions[layer][dir].backward(dOut, stateView(dHn, stateOffset, b), stateView(dCn, stateOffset, b),
                        Matrix.of(dIn, t * b, in), Matrix.of(dH0, stateOffset, b, h), hasCell ? Matrix.of(dC0, stateOffset, b, h) : null);
            }
            dLayerOutput = dIn;
        }
        return new RecurrentGradients(layerInputGrads[0], dH0, hasCell ? dC0 : null);
    }

    private void allocateBackward() {
        if (layerInputGrads.length == 0) {
            int layers = config.layers(), stateSize = layers * config.directions() * batch * config.hiddenSize();
            layerInputGrads = new float[layers][];
            for (int layer = 0; layer < layers; layer++) {
                layerInputGrads[layer] = new float[steps * batch * config.layerInputSize(layer)];
            }
            dH0 = new float[stateSize];
            dC0 = config.cellType().hasCellState() ? new float[stateSize] : new float[0];
        }
    }
}
