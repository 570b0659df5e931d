package dev.rnn4j.train;

import java.util.Objects;

/** Where a {@link Trainer}'s batches come from: epochs of a {@link Batcher}, or an endless {@link BatchSource}. */
interface TrainingData {
    Batch batch(int epoch, long index);

    /** -1 for an endless source. */
    long batchesPerEpoch();

    String fingerprint();

    String settingsJson();

    record Endless(BatchSource source) implements TrainingData {
        public Batch batch(int epoch, long index) {
            return Objects.requireNonNull(source.next(index), "the batch source returned null for batch " + index);
        }

        public long batchesPerEpoch() {
            return -1;
        }

        public String fingerprint() {
            return source.fingerprint();
        }

        public String settingsJson() {
            return null;
        }
    }

    final class Epochs implements TrainingData {
        private final Batcher batcher;
        private final long seed;
        private int planEpoch = -1;
        private int[][] plan; // [batches][examples of the batch]

        Epochs(Batcher batcher, long seed) {
            this.batcher = batcher;
            this.seed = seed;
        }

        public Batch batch(int epoch, long index) {
            if (epoch != planEpoch) {
                plan = batcher.plan(seed, epoch);
                planEpoch = epoch;
            }
            return batcher.collate(plan[(int) index]);
        }

        public long batchesPerEpoch() {
            return batcher.batchesPerEpoch();
        }

        public String fingerprint() {
            return batcher.fingerprint();
        }

        public String settingsJson() {
            return batcher.settingsJson();
        }
    }
}
