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
 *
 * <p>Regularisation ({@code config.regularization()}), written from the papers' equations:
 * <ul>
 *   <li>Layer normalisation (Ba et al. 2016): LN(v) = (v - mean(v)) / sqrt(var(v) + 1e-5) ⊙ γ + β, var biased.
 *       LSTM: gates = LN_ih(W_ih x) + b_ih + LN_hh(W_hh h) + b_hh over 4H each; h' = o ⊙ tanh(LN_c(c')) over H.
 *       GRU reset-after: the same over 3H, so n = tanh(LN_ih(W_ih x)_n + b_in + r ⊙ (LN_hh(W_hh h)_n + b_hn)).
 *       GRU reset-before: LN_hh over [W_hr h, W_hz h] (2H) and separately over W_hn (r ⊙ h) (H), with the matching
 *       parts of γ_hh, β_hh.</li>
 *   <li>In training ({@link Masks} given) the masks are applied exactly where documented: the input and layer
 *       masks multiply the layer inputs (already scaled by 1 / (1 - p)); the recurrent mask multiplies h wherever
 *       it meets W_hh; zoneout keeps h (c) where its mask is 1: h' = m h + (1 - m) h̃.</li>
 *   <li>At inference (no masks) dropout is absent and zoneout is its expectation h' = p h + (1 - p) h̃, with p
 *       the float the kernels use.</li>
 * </ul>
 */
final class ReferenceRecurrent {

    /**
     * Output [T, B, D*H], h_n and c_n [L*D, B, H] (c_n null unless LSTM), all double; and for the simple RNN the
     * smallest |pre-activation| over all valid steps (relu's kink is at 0) and the largest pre-activation of each
     * (layer, direction) [L*D] (all non-positive: a relu direction that is dead throughout); infinity and null for the
     * other cells.
     */
    record Result(double[] output, double[] hN, double[] cN, double minAbsPreactivation, double[] maxPreactivation) {}

