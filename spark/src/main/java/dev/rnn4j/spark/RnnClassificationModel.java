package dev.rnn4j.spark;

import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.train.Example;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * A fitted {@link RnnClassifier}: adds the class probabilities ({@code probabilityCol}, a vector in
 * {@link #classes()} order), the most probable class's index ({@code predictionCol}, a double, as Spark ML
 * classifiers do) and its name ({@code predictedLabelCol}).
 */
public final class RnnClassificationModel extends RnnModel<RnnClassificationModel> {
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> predictedLabelCol;

    public RnnClassificationModel(String uid, ModelBundle bundle) {
        super(uid, bundle);
        predictionCol = new Param<>(this, "predictionCol", "the predicted class index");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities");
        predictedLabelCol = new Param<>(this, "predictedLabelCol", "the predicted class name");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(predictedLabelCol, "predictedLabel");
    }

    public static MLReader<RnnClassificationModel> read() {
        return new BundleIO.Reader<>(RnnClassificationModel.class, RnnClassificationModel::new);
    }

    public static RnnClassificationModel load(String path) {
        return read().load(path);
    }

    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> predictedLabelCol() { return predictedLabelCol; }

    public RnnClassificationModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public RnnClassificationModel setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    public RnnClassificationModel setPredictedLabelCol(String v) {
        set(predictedLabelCol, v);
        return this;
    }

    /** The class names in index order. */
    @SuppressWarnings("unchecked")
    public List<String> classes() {
        return List.copyOf((List<String>) bundle().preprocessing().get("classes"));
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getOrDefault(predictionCol), DataTypes.DoubleType, true),
                DataTypes.createStructField(getOrDefault(probabilityCol), SQLDataTypes.VectorType(), true),
                DataTypes.createStructField(getOrDefault(predictedLabelCol), DataTypes.StringType, true));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected BundleScorer.RowScoring rowScoring(StructType schema) {
        SequenceColumn column = SequenceColumn.fromJson((Map<String, Object>) bundle().preprocessing().get("input"));
        return new Scoring(column, schema.fieldIndex(getOrDefault(inputCol())), classes().toArray(new String[0]));
    }

    private record Scoring(SequenceColumn column, int input, String[] classes) implements BundleScorer.RowScoring {
        public Example input(Row row) {
            return row.isNullAt(input) ? null : column.encode(row, input);
        }

        public Object[] outputs(Row row, float[] logits) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            int best = 0;
            for (int c = 0; c < logits.length; c++) {
                if (logits[c] > max) {
                    max = logits[c];
                    best = c;
                }
            }
            double[] p = new double[logits.length];
            for (int c = 0; c < p.length; c++) sum += p[c] = Math.exp(logits[c] - max);
            for (int c = 0; c < p.length; c++) p[c] /= sum;
            return new Object[] {(double) best, Vectors.dense(p), classes[best]};
        }

        public Object[] unscored() {
            return new Object[3];
        }
    }

    @Override
    public RnnClassificationModel copy(ParamMap extra) {
        return copyValues(new RnnClassificationModel(uid(), bundle()), extra).setParent(parent());
    }
}
