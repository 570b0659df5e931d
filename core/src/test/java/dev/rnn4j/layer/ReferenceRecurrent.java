package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.tensor.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain, deliberately naive double-precision forward pass of {@link Recurrent}: PyTorch's equations written
 * as scalar loops, one sequence and one step at a time, so that each line can be checked against the
 * documentation by eye. It has no backward pass: tests differentiate it by finite differences.
 *
 * <p>Layouts (all flat, row-major): input [T, B, I]; output [T, B, D*H] with output[t, b] = [h_fwd, h_rev];
 * states [L*D, B, H] indexed {@code layer * D + direction}. Parameters use PyTorch's names and gate order
 * (LSTM i, f, g, o; GRU r, z, n). Lengths follow packed-sequence semantics: sequence b runs only its first
 * len_b steps, the forward direction from t = 0 up, the reverse direction from t = len_b - 1 down; outputs at
 * padded steps are zero and padded inputs are never read.
 *
 * <p>The parameter arrays are read live (not copied), so a test may perturb an entry in place between calls.
 */
final class ReferenceRecurrent {

    /**
     * Output [T, B, D*H], h_n and c_n [L*D, B, H] (c_n null unless LSTM), all double; and for the simple RNN the
     * smallest |pre-activation| over all valid steps (relu's kink is at 0) and the largest pre-activation of each
     * (layer, direction) [L*D] (all non-positive: a relu direction that is dead throughout); infinity and null for the
     * other cells.
     */
    record Result(double[] output, double[] hN, double[] cN, double minAbsPreactivation, double[] maxPreactivation) {}

    private final RecurrentConfig config;
    private final Map<String, double[]> parameters;

    /**
     * @param parameters every parameter of {@code config.parameterSpecs()} by PyTorch name (biases absent when
     *                   {@code config.bias()} is false), read live by each forward call
     */
    ReferenceRecurrent(RecurrentConfig config, Map<String, double[]> parameters) {
        this.config = config;
        this.parameters = parameters;
        for (RecurrentConfig.ParameterSpec spec : config.parameterSpecs()) {
            double[] v = parameters.get(spec.name());
            int size = 1;
            for (int d : spec.shape()) size *= d;
            if (v == null) throw new IllegalArgumentException("missing parameter " + spec.name());
            if (v.length != size) {
                throw new IllegalArgumentException(spec.name() + ": expected " + size + " values, got " + v.length);
            }
        }
        if (parameters.size() != config.parameterSpecs().size()) {
            throw new IllegalArgumentException("unexpected parameters: " + parameters.keySet());
        }
    }

