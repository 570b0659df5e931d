package dev.rnn4j.spark;

import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchGradient;
import dev.rnn4j.train.BatchPlan;
import dev.rnn4j.train.DistributedGradient;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Synchronous data-parallel training on Spark that equals one process: a {@link Trainer} runs on the driver
 * (optimizer, clipping, schedules, validation, checkpoints, resume) and every step's gradient comes from the
 * executors:
 * <ol>
 *   <li>the driver broadcasts the parameters (one float vector);</li>
 *   <li>each partition computes the {@link BatchGradient.Reduction#SUM} gradient of the examples of the step's global
 *       batch that it holds ({@link BatchGradient}: the same formula as one process, with each example's dropout
 *       masks keyed by (seed, step, example id));</li>
 *   <li>{@code treeAggregate} adds the partitions' gradients, losses and weights;</li>
 *   <li>the driver divides by the batch's weight, clips and steps the optimizer.</li>
 * </ol>
 * The batches are those of {@code Batcher.of(dataset, batchSize).bucketed(k)} over the examples in id order
 * ({@link BatchPlan}), so the trained parameters equal a one-process {@code Trainer.fit} on the same examples up to
 * the order of floating-point additions (tests hold them within 1e-5 after 20 steps).
 *
 * <pre>{@code
 * SparkConf conf = SparkTrainer.configure(new SparkConf());
 * JavaRDD<IndexedExample> examples = jsc.parallelize(indexed, 8);   // ids 0..n-1
 * Trainer trainer = new Trainer(model, config);                      // config.checkpoints(...) for a resumable run
 * TrainResult r = new SparkTrainer(jsc).fit(trainer, examples, 32, 0, validation);
 * // after a crash: Trainer.resume(checkpoint), and fit again with the same examples
 * }</pre>
 *
 * <p>A failed task is retried by Spark (set {@code spark.task.maxFailures}; in local mode use
 * {@code local[N,F]}); a retry recomputes the same share from the same broadcast, so the result does not change.
 * The training config's loss must be one {@link dev.rnn4j.train.TrainConfig#fromJson} rebuilds (the executors
 * rebuild it from JSON). Truncated BPTT is not available.
 */
public final class SparkTrainer {
    private final JavaSparkContext context;
    private int aggregationDepth = 2;
    private int taskThreads = 1;
    private boolean cacheExamples = true;

    /**
     * The settings a training run wants, on {@code conf} (returned): Kryo with rnn4j's registration
     * ({@link KryoRegistration#configure}); task results up to 128 MiB (Spark's RPC message limit) sent directly,
     * as a gradient over 1 MiB would otherwise go through the block manager, a second round trip per partition and
     * step; and broadcasts uncompressed (parameters are random floats, which LZ4 cannot shrink but spends time on).
     * On the M model these cut the step here from about 300 to 200 ms (docs/spark.md).
     */
    public static SparkConf configure(SparkConf conf) {
        return KryoRegistration.configure(conf)
                .set("spark.task.maxDirectResultSize", "128m")
                .set("spark.broadcast.compress", "false");
    }

    public SparkTrainer(JavaSparkContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The depth of {@code treeAggregate} (default 2): deeper trees take load off the driver on many partitions. */
    public SparkTrainer aggregationDepth(int depth) {
        if (depth < 1) throw new IllegalArgumentException("aggregation depth must be at least 1, got " + depth);
        this.aggregationDepth = depth;
        return this;
    }

    /** rnn4j kernel threads per Spark task (default 1: match it to {@code spark.task.cpus}). */
    public SparkTrainer taskThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("task threads must be at least 1, got " + threads);
        this.taskThreads = threads;
        return this;
    }

    /**
     * Whether to cache the examples in executor memory for the run (default true; false recomputes them every step).
     * An RDD that is already persisted is used as it is.
     */
    public SparkTrainer cacheExamples(boolean cache) {
        this.cacheExamples = cache;
        return this;
    }

    /**
     * Trains {@code trainer}'s model on {@code examples} (ids 0..n-1, any partitioning) in batches of
     * {@code batchSize}, shuffled every epoch from the trainer's seed, sorted by length within chunks of
     * {@code bucketBatches} batches (0 for none); see the class comment.
     *
     * @param validation batches the driver evaluates at each epoch's end (as {@link Trainer#fit}), or an empty list
     * @throws IllegalArgumentException if the ids are not 0..n-1
     */
    public TrainResult fit(Trainer trainer, JavaRDD<IndexedExample> examples, int batchSize, int bucketBatches, List<Batch> validation) {
        // an RDD the caller persisted stays as it is; one this run caches is released at its end
        boolean cacheHere = cacheExamples && examples.getStorageLevel().equals(StorageLevel.NONE());
        JavaRDD<IndexedExample> data = cacheHere ? examples.persist(StorageLevel.MEMORY_ONLY()) : examples;
        try {
            BatchPlan plan = new BatchPlan(lengths(data), batchSize, true, bucketBatches, false);
            return trainer.fit(plan, gradient(data, trainer), validation);
        } finally {
            if (cacheHere) data.unpersist(false);
        }
    }

    /** Each example's steps, by id; checks that the ids are 0..n-1. */
    private static int[] lengths(JavaRDD<IndexedExample> examples) {
        List<long[]> idAndSteps = examples.map(e -> new long[] {e.id(), e.steps()}).collect();
        int n = idAndSteps.size();
        int[] lengths = new int[n];
        boolean[] seen = new boolean[n];
        for (long[] pair : idAndSteps) {
            long id = pair[0];
            if (id >= n || seen[(int) id]) {
                throw new IllegalArgumentException("the " + n + " training examples need the ids 0.." + (n - 1) + " once each; found id " + id
                        + (id < n ? " twice" : ""));
            }
            seen[(int) id] = true;
            lengths[(int) id] = (int) pair[1];
        }
        return lengths;
    }

    private DistributedGradient gradient(JavaRDD<IndexedExample> examples, Trainer trainer) {
        String spec = trainer.model().spec().toJson();
        String config = trainer.config().toJson();
        int threads = taskThreads, depth = aggregationDepth;
        return (ids, step, parameters) -> {
            Broadcast<float[]> values = context.broadcast(ParameterVectors.values(parameters));
            try {
                GradientSum sum = examples.mapPartitions(share(spec, config, ids.clone(), step, values, threads))
                        .treeAggregate(GradientSum.ZERO, GradientSum::add, GradientSum::add, depth);
                if (sum.gradient() == null) throw new IllegalStateException("no partition holds an example of step " + (step + 1) + "'s batch");
                List<Parameter> all = parameters;
                ParameterVectors.setGrads(all, sum.gradient());
                BatchGradient.divide(all, sum.weight());
                return sum.loss() / sum.weight();
            } finally {
                values.destroy();
            }
        };
    }

    /** The task of one partition: its share's gradient (static, so the closure holds no driver object). */
    private static FlatMapFunction<Iterator<IndexedExample>, GradientSum> share(String spec, String config, int[] ids, long step,
                                                                                 Broadcast<float[]> values, int threads) {
        return partition -> List.of(ShareWorker.of(spec, config).share(partition, ids, step, values.value(), threads)).iterator();
    }
}
