package dev.rnn4j.spark;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.train.Batcher;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.io.TrainingCheckpoint;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Distributed training equals one process: the same spec, config and examples trained by {@link Trainer#fit} on
 * one JVM and by {@link SparkTrainer} over 2, 3 and 4 partitions of {@code local[2]} give the same parameters within
 * 1e-5 after 20 steps, with ragged lengths (padding and packed sequences) and with dropout and zoneout.
 */
class SparkTrainerTest {
    static final int FEATURES = 3, CLASSES = 3, BATCH = 8, EXAMPLES = 37, STEPS = 20;
    static final double TOLERANCE = 1e-5;

    static List<Example> examples() {
        SplittableRandom random = new SplittableRandom(2026);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            int steps = 2 + random.nextInt(7);
            float[] x = new float[steps * FEATURES];
            for (int j = 0; j < x.length; j++) x[j] = (float) random.nextGaussian();
            // a learnable label: the sign pattern of the first feature's sum
            double s = 0;
            for (int t = 0; t < steps; t++) s += x[t * FEATURES];
            out.add(Example.ofFeatures(x, steps).withClass(s > 1 ? 2 : s < -1 ? 0 : 1));
        }
        return out;
    }

    static SequenceModel model(CellType cell, Regularization regularization) {
        return SequenceModel.builder().features(FEATURES).cell(cell).hiddenSize(6).layers(2).head(Head.LAST_STEP)
                .outputs(CLASSES).regularization(regularization).seed(5).build();
    }

    static TrainConfig config(long maxSteps) {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.02)).loss(new SoftmaxCrossEntropy()).clipNorm(1.0)
                .maxSteps(maxSteps).seed(17).build();
    }

    static Regularization dropout(CellType cell) {
        Regularization.Builder b = Regularization.builder().inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.25).zoneoutHidden(0.1);
        return (cell == CellType.LSTM ? b.zoneoutCell(0.15) : b).build();
    }

    /** The parameters after one process trains for {@code STEPS} steps. */
    static SequenceModel local(CellType cell, Regularization regularization) {
        SequenceModel model = model(cell, regularization);
        new Trainer(model, config(STEPS)).fit(Batcher.of(Dataset.of(examples()), BATCH), List.of());
        return model;
    }

    /** The examples with their ids, spread over {@code partitions} partitions in a scrambled order. */
    static JavaRDD<IndexedExample> distributed(int partitions) {
        List<Example> examples = examples();
        List<IndexedExample> indexed = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) indexed.add(IndexedExample.of(i, examples.get(i)));
        Collections.shuffle(indexed, new Random(partitions));
        return SharedSpark.context().parallelize(indexed, partitions);
    }

    @ParameterizedTest(name = "{0}, {1} partitions, dropout {2}")
    @CsvSource({"LSTM, 2, false", "LSTM, 3, false", "LSTM, 4, false", "GRU, 2, false", "GRU, 3, false", "GRU, 4, false",
            "LSTM, 3, true", "GRU, 4, true"})
    void sparkTrainingEqualsOneProcess(CellType cell, int partitions, boolean withDropout) {
        Regularization regularization = withDropout ? dropout(cell) : Regularization.NONE;
        SequenceModel expected = local(cell, regularization);
        SequenceModel model = model(cell, regularization);
        Trainer trainer = new Trainer(model, config(STEPS));
        TrainResult result = new SparkTrainer(SharedSpark.context()).fit(trainer, distributed(partitions), BATCH, 0, List.of());
        assertEquals(STEPS, result.steps());
        assertMoved(model(cell, regularization), expected);
        assertClose(cell + " over " + partitions + " partitions", expected, model);
    }

    /** Dropout is really on in the runs above: it changes the trained parameters. */
    @Test
    void dropoutChangesTheTrainedParameters() {
        assertFar(local(CellType.LSTM, Regularization.NONE), local(CellType.LSTM, dropout(CellType.LSTM)));
    }

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicLong READS = new AtomicLong();

    /**
     * A task that throws once, in the middle of the run, is retried by Spark; the parameters are those of one
     * process all the same. (Not cached, the examples are read again every step, through the failing map.)
     */
    @Test
    void aTaskThatFailsOnceIsRetriedAndChangesNothing() {
        SequenceModel expected = local(CellType.LSTM, Regularization.NONE);
        FAILED.set(false);
        READS.set(0);
        long failAt = EXAMPLES * 10L + 5; // in step 11
        JavaRDD<IndexedExample> flaky = distributed(3).map(e -> {
            if (READS.incrementAndGet() == failAt && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected task failure");
            }
            return e;
        });
        SequenceModel model = model(CellType.LSTM, Regularization.NONE);
        new SparkTrainer(SharedSpark.context()).cacheExamples(false).fit(new Trainer(model, config(STEPS)), flaky, BATCH, 0, List.of());
        assertTrue(FAILED.get(), "the injected failure happened");
        assertClose("after a retried task", expected, model);
    }

    /** Driver-side checkpoints: a run stopped after 10 steps and resumed from its checkpoint ends as one run of 20. */
    @Test
    void aRunResumedFromItsCheckpointEqualsAnUninterruptedOne(@TempDir Path dir) {
        SequenceModel expected = local(CellType.GRU, Regularization.NONE);
        TrainConfig first = config(10).toBuilder().checkpoints(dir, 5).build();
        new SparkTrainer(SharedSpark.context()).fit(new Trainer(model(CellType.GRU, Regularization.NONE), first), distributed(2), BATCH, 0,
                List.of());
        SequenceModel model = model(CellType.GRU, Regularization.NONE);
        Trainer resumed = new Trainer(model, config(STEPS).toBuilder().checkpoints(dir, 5).build());
        resumed.restore(dir.resolve(TrainingCheckpoint.FILE_NAME));
        assertEquals(10, resumed.step());
        new SparkTrainer(SharedSpark.context()).fit(resumed, distributed(4), BATCH, 0, List.of());
        assertEquals(STEPS, resumed.step());
        assertClose("resumed", expected, model);
    }

    static void assertClose(String what, SequenceModel expected, SequenceModel actual) {
        List<Parameter> e = expected.parameters(), a = actual.parameters();
        for (int i = 0; i < e.size(); i++) {
            float[] x = e.get(i).value(), y = a.get(i).value();
            for (int j = 0; j < x.length; j++) {
                if (Math.abs(x[j] - y[j]) > TOLERANCE) {
                    fail(what + ": " + e.get(i).name() + "[" + j + "] is " + y[j] + ", one process has " + x[j]);
                }
            }
        }
    }

    /** Training changed the parameters by far more than the tolerance (so equality says something). */
    static void assertMoved(SequenceModel initial, SequenceModel trained) {
        assertFar(initial, trained);
    }

    static void assertFar(SequenceModel a, SequenceModel b) {
        double max = 0;
        List<Parameter> x = a.parameters(), y = b.parameters();
        for (int i = 0; i < x.size(); i++) {
            for (int j = 0; j < x.get(i).size(); j++) max = Math.max(max, Math.abs(x.get(i).value()[j] - y.get(i).value()[j]));
        }
        assertTrue(max > 100 * TOLERANCE, "the parameters differ by only " + max);
    }
}
