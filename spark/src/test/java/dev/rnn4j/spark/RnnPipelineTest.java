package dev.rnn4j.spark;

import dev.rnn4j.train.Example;
import dev.rnn4j.train.Examples;
import dev.rnn4j.tensor.Matrix;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark ML interfaces: fit and transform in a Pipeline, every input column kind, save and load. */
class RnnPipelineTest {
    static SparkSession spark() {
        return SharedSpark.session();
    }

    /** Sequences of 2 features, 3..8 steps; the class is whether the first feature sums above 0. */
    static Dataset<Row> vectorRows(int n, boolean asVectors) {
        SplittableRandom random = new SplittableRandom(n);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int steps = 3 + random.nextInt(6);
            List<Object> seq = new ArrayList<>();
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                double a = random.nextGaussian(), b = random.nextGaussian();
                sum += a;
                seq.add(asVectors ? Vectors.dense(a, b) : List.of((float) a, (float) b));
            }
            rows.add(RowFactory.create(seq, sum > 0 ? "up" : "down", sum));
        }
        StructType schema = new StructType()
                .add("sequence", DataTypes.createArrayType(asVectors ? SQLDataTypes.VectorType() : DataTypes.createArrayType(DataTypes.FloatType)))
                .add("label", DataTypes.StringType)
                .add("total", DataTypes.DoubleType);
        return spark().createDataFrame(rows, schema);
    }

    @Test
    void aClassifierFitsAndTransformsInAPipelineAndSavesAndLoads(@TempDir Path dir) throws Exception {
        Dataset<Row> train = vectorRows(64, false);
        RnnClassifier rnn = new RnnClassifier();
        rnn.setHiddenSize(8).setBatchSize(32).setEpochs(15).setLearningRate(0.05).setSeed(3);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {rnn}).fit(train);
        Dataset<Row> scored = fitted.transform(train);
        List<Row> out = scored.select("label", "prediction", "probability", "predictedLabel", "sequence").collectAsList();
        assertEquals(64, out.size());
        int right = 0;
        for (Row r : out) {
            double[] p = ((Vector) r.get(2)).toArray();
            assertEquals(1.0, p[0] + p[1], 1e-9);
            if (r.getString(0).equals(r.getString(3))) right++;
        }
        assertTrue(right >= 48, "the classifier learned the sign of the sum: " + right + " of 64 right");

        RnnClassificationModel model = (RnnClassificationModel) fitted.stages()[0];
        assertEquals(List.of("down", "up"), model.classes());
        // the batched, distributed scores are the network's own on each row
        SequenceColumn column = new SequenceColumn(SequenceColumn.Kind.VECTORS, 2, 0);
        for (Row r : out.subList(0, 5)) {
            Example e = column.encode(RowFactory.create(r.get(4)), 0);
            Matrix logits = model.bundle().model().forward(Examples.input(e));
            double z = Math.exp(logits.get(0, 1) - logits.get(0, 0));
            assertEquals(z / (1 + z), ((Vector) r.get(2)).toArray()[1], 1e-6);
        }

        model.setScoringBatchSize(7);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> again = loaded.transform(train).select("probability").collectAsList();
        for (int i = 0; i < out.size(); i++) assertArrayEquals(((Vector) out.get(i).get(2)).toArray(), ((Vector) again.get(i).get(0)).toArray());
        RnnClassificationModel reloaded = (RnnClassificationModel) loaded.stages()[0];
        assertEquals(7, (int) (Integer) reloaded.getOrDefault(reloaded.scoringBatchSize()), "the Params are saved too");
        assertEquals(model.uid(), reloaded.uid());
    }

    @Test
    void vectorColumnsTokenIdsAndDnaStringsAreSequences() {
        // array<vector>
        RnnClassifier rnn = new RnnClassifier();
        rnn.setHiddenSize(4).setBatchSize(16).setEpochs(1);
        Dataset<Row> vectors = vectorRows(20, true);
        assertEquals(20, rnn.fit(vectors).transform(vectors).count());
        // token ids
        List<Row> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) tokens.add(RowFactory.create(List.of(i % 5, (i + 1) % 5, (i * 3) % 5), i % 2));
        Dataset<Row> tokenRows = spark().createDataFrame(tokens, new StructType()
                .add("sequence", DataTypes.createArrayType(DataTypes.IntegerType)).add("label", DataTypes.IntegerType));
        RnnClassificationModel tokenModel = rnn.fit(tokenRows);
        assertEquals(5, tokenModel.bundle().model().spec().vocabulary());
        assertEquals(List.of("0", "1"), tokenModel.classes());
        assertEquals(20, tokenModel.transform(tokenRows).filter("prediction IS NOT NULL").count());
        // DNA strings
        List<Row> dna = new ArrayList<>();
        String[] bases = {"ACGTAC", "GGGCCA", "TTATAA", "ACGGGT", "CATTAG"};
        for (int i = 0; i < 20; i++) dna.add(RowFactory.create(bases[i % 5], bases[i % 5].contains("GG") ? "rich" : "poor"));
        Dataset<Row> dnaRows = spark().createDataFrame(dna, new StructType().add("sequence", DataTypes.StringType).add("label", DataTypes.StringType));
        RnnClassificationModel dnaModel = rnn.fit(dnaRows);
        assertEquals(4, dnaModel.bundle().model().spec().features());
        assertEquals(20, dnaModel.transform(dnaRows).count());
    }

    @Test
    void aColumnThatHoldsNoSequenceIsAClearError() {
        Dataset<Row> rows = vectorRows(4, false);
        RnnClassifier rnn = new RnnClassifier();
        rnn.setInputCol("total");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rnn.fit(rows));
        assertTrue(e.getMessage().startsWith("input column 'total' is double; a sequence column is array<array<float>>"), e.getMessage());
        rnn.setInputCol("missing");
        e = assertThrows(IllegalArgumentException.class, () -> rnn.fit(rows));
        assertTrue(e.getMessage().startsWith("input column 'missing' is not in the DataFrame"), e.getMessage());
    }

    @Test
    void aRegressorPredictsInTheLabelsUnits(@TempDir Path dir) throws Exception {
        Dataset<Row> rows = vectorRows(64, false);
        RnnRegressor rnn = new RnnRegressor();
        rnn.setLabelCol("total").setHiddenSize(8).setBatchSize(32).setEpochs(15).setLearningRate(0.05);
        RnnRegressionModel model = rnn.fit(rows);
        List<Row> out = model.transform(rows).select("total", "prediction").collectAsList();
        double squared = 0, variance = 0, mean = out.stream().mapToDouble(r -> r.getDouble(0)).average().orElseThrow();
        for (Row r : out) {
            squared += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
            variance += Math.pow(r.getDouble(0) - mean, 2);
        }
        assertTrue(squared < 0.5 * variance, "mean squared error " + squared / 64 + " vs the label's variance " + variance / 64);
        String path = dir.resolve("regressor").toString();
        model.write().save(path);
        List<Row> again = RnnRegressionModel.load(path).transform(rows).select("prediction").collectAsList();
        for (int i = 0; i < out.size(); i++) assertEquals(out.get(i).getDouble(1), again.get(i).getDouble(0));
    }

    /** An estimator with a checkpoint directory resumes a stopped fit there: 2 epochs, then 2 more, equal 4 at once. */
    @Test
    void aFitResumesFromItsCheckpointDirectory(@TempDir Path dir) {
        Dataset<Row> rows = vectorRows(40, false);
        RnnRegressor once = new RnnRegressor();
        once.setLabelCol("total").setHiddenSize(6).setBatchSize(16).setEpochs(4);
        float[][] expected = values(once.fit(rows));
        RnnRegressor first = new RnnRegressor();
        first.setLabelCol("total").setHiddenSize(6).setBatchSize(16).setEpochs(2).setCheckpointDir(dir.toString());
        float[][] half = values(first.fit(rows));
        RnnRegressor resumed = new RnnRegressor();
        resumed.setLabelCol("total").setHiddenSize(6).setBatchSize(16).setEpochs(4).setCheckpointDir(dir.toString());
        float[][] actual = values(resumed.fit(rows));
        double moved = 0, off = 0;
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                moved = Math.max(moved, Math.abs(expected[p][i] - half[p][i]));
                off = Math.max(off, Math.abs(expected[p][i] - actual[p][i]));
            }
        }
        assertTrue(moved > 1e-3, "the last 2 epochs changed the parameters: " + moved);
        assertTrue(off <= 1e-5, "resumed differs from one fit by " + off);
    }

    private static float[][] values(RnnModel<?> model) {
        return model.bundle().model().parameters().stream().map(p -> p.value().clone()).toArray(float[][]::new);
    }

    @Test
    void aForecasterForecastsEachSeriesAfterItsEnd() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            double[] y = new double[40];
            for (int t = 0; t < y.length; t++) y[t] = 100 * s + (s + 1) * Math.sin(2 * Math.PI * t / 8.0 + s);
            rows.add(RowFactory.create(Arrays.stream(y).boxed().toList()));
        }
        rows.add(RowFactory.create(List.of(1.0, 2.0))); // shorter than the window: no forecast
        Dataset<Row> series = spark().createDataFrame(rows, new StructType().add("series", DataTypes.createArrayType(DataTypes.DoubleType)));
        RnnForecaster rnn = new RnnForecaster().setWindow(8).setHorizon(2);
        rnn.setHiddenSize(12).setBatchSize(64).setEpochs(10).setLearningRate(0.03);
        RnnForecastModel model = rnn.fit(series);
        List<Row> out = model.transform(series).select("series", "forecast").collectAsList();
        double error = 0, naive = 0;
        for (int s = 0; s < 8; s++) {
            List<Double> f = out.get(s).getList(1);
            assertEquals(2, f.size());
            for (int k = 0; k < 2; k++) {
                double truth = 100 * s + (s + 1) * Math.sin(2 * Math.PI * (40 + k) / 8.0 + s);
                error += Math.abs(f.get(k) - truth);
                naive += Math.abs(((Number) out.get(s).getList(0).get(39)).doubleValue() - truth);
            }
        }
        assertTrue(error < 0.5 * naive, "forecast error " + error + " vs the last value's " + naive);
        assertNull(out.get(8).get(1));
    }
}