    /** The network's float parameters widened to double (exactly), in a fresh mutable map. */
    static Map<String, double[]> parametersOf(Recurrent network) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            float[] f = p.value();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            map.put(p.name(), d);
        }
        return map;
    }

    /** A reference over a copy of the network's current parameters. */
    static ReferenceRecurrent of(Recurrent network) {
        return new ReferenceRecurrent(network.config(), parametersOf(network));
    }

    RecurrentConfig config() {
        return config;
    }

    Map<String, double[]> parameters() {
        return parameters;
    }

    /**
     * @param input   [T, B, I]
     * @param lengths [B] valid steps per sequence, or null for all T
     * @param h0      [L*D, B, H] or null for zeros
     * @param c0      [L*D, B, H] or null for zeros (ignored unless LSTM)
     */
    Result forward(double[] input, int steps, int batch, int[] lengths, double[] h0, double[] c0) {
        int inputSize = config.inputSize();
        int hidden = config.hiddenSize();
        int dirs = config.directions();
        int layers = config.layers();
        boolean lstm = config.cellType() == CellType.LSTM;
        if (input.length != steps * batch * inputSize) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + steps * batch * inputSize);
        }
        int stateSize = layers * dirs * batch * hidden;
        if (h0 != null && h0.length != stateSize) throw new IllegalArgumentException("h0 has " + h0.length + ", expected " + stateSize);
        if (c0 != null && c0.length != stateSize) throw new IllegalArgumentException("c0 has " + c0.length + ", expected " + stateSize);

        double[] hN = new double[stateSize];
        double[] cN = lstm ? new double[stateSize] : null;
        double[] minAbsPre = {Double.POSITIVE_INFINITY};
        double[] maxPre = new double[layers * dirs];
        java.util.Arrays.fill(maxPre, Double.NEGATIVE_INFINITY);

        double[] layerInput = input;
        int layerInputSize = inputSize;
        for (int layer = 0; layer < layers; layer++) {
            int outWidth = dirs * hidden;
            double[] layerOutput = new double[steps * batch * outWidth]; // zero at padded steps
            for (int dir = 0; dir < dirs; dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                double[] wIh = parameters.get("weight_ih" + s);
                double[] wHh = parameters.get("weight_hh" + s);
                double[] bIh = config.bias() ? parameters.get("bias_ih" + s) : new double[config.gateRows()];
                double[] bHh = config.bias() ? parameters.get("bias_hh" + s) : new double[config.gateRows()];
                int stateIndex = layer * dirs + dir;
                for (int b = 0; b < batch; b++) {
                    int len = lengths == null ? steps : lengths[b];
                    double[] h = new double[hidden];
                    double[] c = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        int at = (stateIndex * batch + b) * hidden + j;
                        if (h0 != null) h[j] = h0[at];
                        if (c0 != null && lstm) c[j] = c0[at];
                    }
                    for (int step = 0; step < len; step++) {
                        int t = dir == 0 ? step : len - 1 - step;
                        double[] x = new double[layerInputSize];
                        for (int k = 0; k < layerInputSize; k++) x[k] = layerInput[(t * batch + b) * layerInputSize + k];
                        double[][] next = step(x, h, c, wIh, wHh, bIh, bHh, layerInputSize, minAbsPre, maxPre, stateIndex);
                        h = next[0];
                        c = next[1];
                        for (int j = 0; j < hidden; j++) layerOutput[(t * batch + b) * outWidth + dir * hidden + j] = h[j];
                    }
                    for (int j = 0; j < hidden; j++) {
                        int at = (stateIndex * batch + b) * hidden + j;
                        hN[at] = h[j];
                        if (lstm) cN[at] = c[j];
                    }
                }
            }
            layerInput = layerOutput;
            layerInputSize = outWidth;
        }
        boolean rnn = config.cellType() == CellType.RNN;
        return new Result(layerInput, hN, cN, minAbsPre[0], rnn ? maxPre : null);
    }

    /** One cell step: returns {h', c'} (c' unused unless LSTM). */
    private double[][] step(double[] x, double[] h, double[] c, double[] wIh, double[] wHh, double[] bIh, double[] bHh,
                            int inSize, double[] minAbsPre, double[] maxPre, int stateIndex) {
        int hidden = config.hiddenSize();
        int rows = config.gateRows();
        // gi = W_ih x + b_ih, gh = W_hh h + b_hh, one row per gate unit
        double[] gi = new double[rows];
        double[] gh = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sumI = bIh[r];
            for (int k = 0; k < inSize; k++) sumI += wIh[r * inSize + k] * x[k];
            gi[r] = sumI;
            double sumH = bHh[r];
            for (int k = 0; k < hidden; k++) sumH += wHh[r * hidden + k] * h[k];
            gh[r] = sumH;
        }
        double[] hNext = new double[hidden];
        double[] cNext = new double[hidden];
        switch (config.cellType()) {
            case LSTM -> {
                for (int j = 0; j < hidden; j++) {
                    double i = sigmoid(gi[j] + gh[j]);
                    double f = sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double g = Math.tanh(gi[2 * hidden + j] + gh[2 * hidden + j]);
                    double o = sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]);
                    cNext[j] = f * c[j] + i * g;
                    hNext[j] = o * Math.tanh(cNext[j]);
                }
            }
            case GRU -> {
                double[] r = new double[hidden];
                double[] z = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    r[j] = sigmoid(gi[j] + gh[j]);
                    z[j] = sigmoid(gi[hidden + j] + gh[hidden + j]);
                }
                double[] nPre = new double[hidden];
                if (config.gruVariant() == GruVariant.RESET_AFTER) {
                    // n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
                    for (int j = 0; j < hidden; j++) nPre[j] = gi[2 * hidden + j] + r[j] * gh[2 * hidden + j];
                } else {
                    // n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)
                    double[] rh = new double[hidden];
                    for (int k = 0; k < hidden; k++) rh[k] = r[k] * h[k];
                    for (int j = 0; j < hidden; j++) {
                        double sum = bHh[2 * hidden + j];
                        for (int k = 0; k < hidden; k++) sum += wHh[(2 * hidden + j) * hidden + k] * rh[k];
                        nPre[j] = gi[2 * hidden + j] + sum;
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    double n = Math.tanh(nPre[j]);
                    hNext[j] = (1 - z[j]) * n + z[j] * h[j];
                }
            }
            case RNN -> {
                for (int j = 0; j < hidden; j++) {
                    double pre = gi[j] + gh[j];
                    minAbsPre[0] = Math.min(minAbsPre[0], Math.abs(pre));
                    maxPre[stateIndex] = Math.max(maxPre[stateIndex], pre);
                    hNext[j] = config.nonlinearity() == Nonlinearity.RELU ? Math.max(pre, 0.0) : Math.tanh(pre);
                }
            }
        }
        return new double[][] {hNext, cNext};
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
