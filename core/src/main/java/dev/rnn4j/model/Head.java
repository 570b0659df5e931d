package dev.rnn4j.model;

/** Where a {@link SequenceModel}'s dense head reads the recurrent output: every step, or one vector per sequence. */
public enum Head {
    /**
     * Many-to-many: the head is applied to every step's output, giving predictions [T * B, K] in time-major row
     * order (row {@code t * B + b}). Rows at or past a sequence's length still get predictions (the head of a zero
     * output, i.e. its bias); the loss must mask them.
     */
    EVERY_STEP,
    /**
     * Many-to-one: the head is applied to each sequence's last valid step ({@link dev.rnn4j.layer.LastValidStep}:
     * step {@code length - 1} of the forward direction, step 0 of the reverse one), giving predictions [B, K].
     */
    LAST_STEP,
    /** Many-to-one: the mean of each sequence's outputs over its valid steps ({@link dev.rnn4j.layer.MeanOverSteps}), [B, K]. */
    MEAN,
    /** Many-to-one: the elementwise maximum over each sequence's valid steps ({@link dev.rnn4j.layer.MaxOverSteps}), [B, K]. */
    MAX,
    /**
     * Many-to-one: a learned softmax over each sequence's valid steps ({@link dev.rnn4j.layer.AttentionPooling}), with
     * the parameter {@code "pool.weight"} [D*H]; [B, K].
     */
    ATTENTION;

    /** Whether the head reads one pooled vector per sequence (every head but {@link #EVERY_STEP}). */
    public boolean pooled() {
        return this != EVERY_STEP;
    }
}
