package dev.rnn4j.data.forecast;

/**
 * Naive forecasts that a model must beat, and the MASE scale.
 *
 * <p>Every method takes the whole series {@code y}, the forecast origins (0-based index t of the last observed
 * value, so y[0..t] is known) and the horizon H ≥ 1, and returns H values per origin laid out {@code [origin][h]}
 * row-major: the value for origin number {@code o} and step {@code h} (1..H) is at {@code o * H + (h - 1)}.
 */
public final class Baselines {
    private Baselines() {}

    /** Persistence (random-walk) forecast: ŷ(t + h) = y[t] for every h. */
    public static double[] persistence(double[] y, int[] origins, int horizon) {
        return seasonalNaive(y, origins, horizon, 1);
    }

    /**
     * Seasonal naive forecast with season length m: ŷ(t + h) = y[t + h − m · ceil(h / m)], the last observed value
     * of the same season, so steps beyond one season repeat the last observed season. m = 1 is persistence.
     *
     * @throws IllegalArgumentException if an origin has fewer than m observed values (t + 1 < m)
     */
    public static double[] seasonalNaive(double[] y, int[] origins, int horizon, int seasonLength) {
        if (seasonLength < 1) throw new IllegalArgumentException("the season length must be at least 1, got " + seasonLength);
        checkOrigins(y, origins, horizon);
        double[] forecast = new double[Math.multiplyExact(origins.length, horizon)];
        for (int o = 0; o < origins.length; o++) {
            int t = origins[o];
            if (t + 1 < seasonLength) {
                throw new IllegalArgumentException("origin " + t + " has " + (t + 1) + " values of history, fewer than "
                        + "one season (" + seasonLength + "), so the seasonal naive forecast has no value to repeat");
            }
            for (int h = 1; h <= horizon; h++) {
                int seasonsBack = (h + seasonLength - 1) / seasonLength; // ceil(h / m)
                forecast[o * horizon + h - 1] = y[t + h - seasonLength * seasonsBack];
            }
        }
        return forecast;
    }

    /**
     * The actual values y[t + h] in the same layout as the forecasts; NaN where t + h is past the end of the series.
     * {@link ErrorMetrics#of} skips the pairs whose actual is NaN.
     */
    public static double[] actuals(double[] y, int[] origins, int horizon) {
        checkOrigins(y, origins, horizon);
        double[] actual = new double[Math.multiplyExact(origins.length, horizon)];
        for (int o = 0; o < origins.length; o++) {
            for (int h = 1; h <= horizon; h++) {
                int index = origins[o] + h;
                actual[o * horizon + h - 1] = index < y.length ? y[index] : Double.NaN;
            }
        }
        return actual;
    }

    /**
     * The MASE denominator of the M4 competition: the in-sample MAE of the one-season-back naive forecast,
     * mean over i = m..n−1 of |history[i] − history[i − m]|, in the units of the series. It is 0 for a constant or
     * exactly m-periodic history, and then {@link ErrorMetrics#of} reports MASE as NaN.
     *
     * @throws IllegalArgumentException if the history has m values or fewer (no difference to average)
     */
    public static double seasonalNaiveScale(double[] history, int seasonLength) {
        if (seasonLength < 1) throw new IllegalArgumentException("the season length must be at least 1, got " + seasonLength);
        if (history.length <= seasonLength) {
            throw new IllegalArgumentException("the MASE scale needs more than one season of history: " + history.length
                    + " values for season length " + seasonLength);
        }
        double sum = 0;
        for (int i = seasonLength; i < history.length; i++) sum += Math.abs(history[i] - history[i - seasonLength]);
        return sum / (history.length - seasonLength);
    }

    private static void checkOrigins(double[] y, int[] origins, int horizon) {
        if (horizon < 1) throw new IllegalArgumentException("the horizon must be at least 1, got " + horizon);
        for (int t : origins) {
            if (t < 0 || t >= y.length) {
                throw new IllegalArgumentException("origin " + t + " is outside the series of " + y.length + " values");
            }
        }
    }
}
