package dev.rnn4j.data.forecast;

/** What {@link Scaler#fit} estimates as center and scale. */
public enum ScalingKind {
    /** z-score: center = mean, scale = population standard deviation (divisor n), so scaled values have std 1. */
    STANDARD,
    /** center = min, scale = max − min, so the fitted values map onto [0, 1]. */
    MIN_MAX
}
