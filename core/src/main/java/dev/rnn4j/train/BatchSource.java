package dev.rnn4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An endless supply of batches, typically a synthetic task's generator.
 *
 * <p><b>Batch {@code index} must be a function of the source's seed and {@code index} alone</b> (derive the
 * randomness with {@code new SplittableRandom(Seeds.derive(seed, index))}, not from a generator that advances
 * call after call): a {@link Trainer} resumed from a checkpoint asks for batches from where the run stopped, and
 * only then do the resumed and the uninterrupted runs see the same data. The trainer asks for indices 0, 1, 2, ...
 * in order, once each; without truncated BPTT index {@code i} is the batch of training step {@code i + 1}.
 */
@FunctionalInterface
public interface BatchSource {

    /** Batch number {@code index} (0, 1, 2, ...), the same every time it is asked for. */
    Batch next(long index);

    /**
     * What identifies the data, for provenance and for refusing to resume a checkpoint on different data: e.g.
     * {@code "copy-task(delay=10,symbols=10,alphabet=8) seed 42"}. Null (the default) when unknown; then nothing is
     * checked.
     */
    default String fingerprint() {
        return null;
    }

    /** Batches {@code 0 .. count-1}, e.g. a fixed validation set drawn from a validation source. */
    default List<Batch> take(int count) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        List<Batch> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(next(i));
        return out;
    }

    /** {@code source} with a fingerprint, e.g. for a lambda: {@code BatchSource.named("adding(T=50) seed 1", i -> ...)}. */
    static BatchSource named(String fingerprint, BatchSource source) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(source, "source");
        return new BatchSource() {
            @Override
            public Batch next(long index) {
                return source.next(index);
            }

            @Override
            public String fingerprint() {
                return fingerprint;
            }

            @Override
            public String toString() {
                return "BatchSource(" + fingerprint + ")";
            }
        };
    }
}
