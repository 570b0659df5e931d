package dev.rnn4j.layer;

import java.util.Arrays;

/** The mean of each sequence's outputs over its valid steps: pooled[b] = (1 / len_b) Σ_{t < len_b} y[t, b]. */
public final class MeanOverSteps implements SequencePooling {
    private final int width;                  // W = D * H
    private int steps;
    private int batch;
    private int[] lengths;
    private float[] pooled = new float[0];    // [B, W]
    private float[] dOutput = new float[0];   // [T, B, W]
    private final double[] sum;               // [W] one sequence's running sum

    public MeanOverSteps(RecurrentConfig config) {
        this.width = config.outputSize();
        this.sum = new double[width];
    }

    @Override
    public float[] forward(RecurrentOutput output, int[] lengths) {
        steps = output.steps();
        batch = output.batch();
        this.lengths = lengths;
        if (pooled.length != batch * width) pooled = new float[batch * width];
        float[] y = output.output();
        for (int b = 0; b < batch; b++) {
            Arrays.fill(sum, 0);
            int length = length(b);
            for (int t = 0; t < length; t++) {
                int at = (t * batch + b) * width;
                for (int j = 0; j < width; j++) sum[j] += y[at + j];
            }
            for (int j = 0; j < width; j++) pooled[b * width + j] = (float) (sum[j] / length);
        }
        return pooled;
    }

    @Override
    public float[] backward(float[] dPooled) {
        if (dOutput.length != steps * batch * width) dOutput = new float[steps * batch * width];
        else Arrays.fill(dOutput, 0f);
        for (int b = 0; b < batch; b++) {
            int length = length(b);
            for (int t = 0; t < length; t++) {
                int at = (t * batch + b) * width;
                for (int j = 0; j < width; j++) dOutput[at + j] = dPooled[b * width + j] / length;
            }
        }
        return dOutput;
    }

    private int length(int b) {
        return lengths == null ? steps : lengths[b];
    }
}
