package dev.rnn4j.data.classify;

import dev.rnn4j.layer.AttentionPooling;
import dev.rnn4j.layer.RecurrentStream;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.train.Example;

import java.util.Arrays;

/**
 * A classifier's running prediction as a sequence arrives, one step at a time (audio frames from a microphone, bases
 * from a sequencer): the recurrent state is carried by a {@link RecurrentStream}, the pooling is updated online
 * (the last state, a running mean, a running maximum, or an online softmax for attention), and after every step the
 * head gives the class probabilities of the sequence so far. After the last step they equal
 * {@link ClassifierModel#probabilities} of the whole sequence (up to float rounding).
 *
 * <p>Needs a unidirectional model with feature input: a reverse direction would need the end of the sequence first.
 */
public final class StreamingClassifier {
    private final SequenceModel network;
    private final Head pooling;
    private final RecurrentStream stream;
    private final int width;               // W = H
    private final float[] attention;       // [W] the scoring vector, or null
    private final double[] sum;            // [W] running sum (mean), or the attention-weighted sum
    private final float[] pooled;          // [1, W] what the head reads
    private final double[] probabilities;  // [K]
    private double attentionMax;           // the largest score so far (online softmax)
    private double attentionTotal;         // Σ exp(s_t - max)
    private int steps;

    public StreamingClassifier(ClassifierModel model) {
        this.network = model.network();
        if (network.spec().recurrent().bidirectional()) {
            throw new IllegalArgumentException("a bidirectional model cannot classify a stream: its reverse direction needs the end of the "
                    + "sequence; train with --no-bidirectional to stream");
        }
        if (network.spec().tokenInput()) throw new IllegalArgumentException("streaming reads feature vectors; this model reads tokens");
        this.pooling = network.spec().head();
        this.stream = new RecurrentStream(network.recurrent(), 1);
        this.width = network.spec().recurrent().outputSize();
        this.attention = network.pooling() instanceof AttentionPooling a ? a.weight().value() : null;
        this.sum = new double[width];
        this.pooled = new float[width];
        this.probabilities = new double[model.classes().size()];
        reset();
    }

    /** Starts a new sequence. */
    public void reset() {
        stream.reset();
        Arrays.fill(sum, 0);
        Arrays.fill(pooled, Float.NEGATIVE_INFINITY);
        attentionMax = Double.NEGATIVE_INFINITY;
        attentionTotal = 0;
        steps = 0;
    }

    /**
     * Takes one step's features and returns the probabilities of each class for the sequence so far.
     *
     * @param x [F] this step's features
     * @return [K], owned by this object and overwritten by the next step
     */
    public double[] step(float[] x) {
        float[] h = stream.step(x); // [1, W]
        steps++;
        switch (pooling) {
            case LAST_STEP -> System.arraycopy(h, 0, pooled, 0, width);
            case MEAN -> {
                for (int j = 0; j < width; j++) pooled[j] = (float) ((sum[j] += h[j]) / steps);
            }
            case MAX -> {
                for (int j = 0; j < width; j++) pooled[j] = Math.max(pooled[j], h[j]);
            }
            case ATTENTION -> {
                double score = 0;
                for (int j = 0; j < width; j++) score += (double) attention[j] * h[j];
                if (score > attentionMax) { // rescale what was summed under the old maximum
                    double scale = Math.exp(attentionMax - score);
                    attentionTotal *= scale;
                    for (int j = 0; j < width; j++) sum[j] *= scale;
                    attentionMax = score;
                }
                double weight = Math.exp(score - attentionMax);
                attentionTotal += weight;
                for (int j = 0; j < width; j++) pooled[j] = (float) ((sum[j] += weight * h[j]) / attentionTotal);
            }
            case EVERY_STEP -> throw new IllegalStateException("a classifier has a pooled head");
        }
        Matrix logits = network.head().forward(Matrix.of(pooled, 1, width));
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (int c = 0; c < probabilities.length; c++) max = Math.max(max, logits.get(0, c));
        for (int c = 0; c < probabilities.length; c++) total += probabilities[c] = Math.exp(logits.get(0, c) - max);
        for (int c = 0; c < probabilities.length; c++) probabilities[c] /= total;
        return probabilities;
    }

    /** Steps through a whole example, calling {@code each} with the step number (1-based) and the running probabilities. */
    public void run(Example input, StepListener each) {
        reset();
        int f = input.featureSize();
        float[] x = new float[f];
        for (int t = 0; t < input.steps(); t++) {
            System.arraycopy(input.features(), t * f, x, 0, f);
            each.onStep(t + 1, step(x));
        }
    }

    /** Hears the running prediction after each step. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, double[] probabilities);
    }
}
