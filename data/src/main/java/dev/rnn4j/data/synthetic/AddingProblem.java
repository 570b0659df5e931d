package dev.rnn4j.data.synthetic;

import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997, as set by Le et al. 2015): each step carries a random
 * number in [0, 1) and a marker; exactly two steps are marked, one in each half of the sequence, and the target
 * is the sum of the two marked numbers. The answer depends on steps up to T apart, so it measures how far back a
 * cell can carry information.
 *
 * <p>Predicting the mean (1) gives the variance of a sum of two uniforms, 2/12 = 0.167: {@link #BASELINE_MSE}.
 */
public final class AddingProblem {
    /** MSE of always predicting the expected sum, 1: the score of a model that learned nothing. */
    public static final double BASELINE_MSE = 1.0 / 6.0;
    /** Features per step: the number and the marker. */
    public static final int FEATURES = 2;

    private final int length;
    private final SplittableRandom random;

    /**
     * @param length T, steps per sequence (at least 2)
     * @param seed   batches are a deterministic function of the seed and the order of calls
     */
    public AddingProblem(int length, long seed) {
        if (length < 2) throw new IllegalArgumentException("the adding problem needs at least 2 steps, got " + length);
        this.length = length;
        this.random = new SplittableRandom(seed);
    }

    public int length() {
        return length;
    }

    /**
     * A batch of {@code batch} fresh sequences.
     *
     * @return inputs [T, B, 2] time-major (number, marker) and targets [B]
     */
    public Batch batch(int batch) {
        float[] inputs = new float[length * batch * FEATURES];
        float[] targets = new float[batch];
        int half = length / 2;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                inputs[(t * batch + b) * FEATURES] = (float) random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            inputs[(first * batch + b) * FEATURES + 1] = 1f;
            inputs[(second * batch + b) * FEATURES + 1] = 1f;
            targets[b] = inputs[(first * batch + b) * FEATURES] + inputs[(second * batch + b) * FEATURES];
        }
        return new Batch(inputs, targets, length, batch);
    }

    /**
     * @param inputs  [T, B, 2]
     * @param targets [B] the sums
     */
    public record Batch(float[] inputs, float[] targets, int steps, int batch) {
        /** Sequences [from, from + n) of this batch, as a batch of their own. */
        public Batch rows(int from, int n) {
            if (from < 0 || n < 1 || from + n > batch) throw new IllegalArgumentException("rows [" + from + ", " + (from + n) + ") of a batch of " + batch);
            float[] x = new float[steps * n * FEATURES];
            for (int t = 0; t < steps; t++) System.arraycopy(inputs, (t * batch + from) * FEATURES, x, t * n * FEATURES, n * FEATURES);
            return new Batch(x, java.util.Arrays.copyOfRange(targets, from, from + n), steps, n);
        }
    }
}
