package dev.rnn4j.optim;

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

    static void store(FloatVector v, float[] a, int i, VectorMask<Float> tail) {
        if (tail == null) v.intoArray(a, i);
        else v.intoArray(a, i, tail);
    }
}
