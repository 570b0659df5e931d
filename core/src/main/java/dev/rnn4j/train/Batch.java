package dev.rnn4j.train;

import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.ModelInput;

import java.util.Objects;

/**
 * One training or validation batch: what the model reads and what its predictions are compared with.
 *
 * <p>The targets' rows follow the model's head: for {@link dev.rnn4j.model.Head#EVERY_STEP}, one row per step of
 * each sequence, time-major ({@code t * B + b}), usually with {@link Targets#maskFromLengths} as the row mask; for
 * {@link dev.rnn4j.model.Head#LAST_STEP}, one row per sequence. Arrays are shared, not copied.
 *
 * @param input   the model's input
 * @param targets the loss's targets
 */
public record Batch(ModelInput input, Targets targets) {
    public Batch {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(targets, "targets");
    }
}
