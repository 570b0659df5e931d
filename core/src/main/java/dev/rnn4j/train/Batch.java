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
 * @param input      the model's input
 * @param targets    the loss's targets
 * @param exampleIds [B] the id of each sequence (its index in the dataset, as {@link Batcher#collate} sets it), which
 *                   keys its dropout and zoneout masks in training ({@link dev.rnn4j.layer.Recurrent#setMaskRows});
 *                   null keys them by batch row
 */
public record Batch(ModelInput input, Targets targets, long[] exampleIds) {
    public Batch {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(targets, "targets");
        if (exampleIds != null && exampleIds.length != input.batch()) {
            throw new IllegalArgumentException(exampleIds.length + " example ids for a batch of " + input.batch());
        }
    }

    /** A batch whose sequences are keyed by their rows. */
    public Batch(ModelInput input, Targets targets) {
        this(input, targets, null);
    }
}
