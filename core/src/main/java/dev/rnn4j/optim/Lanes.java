package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.VectorMath;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species and the parallel split of the optimizers' update loops. The loops call the Vector API
 * directly, every load and store masked ({@code m = SPECIES.indexInRange(i, n)}, as fast as an unmasked one with
 * AVX-512), and pass no vector or mask to a method of ours: C2 stops inlining our methods once a compiled unit
 * passes its node budget (a trainer's step inlines the clipping and the update into one), and a vector that then
 * crosses a call is boxed on the heap, once per element group. Helpers that loaded and stored for the loops did
 * just that under Spark: about a gigabyte of garbage per minute from the Adam update alone.
 */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = VectorMath.SPECIES;
    static final int LENGTH = SPECIES.length();

    private Lanes() {}

    /**
     * Runs an elementwise loop over [0, n) split over the kernel threads ({@link Parallel#forRange}) when n is large
     * enough to pay for it: a language model's 4 million parameters take milliseconds per pass through memory.
     * Chunks start at multiples of {@link #LENGTH}; the body steps from {@code from} and masks at {@code to}.
     */
    static void forChunks(int n, Parallel.RangeBody body) {
        int vectors = (n + LENGTH - 1) / LENGTH;
        Parallel.forRange(vectors, MIN_VECTORS_PER_THREAD, (from, to) -> body.run(from * LENGTH, Math.min(n, to * LENGTH)));
    }

    /** 64 K floats: about 10 microseconds of memory traffic, well above the cost of waking a pool worker. */
    private static final int MIN_VECTORS_PER_THREAD = (1 << 16) / 16;
}
