package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loads and stores for the optimizers' update loops, so that each update formula is written once for full vectors
 * and the masked tail: {@code for (i = 0; i < n; i += LENGTH) { m = tail(i, n); ... load(a, i, m) ... }}.
 */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = VectorMath.SPECIES;
    static final int LENGTH = SPECIES.length();

    private Lanes() {}

    /** {@code null} when a whole vector fits at {@code i}, else the mask of the lanes below {@code n}. */
    static VectorMask<Float> tail(int i, int n) {
        return i + LENGTH <= n ? null : SPECIES.indexInRange(i, n);
    }

    static FloatVector load(float[] a, int i, VectorMask<Float> tail) {
        return tail == null ? FloatVector.fromArray(SPECIES, a, i) : FloatVector.fromArray(SPECIES, a, i, tail);
    }

    static FloatVector broadcast(float v) {
        return FloatVector.broadcast(SPECIES, v);
    }

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

    static void store(FloatVector v, float[] a, int i, VectorMask<Float> tail) {
        if (tail == null) v.intoArray(a, i);
        else v.intoArray(a, i, tail);
    }
}
