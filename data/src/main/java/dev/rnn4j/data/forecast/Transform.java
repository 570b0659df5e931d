package dev.rnn4j.data.forecast;

import java.util.Locale;

/**
 * How the forecasting workflow maps a series before modelling it. This enum only says whether values are
 * logged ({@link #level}/{@link #unlevel}) and whether the workflow should difference them; the differencing
 * itself (expressing inputs and targets relative to the origin's level) is the workflow's business.
 *
 * <ul>
 *   <li>{@link #NONE}: z = y.</li>
 *   <li>{@link #LOG}: z = ln y (y &gt; 0), so errors on z are relative errors on y.</li>
 *   <li>{@link #DIFF}: z = y, differenced by the workflow.</li>
 *   <li>{@link #LOGDIFF}: z = ln y, differenced by the workflow (log returns).</li>
 * </ul>
 */
public enum Transform {
    NONE(false, false),
    LOG(true, false),
    DIFF(false, true),
    LOGDIFF(true, true);

    private final boolean logarithmic;
    private final boolean differenced;

    Transform(boolean logarithmic, boolean differenced) {
        this.logarithmic = logarithmic;
        this.differenced = differenced;
    }

    /** Whether {@link #level} takes the natural log. */
    public boolean logarithmic() {
        return logarithmic;
    }

    /** Whether the workflow should model differences of the level rather than the level itself. */
    public boolean differenced() {
        return differenced;
    }

    /**
     * The level z of a value y: ln y for {@link #LOG} and {@link #LOGDIFF}, y otherwise. NaN stays NaN.
     *
     * @throws IllegalArgumentException for a logarithmic transform and y ≤ 0
     */
    public double level(double y) {
        if (!logarithmic) return y;
        if (y <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the value %s cannot be transformed by %s: log needs positive values; use a transform without log"
                            + " (%s or %s) or shift the series above 0", y, this, NONE, DIFF));
        }
        return Math.log(y);
    }

    /** The inverse of {@link #level}: e^z for a logarithmic transform, z otherwise. */
    public double unlevel(double z) {
        return logarithmic ? Math.exp(z) : z;
    }
}
