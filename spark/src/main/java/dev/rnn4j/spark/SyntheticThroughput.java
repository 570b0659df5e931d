package dev.rnn4j.spark;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spark-submit example and the throughput measurement of docs/spark.md: trains an LSTM classifier of one of
 * the benchmark grid's sizes (docs/benchmarks.md: S, M, L) on synthetic sequences with {@link SparkTrainer}, and
 * prints examples per second, the step time, and the traffic of a step (parameters broadcast, gradients
 * aggregated: the bytes of the tasks' results, as Spark measures them).
 *
 * <pre>
 * scripts/spark-submit --master 'local[2]' --class dev.rnn4j.spark.SyntheticThroughput \
 *     spark/target/rnn4j-spark.jar --size M --steps 20
 * </pre>
 * Options: {@code --size S|M|L} (default S), {@code --steps N} timed steps (default 20) after {@code --warmup N}
 * (default 3), {@code --partitions N} (default: Spark's default parallelism), or a list {@code --partitions 1,2}
 * with {@code --rounds R}: R rounds of one run per partition count, alternating, so that a shared machine's
 * changing load falls on every count alike (the comparison of docs/spark.md).
 */
public final class SyntheticThroughput {
    private SyntheticThroughput() {}

    /** A grid size: input width I, hidden size H, steps T, global batch B. */
    record Size(int inputs, int hidden, int steps, int batch) {
        static Size of(String name) {
            return switch (name.toUpperCase(Locale.ROOT)) {
                case "S" -> new Size(32, 128, 50, 32);
                case "M" -> new Size(64, 256, 100, 64);
                case "L" -> new Size(128, 512, 100, 64);
                default -> throw new IllegalArgumentException("--size must be S, M or L, got " + name);
            };
        }
    }

    public static void main(String[] args) {
        String size = "S";
        int steps = 20, warmup = 3, rounds = 1;
        String partitions = "0";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--size" -> size = args[i + 1];
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--partitions" -> partitions = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --size S|M|L --steps N --warmup N --partitions N[,N...] --rounds N");
            }
        }
        SparkSession spark = SparkSession.builder().config(SparkTrainer.configure(new SparkConf())).getOrCreate();
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            String[] counts = partitions.split(",");
            double[][] rates = new double[counts.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int c = 0; c < counts.length; c++) {
                    rates[c][r] = run(context, Size.of(size), size.toUpperCase(Locale.ROOT), steps, warmup, Integer.parseInt(counts[c].trim()));
                }
            }
            if (counts.length > 1 || rounds > 1) {
                for (int c = 0; c < counts.length; c++) {
                    double[] sorted = rates[c].clone();
                    java.util.Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "%s partitions: median %.1f examples/s over %d rounds %s%n", counts[c].trim(),
                            sorted[rounds / 2], rounds, java.util.Arrays.toString(rates[c]));
                }
            }
        } finally {
            spark.stop();
        }
    }

    /** Example {@code id}: Gaussian features and a uniform class, from a generator seeded by the id. */
    static IndexedExample syntheticExample(int id, int steps, int inputs, int classes) {
        SplittableRandom random = new SplittableRandom(1_000_003L * id + 1);
        float[] x = new float[steps * inputs];
        for (int j = 0; j < x.length; j++) x[j] = (float) random.nextGaussian();
        return IndexedExample.of(id, Example.ofFeatures(x, steps).withClass(random.nextInt(classes)));
    }

    /** One training run; prints its figures and returns its examples per second. */
    private static double run(JavaSparkContext context, Size size, String name, int steps, int warmup, int partitions) {
        int classes = 10, examples = size.batch() * 4;
        int parts = partitions > 0 ? partitions : context.defaultParallelism();
        // made on the executors, as a real source is read there: a parallelized list would ride along with every task
        List<Integer> ids = new ArrayList<>(examples);
        for (int i = 0; i < examples; i++) ids.add(i);
        int length = size.steps(), inputs = size.inputs();
        JavaRDD<IndexedExample> rdd = context.parallelize(ids, parts).map(i -> syntheticExample(i, length, inputs, classes));
        SequenceModel model = SequenceModel.builder().features(size.inputs()).cell(CellType.LSTM).hiddenSize(size.hidden())
                .head(Head.LAST_STEP).outputs(classes).seed(1).build();
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.adam(1e-3)).loss(new SoftmaxCrossEntropy()).clipNorm(1.0)
                .maxSteps(warmup + steps).seed(1).build();
        List<Double> times = new ArrayList<>();
        Trainer trainer = new Trainer(model, config).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                times.add(m.seconds());
            }
        });
        AtomicLong resultBytes = new AtomicLong();
        AtomicLong tasks = new AtomicLong();
        AtomicLong runMillis = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    resultBytes.addAndGet(end.taskMetrics().resultSize());
                    runMillis.addAndGet(end.taskMetrics().executorRunTime());
                    cpuNanos.addAndGet(end.taskMetrics().executorCpuTime());
                }
                tasks.incrementAndGet();
            }
        };
        context.sc().addSparkListener(counter);
        try {
            new SparkTrainer(context).fit(trainer, rdd, size.batch(), 0, List.of());
        } finally {
            context.sc().removeSparkListener(counter);
        }

        double timed = times.subList(warmup, times.size()).stream().mapToDouble(Double::doubleValue).sum();
        long parameters = ParameterVectors.size(model.parameters());
        System.out.printf(Locale.ROOT, "size %s (I=%d H=%d T=%d B=%d), %d partitions, master %s%n", name, size.inputs(), size.hidden(),
                size.steps(), size.batch(), parts, context.master());
        System.out.printf(Locale.ROOT, "step time %.1f ms (mean of %d steps after %d warm-up), %.1f examples/s%n",
                1000 * timed / steps, steps, warmup, steps * size.batch() / timed);
        System.out.printf(Locale.ROOT, "parameters %d: broadcast %d bytes per step; aggregated results %d bytes per step (%d tasks' results, all steps)%n",
                parameters, 4 * parameters, resultBytes.get() / (warmup + steps), tasks.get());
        System.out.printf(Locale.ROOT, "tasks: %.1f ms run time and %.1f ms CPU time per task (means over all steps)%n",
                (double) runMillis.get() / tasks.get(), cpuNanos.get() / 1e6 / tasks.get());
        return steps * size.batch() / timed;
    }
}
