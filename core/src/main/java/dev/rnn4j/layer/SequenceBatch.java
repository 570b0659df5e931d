package dev.rnn4j.layer;

/**
 * A time-major batch of sequences for a recurrent network.
 *
 * @param input   [T, B, I] features, time-major
 * @param steps   T, the padded length
 * @param batch   B
 * @param lengths [B] valid steps of each sequence, 1..T, or null when every sequence has T steps.
 *                Steps at or past a sequence's length are padding: PyTorch's packed-sequence semantics.
 * @param h0      [L * D, B, H] initial hidden state, or null for zeros
 * @param c0      [L * D, B, H] initial cell state (LSTM only), or null for zeros
 */
public record SequenceBatch(float[] input, int steps, int batch, int[] lengths, float[] h0, float[] c0) {

    public SequenceBatch {
        if (input == null) throw new IllegalArgumentException("input is required");
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        checkLengths(lengths, steps, batch);
    }

    /**
     * Checks sequence lengths as this record does, for other batches with the same packed-sequence semantics.
     *
     * @param lengths null (every sequence has {@code steps} steps), or {@code batch} values each in 1..steps
     * @throws IllegalArgumentException naming the first length at fault
     */
    public static void checkLengths(int[] lengths, int steps, int batch) {
        if (lengths == null) return;
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " is out of range 1.." + steps);
            }
        }
    }

    /** Every sequence runs all T steps, from zero state. */
    public static SequenceBatch of(float[] input, int steps, int batch) {
        return new SequenceBatch(input, steps, batch, null, null, null);
    }

    public SequenceBatch withLengths(int[] newLengths) {
        return new SequenceBatch(input, steps, batch, newLengths, h0, c0);
    }

    public SequenceBatch withInitialState(float[] newH0, float[] newC0) {
        return new SequenceBatch(input, steps, batch, lengths, newH0, newC0);
    }

    /** Valid steps of sequence b. */
    public int length(int b) {
        return lengths == null ? steps : lengths[b];
    }
}
