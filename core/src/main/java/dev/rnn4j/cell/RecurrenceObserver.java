package dev.rnn4j.cell;

/**
 * Looks at a {@link Recurrence}'s passes as they end, for diagnostics (gate saturation, the gradient reaching each
 * time step, a sequence's states). Called on the thread that runs the pass; it reads the pass through the
 * recurrence's last-pass accessors ({@link Recurrence#gateValues}, {@link Recurrence#hiddenState},
 * {@link Recurrence#cellState}, {@link Recurrence#gradientNormsByStep}), which hold until the next pass. Without an
 * observer a pass costs nothing more; with one, what the observer does is all it costs. It must not change the
 * recurrence.
 */
public interface RecurrenceObserver {

    /** After a forward pass. */
    default void afterForward(Recurrence pass) {}

    /** After a backward pass. */
    default void afterBackward(Recurrence pass) {}
}
