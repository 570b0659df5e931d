package dev.rnn4j.layer;

import java.util.Arrays;

/**
 * The elementwise maximum of each sequence's outputs over its valid steps; the gradient goes to the step that held
 * the maximum (the first such step on ties), as {@code torch.max(dim=0)} routes it.
 */
public final class MaxOverSteps implements SequencePooling {
    private final int width;                  // W = D * H
    private int steps;
    private int batch;
    private float[] pooled = new float[0];    // [B, W]
    private int[] argmax = new int[0];        // [B, W] the step of each maximum
    private float[] dOutput = new float[0];   // [T, B, W]

    public MaxOverSteps(RecurrentConfig config) {
        this.width = config.outputSize();
    }

    @Override
    public float[] forward(RecurrentOutput output, int[] lengths) {
        steps = output.steps();
        batch = output.batch();
        if (pooled.length != batch * width) {
            pooled = new float[batch * width];
            argmax = new int[batch * width];
        }
        float[] y = output.output();
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? steps : lengths[b];
            for (int j = 0; j < width; j++) {
                int best = 0;
                float max = y[b * width + j];
                for (int t = 1; t < length; t++) {
                    float v = y[(t * batch + b) * width + j];
                    if (v > max || Float.isNaN(v)) {
                        max = v;
                        best = t;
                        if (Float.isNaN(v)) break;
                    }
                }
                pooled[b * width + j] = max;
                argmax[b * width + j] = best;
            }
        }
        return pooled;
    }

    @Override
    public float[] backward(float[] dPooled) {
        if (dOutput.length != steps * batch * width) dOutput = new float[steps * batch * width];
        else Arrays.fill(dOutput, 0f);
        for (int i = 0; i < batch * width; i++) {
            int b = i / width, j = i % width;
            dOutput[(argmax[i] * batch + b) * width + j] = dPooled[i];
        }
        return dOutput;
    }
}
