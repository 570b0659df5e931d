package dev.rnn4j.train;

import dev.rnn4j.io.Json;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Which examples form each batch of each epoch: {@link Batcher}'s order (see its class comment) from the examples'
 * lengths alone, without the examples. A {@link Batcher} plans with one; a distributed trainer plans with one on
 * the driver while the workers hold the examples ({@link Trainer#fit(BatchPlan, DistributedGradient, java.util.List)}).
 *
 * @param lengths       [n] each example's steps (bucketing sorts by them)
 * @param batchSize     examples per batch
 * @param shuffle       a fresh seeded order every epoch, else the examples' order
 * @param bucketBatches sort by length within chunks of this many batches; 0 for off
 * @param dropLast      leave out an epoch's last, smaller batch
 */
public record BatchPlan(int[] lengths, int batchSize, boolean shuffle, int bucketBatches, boolean dropLast) {
    public BatchPlan {
        Objects.requireNonNull(lengths, "lengths");
        if (lengths.length == 0) throw new IllegalArgumentException("a batch plan needs at least one example");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (bucketBatches < 0) throw new IllegalArgumentException("bucketing must be 0 (off) or k >= 1 batches, got " + bucketBatches);
        if (dropLast && lengths.length < batchSize) {
            throw new IllegalArgumentException("dropLast with " + lengths.length + " examples and batches of " + batchSize + " leaves no batch");
        }
    }

    public int examples() {
        return lengths.length;
    }

    public int batchesPerEpoch() {
        int n = lengths.length;
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The example indices of every batch of epoch {@code epoch} in a run seeded {@code seed}, a function of
     * {@code (seed, epoch)} alone.
     */
    public int[][] plan(long seed, int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        int n = lengths.length;
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, Seeds.SHUFFLE, epoch));
        int[] order = shuffle ? permutation(n, random) : identity(n);
        if (bucketBatches > 0) {
            int chunk = bucketBatches * batchSize;
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                Integer[] part = new Integer[to - from];
                for (int i = from; i < to; i++) part[i - from] = order[i];
                Arrays.sort(part, Comparator.comparingInt(i -> lengths[i])); // stable
                for (int i = from; i < to; i++) order[i] = part[i - from];
            }
        }
        int batches = batchesPerEpoch();
        int[][] plan = new int[batches][];
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            plan[b] = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
        }
        if (bucketBatches > 0 && shuffle) {
            for (int i = batches - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int[] t = plan[i];
                plan[i] = plan[j];
                plan[j] = t;
            }
        }
        return plan;
    }

    /** The settings as JSON, e.g. {@code {"batch_size":32,"shuffle":true,"bucket_batches":0,"drop_last":false,"examples":100}}. */
    public String settingsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batch_size", batchSize);
        json.put("shuffle", shuffle);
        json.put("bucket_batches", bucketBatches);
        json.put("drop_last", dropLast);
        json.put("examples", lengths.length);
        return Json.write(json);
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
