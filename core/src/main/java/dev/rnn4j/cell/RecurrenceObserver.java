package dev.rnn4j.cell;

/**
 * Looks at a {@link Recurrence}'s passes as they end, for diagnostics (gate saturation, the gradient reaching each
 * time step, a sequence's states). Called on the thread that runs the pass, which it reads through a
 * {@link RecurrencePass} (gates, states, the gradient by step) until the next pass. Without an
 * observer a pass costs nothing more; with one, what the observer does is all it costs.
 */
public interface RecurrenceObserver {

    /** After a forward pass. */
    default void afterForward(RecurrencePass pass) {}

    /** After a backward pass. */
    default void afterBackward(RecurrencePass pass) {}
}
