package dev.rnn4j.spark;

import dev.rnn4j.train.Example;

import java.io.Serializable;

/**
 * An {@link Example} with its index in the training set, in a form Spark can ship (Java serialization for
 * {@code parallelize}, {@link KryoRegistration} for shuffles and caches): the index orders the batches
 * ({@link dev.rnn4j.train.BatchPlan}) and keys the example's dropout masks, so the ids of a training set are
 * 0..n-1. The fields are {@link Example}'s.
 *
 * @param id the example's index in the training set
 */
public record IndexedExample(long id, float[] features, int[] tokens, int steps, float[] values, int[] classes, boolean perStep)
        implements Serializable {

    public IndexedExample {
        if (id < 0) throw new IllegalArgumentException("an example id must be >= 0, got " + id);
        new Example(features, tokens, steps, values, classes, perStep); // checks the fields
    }

    public static IndexedExample of(long id, Example e) {
        return new IndexedExample(id, e.features(), e.tokens(), e.steps(), e.values(), e.classes(), e.perStep());
    }

    /** The same example with another id. */
    public IndexedExample withId(long newId) {
        return new IndexedExample(newId, features, tokens, steps, values, classes, perStep);
    }

    public Example example() {
        return new Example(features, tokens, steps, values, classes, perStep);
    }
}
