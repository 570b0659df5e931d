package dev.rnn4j.data.forecast;

import java.util.List;

/**
 * Forecasts from a set of origins, in the user's units, laid out {@code [origin][h]} row-major (the value for
 * origin number o and step h = 1..H is at {@code o * H + h - 1}), as {@link Baselines} lays out its forecasts.
 *
 * @param origins      the origin rows t (the last observed row of each forecast)
 * @param horizon      H
 * @param originValues y_t for each origin, [origins]
 * @param mean         the point forecasts (the Gaussian head's means), [origins * H]
 * @param levels       the interval levels, e.g. [0.8, 0.95]; empty for a point model
 * @param lower        per level, the lower bounds, [levels][origins * H]
 * @param upper        per level, the upper bounds
 */
public record Predictions(int[] origins, int horizon, double[] originValues, double[] mean, List<Double> levels, double[][] lower,
                          double[][] upper) {
}
