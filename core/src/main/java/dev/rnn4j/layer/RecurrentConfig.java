package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a (possibly stacked, possibly bidirectional) recurrent network, as PyTorch's
 * {@code nn.LSTM / nn.GRU / nn.RNN} constructor arguments.
 *
 * @param cellType     LSTM, GRU or RNN
 * @param inputSize    I, features of each input step
 * @param hiddenSize   H, units of each direction of each layer
 * @param layers       L, stacked layers; layer k &gt; 0 reads the D*H outputs of layer k-1
 * @param bidirectional D = 2 when true: a reverse direction per layer, outputs concatenated [forward, reverse]
 * @param bias         whether b_ih and b_hh exist
 * @param nonlinearity TANH or RELU, used only by the simple RNN
 * @param gruVariant   where the GRU applies its reset gate, used only by the GRU
 * @param regularization dropout, zoneout, layer and batch normalisation ({@link Regularization#NONE} when null).
 *                     The normalisations add parameters (and batch normalisation buffers) and zoneout changes the
 *                     inference function, so they are part of the model; the dropouts act only in training and are
 *                     carried along as hyperparameters. Layer normalisation and zoneout need an LSTM or a GRU,
 *                     zoneoutCell and batch normalisation an LSTM.
 */
public record RecurrentConfig(CellType cellType, int inputSize, int hiddenSize, int layers, boolean bidirectional,
                              boolean bias, Nonlinearity nonlinearity, GruVariant gruVariant, Regularization regularization) {

    public RecurrentConfig {
        if (cellType == null) throw new IllegalArgumentException("cell type is required");
        if (inputSize < 1) throw new IllegalArgumentException("input size must be at least 1, got " + inputSize);
        if (hiddenSize < 1) throw new IllegalArgumentException("hidden size must be at least 1, got " + hiddenSize);
        if (layers < 1) throw new IllegalArgumentException("layers must be at least 1, got " + layers);
        if (nonlinearity == null) nonlinearity = Nonlinearity.TANH;
        if (gruVariant == null) gruVariant = GruVariant.RESET_AFTER;
        if (regularization == null) regularization = Regularization.NONE;
        if (cellType == CellType.RNN && regularization.layerNorm()) {
            throw new IllegalArgumentException("layer normalisation is implemented for the LSTM and the GRU, not the simple RNN");
        }
        if (cellType != CellType.LSTM && regularization.batchNorm()) {
            throw new IllegalArgumentException("batch normalisation is implemented for the LSTM, not the " + (cellType == CellType.GRU
                    ? "GRU" : "simple RNN") + " (layer normalisation works for the GRU)");
        }
        if (cellType == CellType.RNN && regularization.hasZoneout()) {
            throw new IllegalArgumentException("zoneout is implemented for the LSTM and the GRU, not the simple RNN");
        }
        if (cellType == CellType.GRU && regularization.zoneoutCell() > 0) {
            throw new IllegalArgumentException("zoneoutCell needs an LSTM: the GRU has no cell state (use zoneoutHidden)");
        }
    }

    /** Without regularisation: the configuration of PyTorch's constructor arguments. */
    public RecurrentConfig(CellType cellType, int inputSize, int hiddenSize, int layers, boolean bidirectional,
                           boolean bias, Nonlinearity nonlinearity, GruVariant gruVariant) {
        this(cellType, inputSize, hiddenSize, layers, bidirectional, bias, nonlinearity, gruVariant, Regularization.NONE);
    }

    /** This configuration with other regularisation settings. */
    public RecurrentConfig withRegularization(Regularization newRegularization) {
        return new RecurrentConfig(cellType, inputSize, hiddenSize, layers, bidirectional, bias, nonlinearity, gruVariant,
                newRegularization);
    }

    /** Whether the cells are layer-normalised (and have the {@code ln_*} parameters). */
    public boolean layerNorm() {
        return regularization.layerNorm();
    }

    /** Whether the LSTM is batch-normalised (and has the {@code bn_*} parameters and buffers). */
    public boolean batchNorm() {
        return regularization.batchNorm();
    }

    /** D: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** D * H: the width of each output step. */
    public int outputSize() {
        return directions() * hiddenSize;
    }

    /** G * H: rows of W_ih and W_hh. */
    public int gateRows() {
        return cellType.gateCount() * hiddenSize;
    }

    /** Input width of layer k: I for the first, D * H above it. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : outputSize();
    }

    /** PyTorch's suffix for a (layer, direction): {@code _l0}, {@code _l1_reverse}. */
    public static String suffix(int layer, int direction) {
        return "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    /**
     * The parameters in PyTorch's state_dict order, with their shapes. With layer normalisation each (layer,
     * direction) adds, after its biases: {@code ln_ih_weight}, {@code ln_ih_bias}, {@code ln_hh_weight},
     * {@code ln_hh_bias} [G*H] and, for the LSTM, {@code ln_c_weight}, {@code ln_c_bias} [H] (gains and biases of
     * the normalisations of W_ih x, W_hh h and c), with the same suffix ({@code ln_ih_weight_l0_reverse}). With batch
     * normalisation: {@code bn_ih_weight}, {@code bn_hh_weight} [4H] (the gains of W_ih x and W_hh h, whose shifts are
     * the biases), {@code bn_c_weight}, {@code bn_c_bias} [H] (the cell's gain and shift); its statistics are in
     * {@link #bufferSpecs()}.
     */
    public List<ParameterSpec> parameterSpecs() {
        List<ParameterSpec> specs = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            for (int dir = 0; dir < directions(); dir++) {
                String s = suffix(layer, dir);
                specs.add(new ParameterSpec("weight_ih" + s, gateRows(), layerInputSize(layer)));
                specs.add(new ParameterSpec("weight_hh" + s, gateRows(), hiddenSize));
                if (bias) {
                    specs.add(new ParameterSpec("bias_ih" + s, gateRows()));
                    specs.add(new ParameterSpec("bias_hh" + s, gateRows()));
                }
                if (layerNorm()) {
                    specs.add(new ParameterSpec("ln_ih_weight" + s, gateRows()));
                    specs.add(new ParameterSpec("ln_ih_bias" + s, gateRows()));
                    specs.add(new ParameterSpec("ln_hh_weight" + s, gateRows()));
                    specs.add(new ParameterSpec("ln_hh_bias" + s, gateRows()));
                    if (cellType == CellType.LSTM) {
                        specs.add(new ParameterSpec("ln_c_weight" + s, hiddenSize));
                        specs.add(new ParameterSpec("ln_c_bias" + s, hiddenSize));
                    }
                }
                if (batchNorm()) {
                    specs.add(new ParameterSpec("bn_ih_weight" + s, gateRows()));
                    specs.add(new ParameterSpec("bn_hh_weight" + s, gateRows()));
                    specs.add(new ParameterSpec("bn_c_weight" + s, hiddenSize));
                    specs.add(new ParameterSpec("bn_c_bias" + s, hiddenSize));
                }
            }
        }
        return specs;
    }

    /**
     * The buffers (state that is saved with the model but not trained; PyTorch's {@code register_buffer}), in order:
     * none without batch normalisation; with it, per (layer, direction), the population statistics of the
     * normalisations of W_ih x, W_hh h and c, one row per time step up to T_max = {@link Regularization#batchNormSteps}:
     * {@code bn_ih_running_mean}, {@code bn_ih_running_var}, {@code bn_hh_running_mean}, {@code bn_hh_running_var}
     * [T_max, 4H], {@code bn_c_running_mean}, {@code bn_c_running_var} [T_max, H], with the parameters' suffix.
     */
    public List<ParameterSpec> bufferSpecs() {
        List<ParameterSpec> specs = new ArrayList<>();
        if (!batchNorm()) return specs;
        int steps = regularization.batchNormSteps();
        for (int layer = 0; layer < layers; layer++) {
            for (int dir = 0; dir < directions(); dir++) {
                String s = suffix(layer, dir);
                for (String site : new String[] {"ih", "hh", "c"}) {
                    int width = site.equals("c") ? hiddenSize : gateRows();
                    specs.add(new ParameterSpec("bn_" + site + "_running_mean" + s, steps, width));
                    specs.add(new ParameterSpec("bn_" + site + "_running_var" + s, steps, width));
                }
            }
        }
        return specs;
    }

    /** A parameter's (or buffer's) PyTorch name and shape. */
    public record ParameterSpec(String name, int... shape) {}
}
