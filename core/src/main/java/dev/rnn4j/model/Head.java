package dev.rnn4j.model;

/** Where a {@link SequenceModel}'s dense head reads the recurrent output. */
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
    LAST_STEP
}
