package dev.rnn4j.train;

import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.ModelInput;

import java.util.Arrays;

/** Truncated BPTT's cutting of a batch into chunks of k steps (see {@link Trainer}); k = 0 keeps batches whole. */
final class BpttChunks {
    private BpttChunks() {}

    static int count(Batch b, int k) {
        int t = b.input().steps();
        return k == 0 || k >= t ? 1 : (t + k - 1) / k;
    }

    /**
     * Chunk {@code c} of {@code chunks} of a batch: steps [c k, min((c+1) k, T)), starting from the carried state
     * (or the batch's own initial state for chunk 0), with the targets' rows of those steps.
     */
    static Batch chunk(Batch b, int k, int c, int chunks, float[] h0, float[] c0) {
        if (chunks == 1) return b;
        ModelInput in = b.input();
        if (in.lengths() != null) {
            throw new IllegalArgumentException("truncated BPTT needs batches without per-sequence lengths (every sequence "
                    + in.steps() + " steps); mask the targets instead");
        }
        int t = in.steps(), n = in.batch();
        int from = c * k, to = Math.min(t, from + k), steps = to - from;
        float[] features = null;
        int[] tokens = null;
        if (in.features() != null) {
            int width = in.features().length / (t * n);
            features = Arrays.copyOfRange(in.features(), from * n * width, to * n * width);
        } else {
            tokens = Arrays.copyOfRange(in.tokens(), from * n, to * n);
        }
        if (c == 0) {
            h0 = in.h0();
            c0 = in.c0();
        }
        ModelInput input = new ModelInput(features, tokens, steps, n, null, h0, c0);
        Targets targets = b.targets();
        int rows = t * n;
        float[] values = null, mask = null;
        int[] classes = null;
        if (targets.values() != null) {
            if (targets.values().length % rows != 0) {
                throw new IllegalArgumentException("truncated BPTT needs a target row per step: " + targets.values().length
                        + " target values do not divide into " + rows + " rows");
            }
            int width = targets.values().length / rows;
            values = Arrays.copyOfRange(targets.values(), from * n * width, to * n * width);
        } else {
            if (targets.classes().length != rows) {
                throw new IllegalArgumentException("truncated BPTT needs a target row per step: " + targets.classes().length
                        + " classes for " + rows + " rows");
            }
            classes = Arrays.copyOfRange(targets.classes(), from * n, to * n);
        }
        if (targets.rowMask() != null) mask = Arrays.copyOfRange(targets.rowMask(), from * n, to * n);
        return new Batch(input, new Targets(values, classes, mask), b.exampleIds());
    }

    /** A copy of a chunk's final state to carry into the next; a non-finite element (of a skipped step) is carried as 0. */
    static float[] carried(float[] state) {
        float[] copy = state.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) copy[i] = 0f;
        }
        return copy;
    }
}