    /**
     * Masks of one training pass; any may be null (that option off). Dropout masks hold 0 or 1 / (1 - p), zoneout
     * masks 0 or 1 (1 = keep the previous value).
     *
     * @param input      [T, B, I] on the network's input
     * @param layer      [L][T, B, D*H] on the input of layer l (entry 0 unused, may be null)
     * @param recurrent  [L*D][B, H] on h wherever it enters W_hh
     * @param zoneHidden [L*D][T, B, H]
     * @param zoneCell   [L*D][T, B, H] (LSTM)
     */
    record Masks(double[] input, double[][] layer, double[][] recurrent, double[][] zoneHidden, double[][] zoneCell) {}

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
        return forward(input, steps, batch, lengths, h0, c0, null);
    }

    /**
     * As {@link #forward(double[], int, int, int[], double[], double[])}, in training mode with these masks, or in
     * inference mode when {@code masks} is null.
     */
    Result forward(double[] input, int steps, int batch, int[] lengths, double[] h0, double[] c0, Masks masks) {
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

        Regularization reg = config.regularization();
        double[] layerInput = input;
        if (masks != null && masks.input() != null) layerInput = times(input, masks.input());
        int layerInputSize = inputSize;
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0 && masks != null && masks.layer() != null && masks.layer()[layer] != null) {
                layerInput = times(layerInput, masks.layer()[layer]);
            }
            int outWidth = dirs * hidden;
            double[] layerOutput = new double[steps * batch * outWidth]; // zero at padded steps
            for (int dir = 0; dir < dirs; dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                double[] wIh = parameters.get("weight_ih" + s);
                double[] wHh = parameters.get("weight_hh" + s);
                double[] bIh = config.bias() ? parameters.get("bias_ih" + s) : new double[config.gateRows()];
                double[] bHh = config.bias() ? parameters.get("bias_hh" + s) : new double[config.gateRows()];
                int stateIndex = layer * dirs + dir;
                Norms norms = reg.layerNorm() ? new Norms(parameters.get("ln_ih_weight" + s), parameters.get("ln_ih_bias" + s),
                        parameters.get("ln_hh_weight" + s), parameters.get("ln_hh_bias" + s),
                        parameters.get("ln_c_weight" + s), parameters.get("ln_c_bias" + s)) : null;
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
                        double[] hIn = h;
                        if (masks != null && masks.recurrent() != null) {
                            hIn = new double[hidden];
                            for (int j = 0; j < hidden; j++) hIn[j] = h[j] * masks.recurrent()[stateIndex][b * hidden + j];
                        }
                        double[][] next = step(x, h, hIn, c, wIh, wHh, bIh, bHh, norms, layerInputSize, minAbsPre, maxPre, stateIndex);
                        int maskRow = (t * batch + b) * hidden;
                        double[] zh = zoneout(reg.zoneoutHidden(), masks == null ? null : masks.zoneHidden(), stateIndex, maskRow, hidden);
                        double[] zc = zoneout(reg.zoneoutCell(), masks == null ? null : masks.zoneCell(), stateIndex, maskRow, hidden);
                        for (int j = 0; j < hidden; j++) {
                            next[0][j] = zh[j] * h[j] + (1 - zh[j]) * next[0][j];
                            next[1][j] = zc[j] * c[j] + (1 - zc[j]) * next[1][j];
                        }
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

    /** Gains and biases of layer normalisation of one (layer, direction); the cell's are null for the GRU. */
    private record Norms(double[] ihGain, double[] ihBias, double[] hhGain, double[] hhBias, double[] cGain, double[] cBias) {}

    /** The zoneout weights of one (t, b) row: the mask's in training, p at inference, zeros without zoneout. */
    private static double[] zoneout(double p, double[][] masks, int stateIndex, int maskRow, int hidden) {
        double[] w = new double[hidden];
        if (p == 0) return w;
        for (int j = 0; j < hidden; j++) w[j] = masks == null ? (float) p : masks[stateIndex][maskRow + j];
        return w;
    }

    private static double[] times(double[] a, double[] mask) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * mask[i];
        return r;
    }

    /** v[from, from + n) = LN(v[from, from + n)) with gain and bias entries [from, from + n). */
    private static void layerNorm(double[] v, int from, int n, double[] gain, double[] bias) {
        double mean = 0;
        for (int j = 0; j < n; j++) mean += v[from + j];
        mean /= n;
        double var = 0;
        for (int j = 0; j < n; j++) var += (v[from + j] - mean) * (v[from + j] - mean);
        var /= n;
        double inv = 1 / Math.sqrt(var + 1e-5);
        for (int j = 0; j < n; j++) v[from + j] = (v[from + j] - mean) * inv * gain[from + j] + bias[from + j];
    }

    /**
     * One cell step before zoneout: returns {h̃, c̃} (c̃ unused unless LSTM). {@code hIn} is what W_hh multiplies
     * (h, or h times the recurrent dropout mask); {@code h} is the state itself.
     */
    private double[][] step(double[] x, double[] h, double[] hIn, double[] c, double[] wIh, double[] wHh, double[] bIh, double[] bHh,
                            Norms norms, int inSize, double[] minAbsPre, double[] maxPre, int stateIndex) {
        int hidden = config.hiddenSize();
        int rows = config.gateRows();
        boolean resetBefore = config.cellType() == CellType.GRU && config.gruVariant() == GruVariant.RESET_BEFORE;
        // gi = W_ih x + b_ih, gh = W_hh h + b_hh, one row per gate unit (with LN: gi = LN(W_ih x) + b_ih, ...)
        double[] gi = new double[rows];
        double[] gh = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sumI = norms == null ? bIh[r] : 0;
            for (int k = 0; k < inSize; k++) sumI += wIh[r * inSize + k] * x[k];
            gi[r] = sumI;
            double sumH = norms == null ? bHh[r] : 0;
            for (int k = 0; k < hidden; k++) sumH += wHh[r * hidden + k] * hIn[k];
            gh[r] = sumH;
        }
        if (norms != null) {
            layerNorm(gi, 0, rows, norms.ihGain(), norms.ihBias());
            // the reset-before GRU's [2H, 3H) is W_hn (r ⊙ h), normalised on its own below
            layerNorm(gh, 0, resetBefore ? 2 * hidden : rows, norms.hhGain(), norms.hhBias());
            for (int r = 0; r < rows; r++) {
                gi[r] += bIh[r];
                gh[r] += bHh[r];
            }
        }
        double[] hNext = new double[hidden];
        double[] cNext = new double[hidden];
        switch (config.cellType()) {
            case LSTM -> {
                double[] o = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double i = sigmoid(gi[j] + gh[j]);
                    double f = sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double g = Math.tanh(gi[2 * hidden + j] + gh[2 * hidden + j]);
                    o[j] = sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]);
                    cNext[j] = f * c[j] + i * g;
                }
                double[] cOut = cNext.clone();
                if (norms != null) layerNorm(cOut, 0, hidden, norms.cGain(), norms.cBias());
                for (int j = 0; j < hidden; j++) hNext[j] = o[j] * Math.tanh(cOut[j]);
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
                    for (int k = 0; k < hidden; k++) rh[k] = r[k] * hIn[k];
                    double[] a = new double[rows]; // W_hn (r ⊙ h) in [2H, 3H), so that LN reads γ_hh there
                    for (int j = 0; j < hidden; j++) {
                        for (int k = 0; k < hidden; k++) a[2 * hidden + j] += wHh[(2 * hidden + j) * hidden + k] * rh[k];
                    }
                    if (norms != null) layerNorm(a, 2 * hidden, hidden, norms.hhGain(), norms.hhBias());
                    for (int j = 0; j < hidden; j++) nPre[j] = gi[2 * hidden + j] + a[2 * hidden + j] + bHh[2 * hidden + j];
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
