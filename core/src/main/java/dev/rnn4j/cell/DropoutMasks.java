package dev.rnn4j.cell;

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
        for (int i = 0; i < n; i++) dst[offset + i] = uniform(key, i) < p ? hit : miss;
    }

    /** Stafford's 64-bit mix, variant 13 (SplittableRandom's mix64). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
