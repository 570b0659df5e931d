package dev.rnn4j.data.forecast;

/**
 * Checks of forecast intervals and of forecast direction, and the normal quantile for building Gaussian intervals.
 * NaN actuals (steps past the end of the series, see {@link Baselines#actuals}) are skipped, as in
 * {@link ErrorMetrics}.
 */
public final class Intervals {
    private Intervals() {}

    /**
     * Empirical coverage: the fraction, in [0, 1], of the non-NaN actuals with lower[i] ≤ actual[i] ≤ upper[i]
     * (closed interval); NaN if every actual is NaN. Compare it with the nominal level, e.g. 0.9 for a 90% interval.
     */
    public static double coverage(double[] actual, double[] lower, double[] upper) {
        checkSameLength(actual, lower, "lower");
        checkSameLength(actual, upper, "upper");
        int counted = 0, inside = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(actual[i])) continue;
            counted++;
            if (lower[i] <= actual[i] && actual[i] <= upper[i]) inside++;
        }
        return counted == 0 ? Double.NaN : (double) inside / counted;
    }

    /**
     * Directional accuracy (hit rate of the sign of the change), in [0, 1]: over the pairs whose actual is not NaN
     * and differs from the origin value, the fraction with sign(predicted − origin) = sign(actual − origin). A
     * prediction equal to the origin value predicts no direction and counts as a miss. NaN if no pair counts.
     *
     * @param origins for each pair, the last observed value before it (y[t] for a forecast of y[t + h])
     */
    public static double directionalAccuracy(double[] actual, double[] predicted, double[] origins) {
        checkSameLength(actual, predicted, "predicted");
        checkSameLength(actual, origins, "origins");
        int counted = 0, hits = 0;
        for (int i = 0; i < actual.length; i++) {
            // a flat actual has no direction to get right
            if (Double.isNaN(actual[i]) || actual[i] == origins[i]) continue;
            counted++;
            if (Math.signum(predicted[i] - origins[i]) == Math.signum(actual[i] - origins[i])) hits++;
        }
        return counted == 0 ? Double.NaN : (double) hits / counted;
    }

    /**
     * The inverse of the standard normal CDF, Φ⁻¹(p), by Wichura's algorithm AS 241 (PPND16, Applied Statistics
     * 37, 1988), relative error about 1e-16. Φ⁻¹(0) = −∞ and Φ⁻¹(1) = +∞. A central 90% interval is
     * mean ± Φ⁻¹(0.95) · σ.
     *
     * @throws IllegalArgumentException if p is outside [0, 1] or NaN
     */
    public static double normalQuantile(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("a probability must be in [0, 1], got " + p);
        if (p == 0) return Double.NEGATIVE_INFINITY;
        if (p == 1) return Double.POSITIVE_INFINITY;
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * polynomial(CENTRAL_NUMERATOR, r) / polynomial(CENTRAL_DENOMINATOR, r);
        }
        double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
        double z = r <= 5
                ? polynomial(NEAR_NUMERATOR, r - 1.6) / polynomial(NEAR_DENOMINATOR, r - 1.6)
                : polynomial(FAR_NUMERATOR, r - 5) / polynomial(FAR_DENOMINATOR, r - 5);
        return q < 0 ? -z : z;
    }

    /** Coefficients c[0] + c[1]·x + ... (Horner). */
    private static double polynomial(double[] c, double x) {
        double sum = c[c.length - 1];
        for (int i = c.length - 2; i >= 0; i--) sum = sum * x + c[i];
        return sum;
    }

    // AS 241 coefficients, lowest power first; |p − 0.5| ≤ 0.425
    private static final double[] CENTRAL_NUMERATOR = {
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3, 1.3731693765509461125e+4,
        4.5921953931549871457e+4, 6.7265770927008700853e+4, 3.3430575583588128105e+4, 2.5090809287301226727e+3};
    private static final double[] CENTRAL_DENOMINATOR = {
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4, 5.2264952788528545610e+3};
    // tails with r = sqrt(−ln min(p, 1 − p)) ≤ 5
    private static final double[] NEAR_NUMERATOR = {
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
        1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4};
    private static final double[] NEAR_DENOMINATOR = {
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9};
    // far tails, r > 5 (min(p, 1 − p) < about 1.4e-11)
    private static final double[] FAR_NUMERATOR = {
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7};
    private static final double[] FAR_DENOMINATOR = {
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15};

    private static void checkSameLength(double[] actual, double[] other, String name) {
        if (actual.length != other.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " values but " + name + " has "
                    + other.length);
        }
    }
}
