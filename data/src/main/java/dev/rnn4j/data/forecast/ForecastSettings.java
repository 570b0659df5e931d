package dev.rnn4j.data.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What to forecast and how the series becomes examples; the network and the optimisation are
 * {@link dev.rnn4j.data.app.TrainingSettings}.
 *
 * @param target             the column to forecast
 * @param features           covariate columns, read with the target over the window (past values only)
 * @param window             W, steps of history per forecast; 0 chooses from the season (2 seasons, 8 to 64 steps,
 *                           at most a third of the training rows)
 * @param horizon            H, steps ahead predicted at once from each origin (direct multi-output)
 * @param stride             steps between the origins of training examples
 * @param season             the seasonal period m (seasonal-naive baseline, MASE); 0 infers it from the times:
 *                           12 monthly, 7 daily, 52 weekly, 24 hourly, 4 quarterly, else 1
 * @param transform          applied to the target before scaling and undone before any metric or output
 * @param scaling            how the target (and each feature) is scaled, fitted on the training part only
 * @param validationFraction the share of rows, before the test part, whose forecasts validate (early stopping)
 * @param testFraction       the share of rows at the end that is the test part, unless {@code testFrom} is set
 * @param testFrom           the first time of the test part, as written in the file's time column, or null
 * @param intervals          central prediction-interval levels in (0, 1), e.g. [0.8, 0.95]; non-empty switches the
 *                           model to a Gaussian distribution head (mean and scale per step)
 * @param timeFormat         the time column's format as the user gave it ({@code --time-format}), or null when it was
 *                           detected; kept in the bundle so that later files are read the same way
 */
public record ForecastSettings(String target, List<String> features, int window, int horizon, int stride, int season,
                               Transform transform, ScalingKind scaling, double validationFraction, double testFraction,
                               String testFrom, List<Double> intervals, String timeFormat) {

    public static final int DEFAULT_HORIZON = 1;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.15;
    public static final double DEFAULT_TEST_FRACTION = 0.15;

    public ForecastSettings {
        Objects.requireNonNull(target, "target");
        features = List.copyOf(features == null ? List.of() : features);
        intervals = List.copyOf(intervals == null ? List.of() : intervals);
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(scaling, "scaling");
        check(!target.isBlank(), "the target column name is empty");
        check(!features.contains(target), "the target '" + target + "' is also named as a feature");
        check(window >= 0 && window <= 100_000, "window must be 1..100000 steps (or 0 to choose), got " + window);
        check(horizon >= 1 && horizon <= 10_000, "horizon must be 1..10000 steps, got " + horizon);
        check(stride >= 1, "stride must be at least 1, got " + stride);
        check(season >= 0 && season <= 100_000, "season must be 1..100000 steps (or 0 to infer), got " + season);
        check(validationFraction > 0 && validationFraction < 1, "the validation fraction must be in (0, 1), got " + validationFraction);
        check(testFraction > 0 && testFraction < 1 && validationFraction + testFraction < 1,
                "the test fraction must be in (0, 1) and leave rows for training, got " + testFraction);
        for (double level : intervals) {
            check(level > 0 && level < 1, "an interval level must be in (0, 1), e.g. 0.8 or 0.95; got " + level);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /**
     * Defaults for everything but the target: W chosen, H 1, stride 1, season inferred, first differences
     * ({@link Transform#DIFF}: on trending series a model of the changes extrapolates where a model of the levels
     * cannot, and it works for zero and negative values, unlike a log), standard scaling, 70/15/15.
     */
    public static Builder forTarget(String target) {
        return new Builder(target);
    }

    public Builder toBuilder() {
        return new Builder(target).features(features).window(window).horizon(horizon).stride(stride).season(season)
                .transform(transform).scaling(scaling).validationFraction(validationFraction).testFraction(testFraction)
                .testFrom(testFrom).intervals(intervals).timeFormat(timeFormat);
    }

    /** Whether the model predicts a distribution (mean and scale) rather than a point. */
    public boolean probabilistic() {
        return !intervals.isEmpty();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        json.put("features", features);
        json.put("window", window);
        json.put("horizon", horizon);
        json.put("stride", stride);
        json.put("season", season);
        json.put("transform", transform.name().toLowerCase(Locale.ROOT));
        json.put("scaling", scaling.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        json.put("validation_fraction", validationFraction);
        json.put("test_fraction", testFraction);
        json.put("test_from", testFrom);
        json.put("intervals", intervals);
        json.put("time_format", timeFormat);
        return json;
    }

    public static final class Builder {
        private final String target;
        private List<String> features = List.of();
        private int window;
        private int horizon = DEFAULT_HORIZON;
        private int stride = 1;
        private int season;
        private Transform transform = Transform.DIFF;
        private ScalingKind scaling = ScalingKind.STANDARD;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private double testFraction = DEFAULT_TEST_FRACTION;
        private String testFrom;
        private List<Double> intervals = List.of();
        private String timeFormat;

        private Builder(String target) {
            this.target = target;
        }

        public Builder features(List<String> v) {
            features = new ArrayList<>(v);
            return this;
        }

        public Builder window(int v) {
            window = v;
            return this;
        }

        public Builder horizon(int v) {
            horizon = v;
            return this;
        }

        public Builder stride(int v) {
            stride = v;
            return this;
        }

        public Builder season(int v) {
            season = v;
            return this;
        }

        public Builder transform(Transform v) {
            transform = v;
            return this;
        }

        public Builder scaling(ScalingKind v) {
            scaling = v;
            return this;
        }

        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        public Builder testFraction(double v) {
            testFraction = v;
            return this;
        }

        public Builder testFrom(String v) {
            testFrom = v;
            return this;
        }

        public Builder intervals(List<Double> v) {
            intervals = new ArrayList<>(v);
            return this;
        }

        public Builder timeFormat(String v) {
            timeFormat = v;
            return this;
        }

        public ForecastSettings build() {
            return new ForecastSettings(target, features, window, horizon, stride, season, transform, scaling, validationFraction,
                    testFraction, testFrom, intervals, timeFormat);
        }
    }
}
