package dev.rnn4j.model;

import dev.rnn4j.layer.RecurrentConfig;

import java.util.Locale;

/**
 * About how much memory a model needs, worked out from its spec before anything is allocated, so that a run too
 * large for the JVM's heap is refused with a message instead of an OutOfMemoryError minutes in. An estimate, not
 * an account: it counts the big arrays (parameters with their gradients, optimizer slots and a best copy; the
 * activations a training step keeps for the backward pass) and leaves out the small ones.
 *
 * @param parameters      the model's parameter count
 * @param largestTensor   elements of its largest parameter (a Java array holds at most {@link #MAX_ARRAY} of them)
 * @param parameterBytes  the parameters with what training keeps per parameter: the value, its gradient, two
 *                        optimizer slots (Adam) and the best validation's copy
 * @param activationBytes what one training step over {@code steps} x {@code batch} keeps for the backward pass
 */
public record MemoryEstimate(long parameters, long largestTensor, long parameterBytes, long activationBytes) {
    /** Elements of the largest Java array. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** float values training keeps per parameter: value, gradient, 2 Adam slots, best copy. */
    private static final int TRAINING_FLOATS_PER_PARAMETER = 5;
    /** A model alone: value and gradient. */
    private static final int MODEL_FLOATS_PER_PARAMETER = 2;

    /** The model alone, as building or loading it needs (its values and gradients; activations of one step). */
    public static MemoryEstimate of(ModelSpec spec) {
        return of(spec, 1, 1, MODEL_FLOATS_PER_PARAMETER);
    }

    /** Training the model on batches of {@code batch} sequences of {@code steps} steps. */
    public static MemoryEstimate of(ModelSpec spec, long steps, long batch) {
        return of(spec, steps, batch, TRAINING_FLOATS_PER_PARAMETER);
    }

    private static MemoryEstimate of(ModelSpec spec, long steps, long batch, int floatsPerParameter) {
        RecurrentConfig r = spec.recurrent();
        long h = r.hiddenSize(), d = r.directions(), gates = r.cellType().gateCount() * h;
        long parameters = 0, largest = 0;
        long input = r.inputSize();
        for (int layer = 0; layer < r.layers(); layer++) {
            long in = layer == 0 ? input : d * h;
            long perDirection = gates * in + gates * h + (r.bias() ? 2 * gates : 0);
            parameters += d * perDirection;
            largest = Math.max(largest, Math.max(gates * in, gates * h));
        }
        long embedding = spec.vocabulary() > 0 ? (long) spec.vocabulary() * input : 0;
        long head = spec.tiedWeights() ? 0 : d * h * spec.outputs();
        parameters += embedding + head + spec.outputs();
        largest = Math.max(largest, Math.max(embedding, head));

        double rows = (double) steps * batch; // in double: a hostile T x B x H must not overflow
        // per layer and direction: the gate pre-activations and a few state-sized arrays per step; then the head's
        // predictions and their gradient (one row per step for an EVERY_STEP head, else one per sequence)
        long perStep = r.layers() * d * (gates + 4 * h) + input;
        // a normalisation keeps x̂ of W_ih x and W_hh h and of the cell too
        if (r.layerNorm() || r.batchNorm()) perStep += r.layers() * d * (2 * gates + h);
        double predictionRows = spec.head() == Head.EVERY_STEP ? rows : batch;
        double activations = 4 * (rows * perStep + 2 * predictionRows * spec.outputs());
        return new MemoryEstimate(parameters, largest, 4L * floatsPerParameter * parameters, (long) Math.min(activations, Long.MAX_VALUE / 2));
    }

    public long totalBytes() {
        return parameterBytes > Long.MAX_VALUE - activationBytes ? Long.MAX_VALUE : parameterBytes + activationBytes;
    }

    /**
     * @param maxMemory the heap this JVM may use ({@link Runtime#maxMemory()})
     * @param what      what needs it, for the message: "training", "the model"
     * @throws IllegalArgumentException when a parameter would not fit in a Java array, or the estimate exceeds
     *                                  {@code maxMemory}; the message says how much is needed and how to give the
     *                                  JVM more ({@code -Xmx}, through {@code RNN4J_JAVA_OPTS} for the launcher)
     */
    public void requireFits(long maxMemory, String what) {
        if (largestTensor > MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is too large: a parameter would have %,d values, more than a "
                    + "Java array holds (%,d); lower the hidden size, the vocabulary or the embedding size", what, largestTensor, MAX_ARRAY));
        }
        if (totalBytes() <= maxMemory) return;
        long suggestGiB = Math.max(1, (long) Math.ceil(totalBytes() * 1.5 / (1L << 30)));
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s (%,d parameters: %s with their gradients and "
                        + "optimizer state; activations %s) but this JVM may use at most %s; give it more with "
                        + "RNN4J_JAVA_OPTS=-Xmx%dg (the ./rnn4j launcher; java -Xmx%dg otherwise), or lower the batch size, the hidden size "
                        + "or the sequence length", what, size(totalBytes()), parameters, size(parameterBytes), size(activationBytes),
                size(maxMemory), suggestGiB, suggestGiB));
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
