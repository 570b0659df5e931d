package dev.rnn4j.data.forecast;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.series.Frequency;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that turns a raw series into the model's inputs and its outputs back into the user's units, fitted on
 * the training part and stored in the bundle, so that evaluate, predict and forecast need nothing else.
 *
 * <p>With z = {@link Transform#level}(y) (y itself, or ln y) and the target scaler's scale s:
 * <ul>
 *   <li>the model's inputs at step j of the window that ends at the origin t are: the scaled input series
 *       u_j (u = z, or its first difference z_j − z_{j−1} for a differencing transform), then, for a transform without
 *       differencing, the anchored level (z_j − z_t) / s, then each feature scaled by its own scaler;</li>
 *   <li>the model's target for step t + h is the change from the origin, (z_{t+h} − z_t) / s, so a model that outputs 0
 *       forecasts persistence, and the forecast is z_t + s · output, mapped back by {@link Transform#unlevel}. This
 *       map is monotone, so the bounds of a prediction interval map to bounds.</li>
 * </ul>
 *
 * @param target         the target column's name
 * @param features       the feature columns' names
 * @param timeColumn     the time column's name, or null
 * @param timeFormat     the time format the user gave ({@code --time-format}), or null when it was detected
 * @param frequency      the series' frequency
 * @param season         m, for the seasonal-naive baseline and MASE
 * @param window         W
 * @param horizon        H
 * @param transform      the target's transform
 * @param targetScaler   fitted on the training part of u
 * @param featureScalers one per feature, fitted on its training part
 * @param intervals      interval levels; non-empty for a Gaussian head
 */
public record ForecastPreprocessing(String target, List<String> features, String timeColumn, String timeFormat, Frequency frequency,
                                    int season, int window, int horizon, Transform transform, Scaler targetScaler,
                                    List<Scaler> featureScalers, List<Double> intervals) {

    public ForecastPreprocessing {
        features = List.copyOf(features);
        featureScalers = List.copyOf(featureScalers);
        intervals = List.copyOf(intervals);
        if (featureScalers.size() != features.size()) {
            throw new IllegalArgumentException(features.size() + " features but " + featureScalers.size() + " feature scalers");
        }
    }

    /** Values per step of the model's input. */
    public int inputsPerStep() {
        return 1 + (transform.differenced() ? 0 : 1) + features.size();
    }

    /** Values per example of the model's output: H means, and H scales for a Gaussian head. */
    public int outputs() {
        return probabilistic() ? 2 * horizon : horizon;
    }

    public boolean probabilistic() {
        return !intervals.isEmpty();
    }

    /** The first row that can be in a window: differencing needs the row before it. */
    public int firstUsableRow() {
        return transform.differenced() ? 1 : 0;
    }

    /** The first origin with a whole window of history. */
    public int firstOrigin() {
        return firstUsableRow() + window - 1;
    }

    // ---- the series in model space

    /**
     * The series mapped once, so windows are cut without recomputing: z (levels), u (scaled input series, NaN before
     * the first usable row) and the scaled features, all [n].
     */
    public record Mapped(double[] level, double[] input, double[][] features) {}

    /**
     * Maps a target and its features (each [n], in the user's units).
     *
     * @param lines the file line of each row, for messages; may be null
     * @throws DataFileException naming the line when the transform cannot take a value (log of y ≤ 0)
     */
    public Mapped map(String source, double[] y, double[][] featureValues, int[] lines) {
        int n = y.length;
        double[] z = levels(source, target, transform, y, n, lines);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = i < firstUsableRow() ? Double.NaN : targetScaler.apply(unscaledInput(transform, z, i));
        double[][] f = new double[features.size()][n];
        for (int j = 0; j < features.size(); j++) {
            for (int i = 0; i < n; i++) f[j][i] = featureScalers.get(j).apply(featureValues[j][i]);
        }
        return new Mapped(z, u, f);
    }

    /**
     * z = {@link Transform#level}(y) for the first {@code n} values.
     *
     * @throws DataFileException naming the line and column when the transform cannot take a value (log of y ≤ 0)
     */
    static double[] levels(String source, String column, Transform transform, double[] y, int n, int[] lines) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            try {
                z[i] = transform.level(y[i]);
            } catch (IllegalArgumentException e) {
                throw new DataFileException(source, lines == null ? 0 : lines[i], column, e.getMessage());
            }
        }
        return z;
    }

    /** The model's input series before scaling at row {@code i} (at least the first usable row): z_i, or z_i − z_{i−1}. */
    static double unscaledInput(Transform transform, double[] z, int i) {
        return transform.differenced() ? z[i] - z[i - 1] : z[i];
    }

    /** Maps a whole series whose columns are the target then the features, in this preprocessing's order. */
    public Mapped map(TimeSeries series) {
        double[][] f = new double[features.size()][];
        for (int j = 0; j < features.size(); j++) f[j] = series.values(1 + j);
        return map(series.source(), series.target(), f, series.lines());
    }

    /** Writes the window ending at {@code origin} into {@code out} at {@code offset}, step-major: [W, inputsPerStep]. */
    public void window(Mapped m, int origin, float[] out, int offset, int stepStride) {
        boolean anchored = !transform.differenced();
        double s = targetScaler.scale();
        for (int i = 0; i < window; i++) {
            int row = origin - window + 1 + i;
            int at = offset + i * stepStride;
            out[at++] = (float) m.input()[row];
            if (anchored) out[at++] = (float) ((m.level()[row] - m.level()[origin]) / s);
            for (double[] feature : m.features()) out[at++] = (float) feature[row];
        }
    }

    /** The training target of {@code origin}: (z_{t+h} − z_t) / s for h = 1..H. */
    public float[] target(Mapped m, int origin) {
        float[] t = new float[horizon];
        for (int h = 1; h <= horizon; h++) t[h - 1] = (float) ((m.level()[origin + h] - m.level()[origin]) / targetScaler.scale());
        return t;
    }

    /** A model output (scaled change from the origin) as a value in the user's units. */
    public double toUnits(double originLevel, double output) {
        return transform.unlevel(originLevel + targetScaler.scale() * output);
    }

    // ---- the bundle

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        json.put("features", features);
        json.put("time_column", timeColumn);
        json.put("time_format", timeFormat);
        json.put("frequency", frequency.name());
        json.put("season", season);
        json.put("window", window);
        json.put("horizon", horizon);
        json.put("transform", transform.name());
        json.put("target_scaler", targetScaler.toJson());
        List<Object> scalers = new ArrayList<>();
        for (Scaler s : featureScalers) scalers.add(s.toJson());
        json.put("feature_scalers", scalers);
        json.put("intervals", intervals);
        return json;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException naming the key at fault
     */
    @SuppressWarnings("unchecked")
    public static ForecastPreprocessing fromJson(Map<String, Object> json) {
        try {
            List<String> features = new ArrayList<>();
            for (Object o : (List<Object>) json.get("features")) features.add((String) o);
            List<Scaler> scalers = new ArrayList<>();
            for (Object o : (List<Object>) json.get("feature_scalers")) scalers.add(Scaler.fromJson((Map<String, Object>) o));
            List<Double> intervals = new ArrayList<>();
            for (Object o : (List<Object>) json.get("intervals")) intervals.add(((Number) o).doubleValue());
            return new ForecastPreprocessing((String) required(json, "target"), features, (String) json.get("time_column"),
                    (String) json.get("time_format"), Frequency.valueOf((String) required(json, "frequency")),
                    integer(json, "season"), integer(json, "window"), integer(json, "horizon"),
                    Transform.valueOf((String) required(json, "transform")),
                    Scaler.fromJson((Map<String, Object>) required(json, "target_scaler")), scalers, intervals);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("forecast preprocessing: a key is missing or has the wrong type in " + Json.write(json), e);
        }
    }

    private static Object required(Map<String, Object> json, String key) {
        Object v = json.get(key);
        if (v == null) throw new IllegalArgumentException("forecast preprocessing: '" + key + "' is missing");
        return v;
    }

    private static int integer(Map<String, Object> json, String key) {
        return Math.toIntExact(((Number) required(json, key)).longValue());
    }

    /** "LSTM over W steps of 2 inputs -> 3 steps ahead", for messages. */
    public String describe() {
        return String.format(Locale.ROOT, "%d steps of %d inputs -> %d step%s ahead%s", window, inputsPerStep(), horizon,
                horizon == 1 ? "" : "s", probabilistic() ? " with Gaussian intervals" : "");
    }
}
