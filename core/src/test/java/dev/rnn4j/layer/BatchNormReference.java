package dev.rnn4j.layer;

import dev.rnn4j.tensor.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain double-precision forward pass of the batch-normalised LSTM, written from the equations in {@link Recurrent}'s
 * class comment (Cooijmans et al. 2016) as scalar loops. Batch normalisation couples the rows of a step, so unlike
 * {@link ReferenceRecurrent} it runs step by step over the whole batch: at step t (in each direction's order) the rows
 * with t &lt; length are the valid ones, and
 * <pre>
 *   gates = BN(W_hh h; γ_hh, 0) + BN(W_ih x; γ_ih, 0) + b_ih + b_hh,   c' = f c + i g,   h' = o tanh(BN(c'; γ_c, β_c))
 *   BN(v)_b = γ (v_b - μ) / sqrt(σ² + 1e-5) + β
 * </pre>
 * with μ, σ² the valid rows' mean and biased variance in training, and row min(t, T_max - 1) of the population
 * statistics at inference. In training the population statistics are updated, in the order the steps run, as
 * {@code 0.9 running + 0.1 batch} with the unbiased variance, for steps with two or more valid rows; the result carries
 * the updated copy. Dropout and zoneout masks apply as {@link ReferenceRecurrent} applies them. It has no backward pass.
 */
final class BatchNormReference {
    static final double EPS = 1e-5;
    static final double MOMENTUM = 0.1;

    /** Output [T, B, D*H], h_n and c_n [L*D, B, H], and the population statistics after the pass, by buffer name. */
    record Result(double[] output, double[] hN, double[] cN, Map<String, double[]> running) {}

    private final RecurrentConfig config;
    private final Map<String, double[]> parameters;
    private final Map<String, double[]> buffers;

    /** @param parameters every parameter by PyTorch name, read live; @param buffers the population statistics, not changed */
    BatchNormReference(RecurrentConfig config, Map<String, double[]> parameters, Map<String, double[]> buffers) {
        if (!config.batchNorm() || !config.cellType().name().equals("LSTM")) throw new IllegalArgumentException("a batch-normalised LSTM");
        this.config = config;
        this.parameters = parameters;
        this.buffers = buffers;
    }

    /** The parameters, read live by each forward call: a test perturbs them in place. */
    Map<String, double[]> parameters() {
        return parameters;
    }

    /** The network's buffers widened to double, in a fresh map. */
    static Map<String, double[]> buffersOf(Recurrent network) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (Buffer b : network.buffers()) map.put(b.name(), ReferenceFixtures.toDouble(b.value()));
        return map;
    }

    /**
     * @param training batch statistics (and updated population statistics) when true, the population's when false
     * @param masks    the dropout and zoneout masks of a training pass, or null (none; zoneout by its expectation)
     */
    Result forward(double[] input, int steps, int batch, int[] lengths, double[] h0, double[] c0, boolean training,
                   ReferenceRecurrent.Masks masks) {
        int hidden = config.hiddenSize(), dirs = config.directions(), layers = config.layers(), gates = 4 * hidden;
        int tMax = config.regularization().batchNormSteps();
        Regularization reg = config.regularization();
        Map<String, double[]> running = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : buffers.entrySet()) running.put(e.getKey(), e.getValue().clone());
        double[] hN = new double[layers * dirs * batch * hidden];
        double[] cN = new double[layers * dirs * batch * hidden];
        double[] layerInput = input;
        if (masks != null && masks.input() != null) layerInput = times(input, masks.input());
        int inSize = config.inputSize();
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0 && masks != null && masks.layer() != null && masks.layer()[layer] != null) {
                layerInput = times(layerInput, masks.layer()[layer]);
            }
            double[] out = new double[steps * batch * dirs * hidden];
            for (int dir = 0; dir < dirs; dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                int k = layer * dirs + dir;
                double[] wIh = parameters.get("weight_ih" + s), wHh = parameters.get("weight_hh" + s);
                double[] bIh = config.bias() ? parameters.get("bias_ih" + s) : new double[gates];
                double[] bHh = config.bias() ? parameters.get("bias_hh" + s) : new double[gates];
                double[][] h = new double[batch][hidden], c = new double[batch][hidden];
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < hidden; j++) {
                        h[b][j] = h0[(k * batch + b) * hidden + j];
                        c[b][j] = c0[(k * batch + b) * hidden + j];
                    }
                }
                for (int step = 0; step < steps; step++) {
                    int t = dir == 0 ? step : steps - 1 - step;
                    List<Integer> rows = new ArrayList<>();
                    for (int b = 0; b < batch; b++) if (lengths == null || t < lengths[b]) rows.add(b);
                    if (rows.isEmpty()) continue;
                    int slot = Math.min(t, tMax - 1);
                    double[][] gi = new double[batch][gates], gh = new double[batch][gates];
                    for (int b : rows) {
                        for (int r = 0; r < gates; r++) {
                            for (int q = 0; q < inSize; q++) gi[b][r] += wIh[r * inSize + q] * layerInput[(t * batch + b) * inSize + q];
                            for (int q = 0; q < hidden; q++) {
                                double hIn = h[b][q];
                                if (masks != null && masks.recurrent() != null) hIn *= masks.recurrent()[k][b * hidden + q];
                                gh[b][r] += wHh[r * hidden + q] * hIn;
                            }
                        }
                    }
                    double[][] ni = normalize(gi, rows, parameters.get("bn_ih_weight" + s), null, running, "bn_ih", s, slot, training);
                    double[][] nh = normalize(gh, rows, parameters.get("bn_hh_weight" + s), null, running, "bn_hh", s, slot, training);
                    double[][] cNew = new double[batch][hidden], o = new double[batch][hidden];
                    for (int b : rows) {
                        for (int j = 0; j < hidden; j++) {
                            double i = sigmoid(ni[b][j] + nh[b][j] + bIh[j] + bHh[j]);
                            double f = sigmoid(ni[b][hidden + j] + nh[b][hidden + j] + bIh[hidden + j] + bHh[hidden + j]);
                            double g = Math.tanh(ni[b][2 * hidden + j] + nh[b][2 * hidden + j] + bIh[2 * hidden + j] + bHh[2 * hidden + j]);
                            o[b][j] = sigmoid(ni[b][3 * hidden + j] + nh[b][3 * hidden + j] + bIh[3 * hidden + j] + bHh[3 * hidden + j]);
                            cNew[b][j] = f * c[b][j] + i * g;
                        }
                    }
                    double[][] nc = normalize(cNew, rows, parameters.get("bn_c_weight" + s), parameters.get("bn_c_bias" + s), running, "bn_c", s,
                            slot, training);
                    for (int b : rows) {
                        for (int j = 0; j < hidden; j++) {
                            double hNew = o[b][j] * Math.tanh(nc[b][j]);
                            int at = (t * batch + b) * hidden + j;
                            double zh = zoneout(reg.zoneoutHidden(), masks == null ? null : masks.zoneHidden(), k, at);
                            double zc = zoneout(reg.zoneoutCell(), masks == null ? null : masks.zoneCell(), k, at);
                            h[b][j] = zh * h[b][j] + (1 - zh) * hNew;
                            c[b][j] = zc * c[b][j] + (1 - zc) * cNew[b][j];
                            out[(t * batch + b) * dirs * hidden + dir * hidden + j] = h[b][j];
                        }
                    }
                }
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < hidden; j++) {
                        hN[(k * batch + b) * hidden + j] = h[b][j];
                        cN[(k * batch + b) * hidden + j] = c[b][j];
                    }
                }
            }
            layerInput = out;
            inSize = dirs * hidden;
        }
        return new Result(layerInput, hN, cN, running);
    }

    /**
     * BN of the valid rows of v [B][n], each column over those rows: with their statistics (then updating row
     * {@code slot} of the population's) in training, with row {@code slot} of the population's at inference.
     */
    private static double[][] normalize(double[][] v, List<Integer> rows, double[] gamma, double[] beta, Map<String, double[]> running,
                                        String site, String suffix, int slot, boolean training) {
        int n = gamma.length, m = rows.size();
        double[] runMean = running.get(site + "_running_mean" + suffix), runVar = running.get(site + "_running_var" + suffix);
        double[][] y = new double[v.length][n];
        for (int j = 0; j < n; j++) {
            double mean, var;
            if (training) {
                mean = 0;
                for (int b : rows) mean += v[b][j];
                mean /= m;
                var = 0;
                for (int b : rows) var += (v[b][j] - mean) * (v[b][j] - mean);
                var /= m;
                if (m >= 2) {
                    runMean[slot * n + j] = (1 - MOMENTUM) * runMean[slot * n + j] + MOMENTUM * mean;
                    runVar[slot * n + j] = (1 - MOMENTUM) * runVar[slot * n + j] + MOMENTUM * var * m / (m - 1);
                }
            } else {
                mean = runMean[slot * n + j];
                var = runVar[slot * n + j];
            }
            for (int b : rows) y[b][j] = gamma[j] * (v[b][j] - mean) / Math.sqrt(var + EPS) + (beta == null ? 0 : beta[j]);
        }
        return y;
    }

    private static double zoneout(double p, double[][] masks, int k, int at) {
        if (p == 0) return 0;
        return masks == null ? (float) p : masks[k][at];
    }

    private static double[] times(double[] a, double[] mask) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * mask[i];
        return r;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
