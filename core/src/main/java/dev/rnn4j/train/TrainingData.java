package dev.rnn4j.train;

import java.util.Objects;

/**
 * Where a {@link Trainer}'s batches come from: epochs of a {@link Batcher}, an endless {@link BatchSource}, or a
 * {@link BatchPlan} whose examples are elsewhere and whose gradients a {@link DistributedGradient} computes.
 */
interface TrainingData {
    Batch batch(int epoch, long index);

    /** Where each step's gradient is computed, or null for here (from {@link #batch}). */
    default DistributedGradient distributed() {
        return null;
    }

    /** The dataset indices of the examples of a batch (distributed data only). */
    default int[] exampleIds(int epoch, long index) {
        throw new UnsupportedOperationException("only distributed data names its batches by example ids");
    }

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

    /** Epochs of a {@link BatchPlan}: the examples are on the workers, which compute each step's gradient. */
    final class Planned implements TrainingData {
        private final BatchPlan batchPlan;
        private final DistributedGradient gradient;
        private final long seed;
        private int planEpoch = -1;
        private int[][] plan; // [batches][examples of the batch]

        Planned(BatchPlan batchPlan, DistributedGradient gradient, long seed) {
            this.batchPlan = batchPlan;
            this.gradient = gradient;
            this.seed = seed;
        }

        public Batch batch(int epoch, long index) {
            throw new UnsupportedOperationException("the examples are on the workers");
        }

        public DistributedGradient distributed() {
            return gradient;
        }

        public int[] exampleIds(int epoch, long index) {
            if (epoch != planEpoch) {
                plan = batchPlan.plan(seed, epoch);
                planEpoch = epoch;
            }
            return plan[(int) index];
        }

        public long batchesPerEpoch() {
            return batchPlan.batchesPerEpoch();
        }

        public String fingerprint() {
            return null;
        }

        public String settingsJson() {
            return batchPlan.settingsJson();
        }
    }
}
