package dev.rnn4j.spark;

import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.loss.MeanSquaredError;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.StatCounter;

import java.util.Map;

/**
 * A Spark ML estimator of a recurrent sequence regressor: one number per sequence (the label column, any numeric
 * type), trained on the standardised label (mean squared error) and predicted in the label's units. Fits an
 * {@link RnnRegressionModel}.
 */
public final class RnnRegressor extends RnnEstimator<RnnRegressionModel> {
    /** The bundle's task name. */
    public static final String TASK = "spark-regress";

    public RnnRegressor() {
        this(Identifiable.randomUID("rnnRegressor"));
    }

    public RnnRegressor(String uid) {
        super(uid);
    }

    public static MLReader<RnnRegressor> read() {
        return new DefaultParamsReader<>();
    }

    @Override
    protected String task() {
        return TASK;
    }

    @Override
    protected TrainingData trainingData(Dataset<Row> rows) {
        SequenceColumn column = column(rows, SequenceColumn.kindOf(rows.schema(), getOrDefault(inputCol())));
        int input = rows.schema().fieldIndex(getOrDefault(inputCol()));
        int label = columnIndex(rows.schema(), getOrDefault(labelCol()), "label");
        StatCounter stats = rows.toJavaRDD().mapToDouble(r -> labelOf(r, label)).stats();
        double mean = stats.mean(), scale = stats.count() > 1 && stats.stdev() > 0 ? stats.stdev() : 1.0;
        JavaRDD<IndexedExample> examples = rows.toJavaRDD().map(r -> IndexedExample.of(0,
                column.encode(r, input).withValues(new float[] {(float) ((labelOf(r, label) - mean) / scale)})));
        return new TrainingData(examples, column, 1, new MeanSquaredError(), Map.of("label_mean", mean, "label_scale", scale));
    }

    static double labelOf(Row row, int label) {
        if (row.isNullAt(label)) throw new IllegalArgumentException("the label is null in row " + row);
        if (!(row.get(label) instanceof Number n)) {
            throw new IllegalArgumentException("the label must be a number, got " + row.get(label).getClass().getSimpleName() + " in row " + row);
        }
        return n.doubleValue();
    }

    @Override
    protected RnnRegressionModel newModel(String uid, ModelBundle bundle) {
        return new RnnRegressionModel(uid, bundle);
    }
}
