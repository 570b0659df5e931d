package dev.rnn4j.train;

/**
 * One labelled sequence of a {@link Dataset}: feature vectors or token ids, and its target: one per sequence (for
 * a {@link dev.rnn4j.model.Head#LAST_STEP} model) or one per step ({@link dev.rnn4j.model.Head#EVERY_STEP}).
 *
 * <pre>{@code
 * Example.ofFeatures(x, 50).withClass(2)                  // x [50, F]: one class for the sequence
 * Example.ofFeatures(x, 50).withStepValues(y)             // y [50, K]: a target vector per step
 * Example.ofTokens(ids).withStepClasses(nextIds)          // language model: the next id at every step
 * }</pre>
 * Arrays are shared, not copied; a {@link Batcher} copies them into padded batches.
 *
 * @param features [T, F] row-major feature vectors, or null for token input
 * @param tokens   [T] token ids, or null for feature input
 * @param steps    T, at least 1
 * @param values   target values: [K] per sequence or [T, K] per step; null for class targets or no target
 * @param classes  target class ids: [1] per sequence or [T] per step; null for value targets or no target
 * @param perStep  whether the target is per step (else per sequence); false without a target
 */
public record Example(float[] features, int[] tokens, int steps, float[] values, int[] classes, boolean perStep) {

    public Example {
        if ((features == null) == (tokens == null)) {
            throw new IllegalArgumentException("an example has either features or tokens, not " + (features == null ? "neither" : "both"));
        }
        if (steps < 1) throw new IllegalArgumentException("an example needs at least 1 step, got " + steps);
        if (features != null && (features.length == 0 || features.length % steps != 0)) {
            throw new IllegalArgumentException("features has " + features.length + " values, not a positive multiple of " + steps + " steps");
        }
        if (tokens != null && tokens.length != steps) {
            throw new IllegalArgumentException("tokens has " + tokens.length + " ids for " + steps + " steps");
        }
        if (values != null && classes != null) throw new IllegalArgumentException("a target is values or classes, not both");
        if (values == null && classes == null && perStep) throw new IllegalArgumentException("perStep needs a target");
        if (classes != null && classes.length != (perStep ? steps : 1)) {
            throw new IllegalArgumentException((perStep ? "per-step classes need " + steps : "a per-sequence class needs 1")
                    + " entries, got " + classes.length);
        }
        if (values != null) {
            if (values.length == 0) throw new IllegalArgumentException("target values are empty");
            if (perStep && values.length % steps != 0) {
                throw new IllegalArgumentException("per-step values has " + values.length + " values, not a multiple of " + steps + " steps");
            }
        }
    }

    /** Feature vectors [T, F] (row-major, {@code features.length = T * F}), no target yet. */
    public static Example ofFeatures(float[] features, int steps) {
        if (features == null) throw new IllegalArgumentException("features is null");
        return new Example(features, null, steps, null, null, false);
    }

    /** Token ids [T], no target yet. */
    public static Example ofTokens(int[] tokens) {
        if (tokens == null) throw new IllegalArgumentException("tokens is null");
        return new Example(null, tokens, tokens.length, null, null, false);
    }

    /** This input with one class for the whole sequence. */
    public Example withClass(int label) {
        return new Example(features, tokens, steps, null, new int[] {label}, false);
    }

    /** This input with a class per step [T]. */
    public Example withStepClasses(int[] labels) {
        return new Example(features, tokens, steps, null, labels, true);
    }

    /** This input with one target vector [K] for the whole sequence. */
    public Example withValues(float[] target) {
        return new Example(features, tokens, steps, target, null, false);
    }

    /** This input with a target vector per step [T, K] (row-major). */
    public Example withStepValues(float[] targets) {
        return new Example(features, tokens, steps, targets, null, true);
    }

    /** F, features per step; 0 for token input. */
    public int featureSize() {
        return features == null ? 0 : features.length / steps;
    }

    /** K, values per target row (1 for class targets, 0 without a target). */
    public int targetSize() {
        if (classes != null) return 1;
        if (values == null) return 0;
        return perStep ? values.length / steps : values.length;
    }

    public boolean hasTarget() {
        return values != null || classes != null;
    }
}
