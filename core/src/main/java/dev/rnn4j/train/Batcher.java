package dev.rnn4j.train;

import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.ModelInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch by epoch: padded, time-major, with per-sequence lengths and,
 * for per-step targets, a loss mask over the padding.
 *
 * <p><b>Order.</b> Epoch {@code e} of a run seeded {@code s} visits the examples in an order that depends on
 * {@code (s, e)} alone: a seeded Fisher-Yates shuffle (unless {@link #shuffled(boolean) shuffled(false)}), so a
 * resumed run sees the same batches. With {@link #bucketed(int) bucketing} by k, the shuffled order is cut into
 * chunks of k batches, each chunk is sorted by sequence length (stable) and cut into batches, so that a batch
 * holds sequences of similar lengths (less padding), and then the batches are shuffled.
 *
 * <p><b>Padding.</b> A batch of B examples is T = its longest example's steps long: features [T, B, F] (zeros past
 * a sequence's end) or token ids [T, B] (id 0 past the end); {@code lengths} [B] (null when all are T). Targets:
 * per sequence, classes [B] or values [B, K]; per step, classes [T * B] or values [T * B, K] in time-major row
 * order ({@code t * B + b}), padded with 0 and masked with {@link Targets#maskFromLengths} when lengths differ.
 *
 * <p>Immutable: the {@code shuffled}, {@code bucketed} and {@code dropLast} methods return new batchers.
 */
public final class Batcher {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final int bucketBatches;
    private final boolean dropLast;

    private Batcher(Dataset dataset, int batchSize, boolean shuffle, int bucketBatches, boolean dropLast) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (bucketBatches < 0) throw new IllegalArgumentException("bucketing must be 0 (off) or k >= 1 batches, got " + bucketBatches);
        if (dropLast && dataset.size() < batchSize) {
            throw new IllegalArgumentException("dropLast with " + dataset.size() + " examples and batches of " + batchSize + " leaves no batch");
        }
        if (!dataset.hasTargets()) throw new IllegalArgumentException("the dataset's examples have no targets");
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.bucketBatches = bucketBatches;
        this.dropLast = dropLast;
    }

    /** Batches of {@code batchSize}, shuffled every epoch, no bucketing, keeping a last smaller batch. */
    public static Batcher of(Dataset dataset, int batchSize) {
        return new Batcher(dataset, batchSize, true, 0, false);
    }

    /** Whether each epoch visits the examples in a fresh seeded order (default) or in the dataset's order. */
    public Batcher shuffled(boolean shuffled) {
        return new Batcher(dataset, batchSize, shuffled, bucketBatches, dropLast);
    }

    /** Sorts by length within chunks of {@code k} batches (see the class comment); 0 turns it off. */
    public Batcher bucketed(int k) {
        return new Batcher(dataset, batchSize, shuffle, k, dropLast);
    }

    /** Whether an epoch leaves out its last, smaller batch (default false). */
    public Batcher dropLast(boolean dropLast) {
        return new Batcher(dataset, batchSize, shuffle, bucketBatches, dropLast);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The example indices of every batch of epoch {@code epoch} in a run seeded {@code seed}, a function of
     * {@code (seed, epoch)} alone.
     */
    public int[][] plan(long seed, int epoch) {
        return batchPlan().plan(seed, epoch);
    }

    /** The plan of this batcher's batches, from the examples' lengths (what a distributed trainer plans with). */
    public BatchPlan batchPlan() {
        int[] lengths = new int[dataset.size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = dataset.get(i).steps();
        return new BatchPlan(lengths, batchSize, shuffle, bucketBatches, dropLast);
    }

    /** Batch {@code index} of epoch {@code epoch} (see {@link #plan}). */
    public Batch batch(long seed, int epoch, int index) {
        int[][] plan = plan(seed, epoch);
        Objects.checkIndex(index, plan.length);
        return collate(plan[index]);
    }

    /** All batches of an epoch, in order. */
    public List<Batch> epoch(long seed, int epoch) {
        List<Batch> out = new ArrayList<>();
        for (int[] indices : plan(seed, epoch)) out.add(collate(indices));
        return out;
    }

    /** The batches of the dataset in its own order (no shuffle, no bucketing), e.g. a validation set. */
    public List<Batch> inOrder() {
        return new Batcher(dataset, batchSize, false, 0, dropLast).epoch(0, 0);
    }

    /** One padded batch of the examples at {@code indices}, in that order (see the class comment). */
    public Batch collate(int[] indices) {
        int b = indices.length;
        if (b == 0) throw new IllegalArgumentException("a batch needs at least one example");
        Example[] ex = new Example[b];
        int t = 0;
        for (int i = 0; i < b; i++) {
            ex[i] = dataset.get(indices[i]);
            t = Math.max(t, ex[i].steps());
        }
        ModelInput input = Examples.input(ex);
        int[] lengths = input.lengths();
        boolean ragged = lengths != null;

        int k = dataset.targetSize();
        Targets targets;
        if (!dataset.perStepTargets()) {
            if (dataset.classTargets()) {
                int[] classes = new int[b];
                for (int i = 0; i < b; i++) classes[i] = ex[i].classes()[0];
                targets = Targets.classes(classes);
            } else {
                float[] values = new float[b * k];
                for (int i = 0; i < b; i++) System.arraycopy(ex[i].values(), 0, values, i * k, k);
                targets = Targets.values(values);
            }
        } else {
            if (dataset.classTargets()) {
                int[] classes = new int[t * b];
                for (int i = 0; i < b; i++) {
                    int[] c = ex[i].classes();
                    for (int s = 0; s < c.length; s++) classes[s * b + i] = c[s];
                }
                targets = Targets.classes(classes);
            } else {
                float[] values = new float[t * b * k];
                for (int i = 0; i < b; i++) {
                    float[] v = ex[i].values();
                    for (int s = 0; s < ex[i].steps(); s++) System.arraycopy(v, s * k, values, (s * b + i) * k, k);
                }
                targets = Targets.values(values);
            }
            if (ragged) targets = targets.withMask(Targets.maskFromLengths(t, lengths));
        }
        long[] ids = new long[b];
        for (int i = 0; i < b; i++) ids[i] = indices[i];
        return new Batch(input, targets, ids);
    }

    /** {@code "sha256:<hex>"} of the dataset (see {@link Dataset#sha256()}). */
    public String fingerprint() {
        return "sha256:" + dataset.sha256();
    }

    /** The batching settings as JSON, e.g. {@code {"batch_size":32,"shuffle":true,"bucket_batches":0,"drop_last":false,"examples":100}}. */
    public String settingsJson() {
        return batchPlan().settingsJson();
    }

    @Override
    public String toString() {
        return "Batcher(" + dataset + ", " + settingsJson() + ")";
    }
}
