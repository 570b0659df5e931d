package dev.rnn4j.model;

import dev.rnn4j.layer.SequenceBatch;

/**
 * A time-major batch for a {@link SequenceModel}: either feature vectors or token ids, never both.
 *
 * @param features [T, B, I] feature vectors, for a model built with {@code features(I)}; else null
 * @param tokens   [T, B] token ids, for a model built with {@code vocabulary(V)}; else null. Every id, padding
 *                 included, must be in 0..V-1 (pad with any valid id, e.g. 0: padded steps are ignored)
 * @param steps    T, the padded length
 * @param batch    B
 * @param lengths  [B] valid steps of each sequence, 1..T, or null when all have T (packed-sequence semantics)
 * @param h0       [L * D, B, H] initial hidden state, or null for zeros
 * @param c0       [L * D, B, H] initial cell state (LSTM only), or null for zeros
 */
public record ModelInput(float[] features, int[] tokens, int steps, int batch, int[] lengths, float[] h0, float[] c0) {

    public ModelInput {
        if ((features == null) == (tokens == null)) {
            throw new IllegalArgumentException("a model input has either features or tokens, not " + (features == null ? "neither" : "both"));
        }
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (tokens != null && tokens.length != (long) steps * batch) {
            throw new IllegalArgumentException("tokens has " + tokens.length + " ids but [" + steps + ", " + batch + "] needs "
                    + (long) steps * batch);
        }
        SequenceBatch.checkLengths(lengths, steps, batch);
    }

    /** Feature vectors [T, B, I], all sequences T steps long, from zero state. */
    public static ModelInput features(float[] features, int steps, int batch) {
        if (features == null) throw new IllegalArgumentException("features is required");
        return new ModelInput(features, null, steps, batch, null, null, null);
    }

    /** Token ids [T, B], all sequences T steps long, from zero state. */
    public static ModelInput tokens(int[] tokens, int steps, int batch) {
        if (tokens == null) throw new IllegalArgumentException("tokens is required");
        return new ModelInput(null, tokens, steps, batch, null, null, null);
    }

    public ModelInput withLengths(int[] newLengths) {
        return new ModelInput(features, tokens, steps, batch, newLengths, h0, c0);
    }

    public ModelInput withInitialState(float[] newH0, float[] newC0) {
        return new ModelInput(features, tokens, steps, batch, lengths, newH0, newC0);
    }

    /** Valid steps of sequence b. */
    public int length(int b) {
        return lengths == null ? steps : lengths[b];
    }
}
