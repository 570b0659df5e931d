package dev.rnn4j.cell;

import dev.rnn4j.tensor.Parallel;

import java.util.Arrays;

/**
 * Bernoulli masks for dropout and zoneout, as a pure function of a 64-bit key: element i of the mask of key k
 * depends only on (k, i). Masks therefore do not depend on the order in which they are drawn, on the thread
 * count, or on the JIT; the same key always gives the same mask, bit for bit, and drawing allocates nothing.
 *
 * <p>Element i draws {@code u = (mix64(k + (i + 1) * γ) >>> 40) / 2^24}, a uniform float in [0, 1) on a grid
 * of 2^-24 (γ = 0x9E3779B97F4A7C15 and mix64 as in {@link java.util.SplittableRandom}: the draws of element
 * 0, 1, 2, ... are exactly the high 24 bits of {@code new SplittableRandom(k).nextLong()}, called repeatedly).
 * An element is "hit" when {@code u < p}, so a probability p hits a fraction p of the elements up to the 2^-24 grid.
 *
 * <p>Keys of independent streams come from {@link #streamKey(long, long)}.
 *
 * <p><b>Row masks.</b> A batch's masks are drawn row by row ({@link #fillRows}): the values of the sequence in
 * batch row b come from the key {@code streamKey(key, id_b)}, where {@code id_b} is that sequence's id (its index in
 * the dataset, see {@link dev.rnn4j.train.Batch#exampleIds()}). A sequence's mask thus depends on the pass's key
 * and on which sequence it is, not on its position in the batch, the batch size or the padded length: a global batch
 * split over workers in any way draws, for each sequence, exactly the masks one process draws for it.
 */
public final class DropoutMasks {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float TWO_TO_MINUS_24 = 0x1.0p-24f;

    private DropoutMasks() {}

    /** The key of stream {@code stream} under {@code seed}: {@code mix64(seed ^ mix64((stream + 1) * γ))}. */
    public static long streamKey(long seed, long stream) {
        return mix64(seed ^ mix64((stream + 1) * GOLDEN_GAMMA));
    }

    /** The uniform draw in [0, 1) of element {@code index} of the mask of {@code key}. */
    public static float uniform(long key, long index) {
        return (mix64(key + (index + 1) * GOLDEN_GAMMA) >>> 40) * TWO_TO_MINUS_24;
    }

    /**
     * {@code dst[offset + i] = uniform(key, i) < p ? hit : miss} for i in [0, n).
     *
     * <p>Inverted dropout of probability p is {@code fill(key, p, 0, 1 / (1 - p), ...)} (the mask multiplies);
     * a zoneout mask is {@code fill(key, p, 1, 0, ...)} (1 where the previous state is kept).
     */
    public static void fill(long key, float p, float hit, float miss, float[] dst, int offset, int n) {
        if (p <= 0) { // no draw is below 0: skip the hashing
            Arrays.fill(dst, offset, offset + n, miss);
            return;
        }
        for (int i = 0; i < n; i++) dst[offset + i] = uniform(key, i) < p ? hit : miss;
    }

    /**
     * The masks of a batch of sequences, row by row: for row b in [0, batch), step t in [0, steps) and j in
     * [0, width), {@code dst[(t * batch + b) * width + j] = uniform(streamKey(key, id_b), t * width + j) < p ? hit : miss},
     * with {@code id_b = rowIds[b]}, or b when {@code rowIds} is null. {@code dst} is time-major [steps, batch, width];
     * a mask drawn once per sequence (not per step) has {@code steps = 1}.
     */
    public static void fillRows(long key, long[] rowIds, float p, float hit, float miss, float[] dst, int steps, int batch, int width) {
        if (rowIds != null && rowIds.length != batch) {
            throw new IllegalArgumentException(rowIds.length + " row ids for a batch of " + batch);
        }
        if (p <= 0) { // no draw is below 0 (input dropout off beside word dropout): skip the hashing
            Arrays.fill(dst, 0, steps * batch * width, miss);
            return;
        }
        // Rows are independent draws, so they split over the kernel threads without changing a bit: a stacked
        // layer's dropout mask, drawn on one thread, was 5% of a two-thread training step with the other idle.
        long valuesPerRow = (long) steps * width;
        int minRows = (int) Math.max(1, MIN_VALUES_PER_CHUNK / Math.max(1, valuesPerRow));
        Parallel.forRange(batch, minRows, (from, to) -> {
            for (int b = from; b < to; b++) {
                long rowKey = streamKey(key, rowIds == null ? b : rowIds[b]);
                for (int t = 0; t < steps; t++) {
                    int offset = (t * batch + b) * width;
                    long index = (long) t * width;
                    for (int j = 0; j < width; j++) dst[offset + j] = uniform(rowKey, index + j) < p ? hit : miss;
                }
            }
        });
    }

    /** Least mask values per chunk of rows worth a thread: tens of microseconds of hashing. */
    private static final long MIN_VALUES_PER_CHUNK = 1 << 14;

    /** Stafford's 64-bit mix, variant 13 (SplittableRandom's mix64). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
