package dev.rnn4j.layer;

import dev.rnn4j.tensor.Parameter;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A learned softmax over each sequence's valid steps: with a scoring vector w [W],
 * <pre>
 *   s_t = w · y_t,   α_t = exp(s_t) / Σ_{u < len} exp(s_u),   pooled = Σ_{t < len} α_t y_t
 * </pre>
 * and the backward pass, with g = dL/d pooled:
 * <pre>
 *   dL/dα_t = g · y_t,   dL/ds_t = α_t (dL/dα_t − Σ_u α_u dL/dα_u),
 *   dL/dy_t = α_t g + dL/ds_t w,   dL/dw = Σ_b Σ_t dL/ds_t y_t
 * </pre>
 * The weights α of the last forward pass are kept ({@link #weights()}) so reports can draw where the model looked.
 */
public final class AttentionPooling implements SequencePooling {
    private final int width;                  // W = D * H
    private final Parameter weight;           // w [W]
    private int steps;
    private int batch;
    private int[] lengths;
    private float[] output;                   // y of the last forward pass, [T, B, W], read in place
    private float[] alpha = new float[0];     // [T, B], zero past each length
    private float[] pooled = new float[0];    // [B, W]
    private float[] dOutput = new float[0];   // [T, B, W]
    private double[] perStep = new double[0]; // [T] one sequence's scores (forward) or dL/dα (backward)
    private final double[] sum;               // [W] one sequence's weighted sum
    private final double[] dWeight;           // [W] dL/dw of one backward pass, added to w's gradient at the end

    /**
     * @param name the parameter's name, e.g. {@code "pool.weight"}
     */
    public AttentionPooling(RecurrentConfig config, String name) {
        this.width = config.outputSize();
        this.weight = new Parameter(name, width);
        this.sum = new double[width];
        this.dWeight = new double[width];
    }

    /** Draws w from U(±1/√W), from its own stream of {@code seed}. */
    public void initialize(long streamSeed) {
        SplittableRandom random = new SplittableRandom(streamSeed);
        float[] w = weight.value();
        double bound = 1 / Math.sqrt(width);
        for (int j = 0; j < width; j++) w[j] = (float) (random.nextDouble(-bound, bound));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight);
    }

    /** α of the last forward pass, [T, B] time-major (row t * B + b), zero past each length. */
    public float[] weights() {
        return alpha;
    }

    @Override
    public float[] forward(RecurrentOutput out, int[] lengths) {
        steps = out.steps();
        batch = out.batch();
        this.lengths = lengths;
        this.output = out.output();
        if (alpha.length != steps * batch) alpha = new float[steps * batch];
        else Arrays.fill(alpha, 0f);
        if (pooled.length != batch * width) pooled = new float[batch * width];
        float[] w = weight.value();
        if (perStep.length < steps) perStep = new double[steps];
        double[] scores = perStep;
        for (int b = 0; b < batch; b++) {
            int length = length(b);
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < length; t++) {
                int at = (t * batch + b) * width;
                double s = 0;
                for (int j = 0; j < width; j++) s += (double) w[j] * output[at + j];
                scores[t] = s;
                max = Math.max(max, s);
            }
            double total = 0;
            for (int t = 0; t < length; t++) total += scores[t] = Math.exp(scores[t] - max);
            Arrays.fill(sum, 0);
            for (int t = 0; t < length; t++) {
                double a = scores[t] / total;
                alpha[t * batch + b] = (float) a;
                int at = (t * batch + b) * width;
                for (int j = 0; j < width; j++) sum[j] += a * output[at + j];
            }
            for (int j = 0; j < width; j++) pooled[b * width + j] = (float) sum[j];
        }
        return pooled;
    }

    @Override
    public float[] backward(float[] dPooled) {
        if (dOutput.length != steps * batch * width) dOutput = new float[steps * batch * width];
        else Arrays.fill(dOutput, 0f);
        float[] w = weight.value(), dw = weight.grad();
        if (perStep.length < steps) perStep = new double[steps];
        double[] dAlpha = perStep;
        Arrays.fill(dWeight, 0);
        for (int b = 0; b < batch; b++) {
            int length = length(b);
            double expected = 0; // Σ_u α_u dL/dα_u
            for (int t = 0; t < length; t++) {
                int at = (t * batch + b) * width;
                double d = 0;
                for (int j = 0; j < width; j++) d += (double) dPooled[b * width + j] * output[at + j];
                dAlpha[t] = d;
                expected += alpha[t * batch + b] * d;
            }
            for (int t = 0; t < length; t++) {
                double a = alpha[t * batch + b];
                double dScore = a * (dAlpha[t] - expected);
                int at = (t * batch + b) * width;
                for (int j = 0; j < width; j++) {
                    dOutput[at + j] = (float) (a * dPooled[b * width + j] + dScore * w[j]);
                    dWeight[j] += dScore * output[at + j];
                }
            }
        }
        for (int j = 0; j < width; j++) dw[j] += (float) dWeight[j];
        return dOutput;
    }

    private int length(int b) {
        return lengths == null ? steps : lengths[b];
    }
}
