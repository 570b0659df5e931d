package dev.rnn4j.train;

/**
 * Seeds derived from a run's seed and a position in the run, so that randomness depends on where it is used and
 * never on what ran before: a resumed run regenerates exactly the random numbers of an uninterrupted one.
 *
 * <pre>{@code
 * // in a BatchSource: batch `index` is a function of (seed, index) alone
 * SplittableRandom random = new SplittableRandom(Seeds.derive(seed, index));
 * }</pre>
 *
 * <p>The mixing function is SplitMix64's finaliser (Stafford's variant 13), fixed here so the derived seeds are
 * the same on every JVM and rnn4j version.
 */
public final class Seeds {
    /** Stream of the per-epoch shuffle of a {@link Batcher}. */
    static final long SHUFFLE = 0x5348_5546_464CL;
    /** Stream of the regularisation masks of a training step. */
    static final long MASKS = 0x4D41_534BL;

    private Seeds() {}

    /** A seed for position {@code index} of the run seeded {@code seed}; distinct indices give unrelated seeds. */
    public static long derive(long seed, long index) {
        return mix(mix(seed) + 0x9E3779B97F4A7C15L * (index + 1));
    }

    /** A seed for position {@code index} of stream {@code stream} of the run seeded {@code seed}. */
    public static long derive(long seed, long stream, long index) {
        return derive(derive(seed, stream), index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
