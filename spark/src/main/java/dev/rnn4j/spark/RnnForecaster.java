package dev.rnn4j.spark;

import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.train.Example;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark ML estimator of a recurrent forecaster over many series: each row's input column is one series
 * ({@code array<double>}, any numeric type), and the model learns the next {@code horizon} values from the last
 * {@code window} ones, over every window of every series. Each window is standardised by its own mean and standard
 * deviation (so series of any level and scale share one model), and the forecast is mapped back. The label column
 * is not used: the series is its own target. Fits an {@link RnnForecastModel}.
 */
public final class RnnForecaster extends RnnEstimator<RnnForecastModel> {
    /** The bundle's task name. */
    public static final String TASK = "spark-forecast";

    private final IntParam window;
    private final IntParam horizon;

    public RnnForecaster() {
        this(Identifiable.randomUID("rnnForecaster"));
    }

    public RnnForecaster(String uid) {
        super(uid);
        window = new IntParam(this, "window", "past values the model reads", ParamValidators.gtEq(1));
        horizon = new IntParam(this, "horizon", "future values it predicts", ParamValidators.gtEq(1));
        setDefault(window, 24);
        setDefault(horizon, 1);
        setDefault(inputCol(), "series");
    }

    public static MLReader<RnnForecaster> read() {
        return new DefaultParamsReader<>();
    }

    public IntParam window() { return window; }
    public IntParam horizon() { return horizon; }

    public RnnForecaster setWindow(int v) {
        set(window, v);
        return this;
    }

    public RnnForecaster setHorizon(int v) {
        set(horizon, v);
        return this;
    }

    @Override
    protected String task() {
        return TASK;
    }

    @Override
    protected void checkInput(StructType schema) {
        checkSeries(schema, getOrDefault(inputCol()));
    }

    static void checkSeries(StructType schema, String column) {
        columnIndex(schema, column, "input");
        if (!(schema.apply(column).dataType() instanceof ArrayType a && a.elementType() instanceof NumericType)) {
            throw new IllegalArgumentException("input column '" + column + "' is " + schema.apply(column).dataType().simpleString()
                    + "; a forecaster reads one series per row, array<double>");
        }
    }

    @Override
    protected TrainingData trainingData(Dataset<Row> rows) {
        int input = rows.schema().fieldIndex(getOrDefault(inputCol()));
        int w = (int) (Integer) getOrDefault(window), h = (int) (Integer) getOrDefault(horizon);
        JavaRDD<IndexedExample> examples = rows.toJavaRDD().flatMap(r -> {
            double[] series = series(r, input);
            List<IndexedExample> out = new ArrayList<>();
            for (int end = w; end + h <= series.length; end++) {
                out.add(IndexedExample.of(0, windowExample(series, end, w).withValues(scaledTargets(series, end, w, h))));
            }
            return out.iterator();
        });
        return new TrainingData(examples, new SequenceColumn(SequenceColumn.Kind.VECTORS, 1, 0), h, new MeanSquaredError(),
                Map.of("window", w, "horizon", h, "scaling", "per-window mean and standard deviation"));
    }

    static double[] series(Row row, int index) {
        if (row.isNullAt(index)) return new double[0];
        List<Object> values = row.getList(index);
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) values.get(i)).doubleValue();
        return out;
    }

    /** {mean, standard deviation (1 when 0)} of series[end - w, end). */
    static double[] levelAndScale(double[] series, int end, int w) {
        double sum = 0, squares = 0;
        for (int i = end - w; i < end; i++) sum += series[i];
        double mean = sum / w;
        for (int i = end - w; i < end; i++) squares += (series[i] - mean) * (series[i] - mean);
        double sd = Math.sqrt(squares / w);
        return new double[] {mean, sd > 1e-12 ? sd : 1.0};
    }

    /** The standardised window series[end - w, end) as a [w, 1] input. */
    static Example windowExample(double[] series, int end, int w) {
        double[] ls = levelAndScale(series, end, w);
        float[] x = new float[w];
        for (int i = 0; i < w; i++) x[i] = (float) ((series[end - w + i] - ls[0]) / ls[1]);
        return Example.ofFeatures(x, w);
    }

    private static float[] scaledTargets(double[] series, int end, int w, int h) {
        double[] ls = levelAndScale(series, end, w);
        float[] y = new float[h];
        for (int i = 0; i < h; i++) y[i] = (float) ((series[end + i] - ls[0]) / ls[1]);
        return y;
    }

    @Override
    protected RnnForecastModel newModel(String uid, ModelBundle bundle) {
        return new RnnForecastModel(uid, bundle);
    }
}
