package dev.rnn4j.spark;

import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.train.Example;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

/** A fitted {@link RnnRegressor}: adds the prediction in the label's units ({@code predictionCol}, a double). */
public final class RnnRegressionModel extends RnnModel<RnnRegressionModel> {
    private final Param<String> predictionCol;

    public RnnRegressionModel(String uid, ModelBundle bundle) {
        super(uid, bundle);
        predictionCol = new Param<>(this, "predictionCol", "the prediction");
        setDefault(predictionCol, "prediction");
    }

    public static MLReader<RnnRegressionModel> read() {
        return new BundleIO.Reader<>(RnnRegressionModel.class, RnnRegressionModel::new);
    }

    public static RnnRegressionModel load(String path) {
        return read().load(path);
    }

    public Param<String> predictionCol() { return predictionCol; }

    public RnnRegressionModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getOrDefault(predictionCol), DataTypes.DoubleType, true));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected BundleScorer.RowScoring rowScoring(StructType schema) {
        Map<String, Object> pre = bundle().preprocessing();
        return new Scoring(SequenceColumn.fromJson((Map<String, Object>) pre.get("input")), schema.fieldIndex(getOrDefault(inputCol())),
                ((Number) pre.get("label_mean")).doubleValue(), ((Number) pre.get("label_scale")).doubleValue());
    }

    private record Scoring(SequenceColumn column, int input, double mean, double scale) implements BundleScorer.RowScoring {
        public Example input(Row row) {
            return row.isNullAt(input) ? null : column.encode(row, input);
        }

        public Object[] outputs(Row row, float[] prediction) {
            return new Object[] {mean + scale * prediction[0]};
        }

        public Object[] unscored() {
            return new Object[1];
        }
    }

    @Override
    public RnnRegressionModel copy(ParamMap extra) {
        return copyValues(new RnnRegressionModel(uid(), bundle()), extra).setParent(parent());
    }
}
