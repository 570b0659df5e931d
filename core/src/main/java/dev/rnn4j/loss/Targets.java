package dev.rnn4j.loss;

/**
 * What a {@link Loss} compares the prediction {@code [N, K]} with: either target values {@code [N, K]} (regression,
 * or probabilities for {@link BinaryCrossEntropy}) or one class id per row {@code [N]} (for
 * {@link SoftmaxCrossEntropy}), and optionally a row mask {@code [N]}.
 *
 * <p>The arrays are shared, not copied. Make one with {@link #values(float[])} or {@link #classes(int[])}, then
 * {@link #withMask(float[])} to leave out padding:
 * <pre>{@code
 * Targets t = Targets.classes(labels).withMask(Targets.maskFromLengths(steps, lengths));
 * }</pre>
 *
 * @param values  target values, row-major [N, K], or {@code null} for class targets
 * @param classes class ids [N] in {@code [0, K)} or {@link SoftmaxCrossEntropy#IGNORE}, or {@code null} for value
 *                targets
 * @param rowMask [N], 1 where the row counts and 0 where it is padding (for example time steps past a sequence's
 *                length), or {@code null} if every row counts
 */
public record Targets(float[] values, int[] classes, float[] rowMask) {

    /**
     * @throws IllegalArgumentException unless exactly one of {@code values} and {@code classes} is given, or if a
     *                                  mask entry is neither 0 nor 1
     */
    public Targets {
        if ((values == null) == (classes == null)) {
            throw new IllegalArgumentException("Targets need exactly one of values and classes, got "
                    + (values == null ? "neither" : "both"));
        }
        if (rowMask != null) {
            for (int r = 0; r < rowMask.length; r++) {
                if (rowMask[r] != 0f && rowMask[r] != 1f) {
                    throw new IllegalArgumentException("rowMask[" + r + "] is " + rowMask[r]
                            + "; expected 1 (the row counts) or 0 (padding)");
                }
            }
        }
    }

    /** Target values, row-major [N, K], every row counting. */
    public static Targets values(float[] values) {
        if (values == null) throw new IllegalArgumentException("values is null");
        return new Targets(values, null, null);
    }

    /** One class id per row [N], in {@code [0, K)} or {@link SoftmaxCrossEntropy#IGNORE}; every row counting. */
    public static Targets classes(int[] classes) {
        if (classes == null) throw new IllegalArgumentException("classes is null");
        return new Targets(null, classes, null);
    }

    /** These targets with a row mask [N]: 1 where the row counts, 0 where it is padding. */
    public Targets withMask(float[] rowMask) {
        if (rowMask == null) throw new IllegalArgumentException("rowMask is null");
        return new Targets(values, classes, rowMask);
    }

    /** Whether these are class ids rather than values. */
    public boolean hasClasses() {
        return classes != null;
    }

    /**
     * The row mask [steps * batch] of a time-major batch with per-sequence lengths: row {@code t * batch + b} is 1
     * if {@code t < lengths[b]}, else 0, which matches the rows of a layer's per-step output.
     *
     * @throws IllegalArgumentException if {@code steps} is negative or a length is outside {@code [0, steps]}
     */
    public static float[] maskFromLengths(int steps, int[] lengths) {
        if (steps < 0) throw new IllegalArgumentException("steps is " + steps + "; expected >= 0");
        int batch = lengths.length;
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths[" + b + "] is " + lengths[b] + "; expected 0.." + steps);
            }
        }
        float[] mask = new float[Math.multiplyExact(steps, batch)];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                if (t < lengths[b]) mask[t * batch + b] = 1f;
            }
        }
        return mask;
    }
}
