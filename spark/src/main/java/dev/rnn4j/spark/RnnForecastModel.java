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

/**
 * A fitted {@link RnnForecaster}: adds {@code forecastCol}, the next {@code horizon} values after each series' end
 * ({@code array<double>}; null for a series shorter than the window).
 */
public final class RnnForecastModel extends RnnModel<RnnForecastModel> {
    private final Param<String> forecastCol;

    public RnnForecastModel(String uid, ModelBundle bundle) {
        super(uid, bundle);
        forecastCol = new Param<>(this, "forecastCol", "the forecast of the next values");
        setDefault(forecastCol, "forecast");
        setDefault(inputCol(), "series");
    }

    public static MLReader<RnnForecastModel> read() {
        return new BundleIO.Reader<>(RnnForecastModel.class, RnnForecastModel::new);
    }

    public static RnnForecastModel load(String path) {
        return read().load(path);
    }

    public Param<String> forecastCol() { return forecastCol; }

    public RnnForecastModel setForecastCol(String v) {
        set(forecastCol, v);
        return this;
    }

    /** Past values the model reads. */
    public int window() {
        return ((Number) bundle().preprocessing().get("window")).intValue();
    }

    @Override
    protected void checkInput(StructType schema) {
        RnnForecaster.checkSeries(schema, getOrDefault(inputCol()));
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getOrDefault(forecastCol), DataTypes.createArrayType(DataTypes.DoubleType), true));
    }

    @Override
    protected BundleScorer.RowScoring rowScoring(StructType schema) {
        return new Scoring(schema.fieldIndex(getOrDefault(inputCol())), window());
    }

    private record Scoring(int input, int window) implements BundleScorer.RowScoring {
        public Example input(Row row) {
            double[] series = RnnForecaster.series(row, input);
            return series.length < window ? null : RnnForecaster.windowExample(series, series.length, window);
        }

        public Object[] outputs(Row row, float[] prediction) {
            double[] series = RnnForecaster.series(row, input);
            double[] ls = RnnForecaster.levelAndScale(series, series.length, window);
            double[] forecast = new double[prediction.length];
            for (int i = 0; i < forecast.length; i++) forecast[i] = ls[0] + ls[1] * prediction[i];
            return new Object[] {forecast};
        }

        public Object[] unscored() {
            return new Object[1];
        }
    }

    @Override
    public RnnForecastModel copy(ParamMap extra) {
        return copyValues(new RnnForecastModel(uid(), bundle()), extra).setParent(parent());
    }
}
