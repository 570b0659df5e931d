package dev.rnn4j.data.text;

import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.train.Batch;

/**
 * A token sequence cut into B parallel streams, as PyTorch's word_language_model {@code batchify} does: stream b is
 * the b-th of B equal consecutive pieces (the last {@code n mod B} tokens are dropped), read side by side, so that
 * truncated BPTT can carry each stream's state from one chunk to the next. The input at step t is token t of each
 * stream, its target token t + 1.
 */
public final class LmStreams {
    private LmStreams() {}

    /** Steps each of {@code streams} streams gets from {@code tokens} tokens (one fewer than its tokens: the last is only a target). */
    public static int steps(int tokens, int streams) {
        return tokens / streams - 1;
    }

    /**
     * The streams as one batch: tokens [T, B] time-major, targets [T * B] the next token of each.
     *
     * @throws IllegalArgumentException if a stream would get no step (fewer than 2 B tokens)
     */
    public static Batch batch(int[] ids, int streams) {
        int length = ids.length / streams; // tokens per stream
        int steps = length - 1;
        if (steps < 1) throw new IllegalArgumentException(ids.length + " tokens are too few for " + streams + " streams of 2 tokens or more");
        int[] input = new int[steps * streams];   // [T, B]
        int[] targets = new int[steps * streams]; // [T * B]
        for (int b = 0; b < streams; b++) {
            int from = b * length;
            for (int t = 0; t < steps; t++) {
                input[t * streams + b] = ids[from + t];
                targets[t * streams + b] = ids[from + t + 1];
            }
        }
        return new Batch(ModelInput.tokens(input, steps, streams), Targets.classes(targets));
    }
}
