package dev.rnn4j.data.forecast;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An affine scaling s = (v − center) / scale, fitted on the training part of a series only so that no
 * statistic of the validation or test part leaks into the model. See {@link ScalingKind} for what center and
 * scale are.
 *
 * @param center subtracted first, in the units of the series
 * @param scale  divided by next, in the units of the series; finite and positive
 */
public record Scaler(ScalingKind kind, double center, double scale) {

    public Scaler {
        if (kind == null) throw new IllegalArgumentException("the scaling kind is missing");
        if (!Double.isFinite(center)) throw new IllegalArgumentException("the center must be finite, got " + center);
        if (!(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("the scale must be finite and positive, got " + scale);
        }
    }

    /**
     * Fits on values[from, to) only.
     *
     * @throws IllegalArgumentException if the range is empty or out of bounds, a value in it is not finite, or the
     *                                  values in it are all equal (no scale) or so
     *                                  large that their statistics overflow
     */
    public static Scaler fit(ScalingKind kind, double[] values, int from, int to) {
        if (kind == null) throw new IllegalArgumentException("the scaling kind is missing");
        if (from < 0 || to > values.length || from >= to) {
            throw new IllegalArgumentException("cannot fit a scaler on [" + from + ", " + to + ") of a series of "
                    + values.length + " values");
        }
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("cannot fit a scaler: value " + i + " is " + values[i]);
            }
        }
        double[] centerAndScale = switch (kind) {
            case STANDARD -> meanAndPopulationStd(values, from, to);
            case MIN_MAX -> minAndRange(values, from, to);
        };
        double center = centerAndScale[0], scale = centerAndScale[1];
        if (scale == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the series is constant over the training part (value %s), so it cannot be scaled; use a longer"
                            + " training part or a series that varies", values[from]));
        }
        if (!Double.isFinite(center) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the %s statistics of the training part overflow a double (center %s, scale %s); rescale the"
                            + " series to smaller units", kind, center, scale));
        }
        return new Scaler(kind, center, scale);
    }

    private static double[] meanAndPopulationStd(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += values[i];
        double mean = sum / (to - from);
        // two passes: the one-pass sum of squares loses the variance of a series far from 0
        double squares = 0;
        for (int i = from; i < to; i++) squares += (values[i] - mean) * (values[i] - mean);
        return new double[] {mean, Math.sqrt(squares / (to - from))};
    }

    private static double[] minAndRange(double[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return new double[] {min, max - min};
    }

    /** (v − center) / scale. */
    public double apply(double v) {
        return (v - center) / scale;
    }

    /** s · scale + center, the inverse of {@link #apply}. */
    public double invert(double s) {
        return s * scale + center;
    }

    /** ds · scale: a difference of scaled values back in the units of the series (the center cancels). */
    public double invertDifference(double ds) {
        return ds * scale;
    }

    /** {"kind": "STANDARD" or "MIN_MAX", "center": number, "scale": number}, for {@code dev.rnn4j.io.Json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind.name());
        json.put("center", center);
        json.put("scale", scale);
        return json;
    }

    /**
     * Reads what {@link #toJson} wrote, as parsed by {@code dev.rnn4j.io.Json} (a number may come back as Long or
     * Double).
     */
    public static Scaler fromJson(Map<String, Object> json) {
        Object kind = json.get("kind");
        if (!(kind instanceof String name)) {
            throw new IllegalArgumentException("scaler JSON needs \"kind\" as a string, got " + kind);
        }
        ScalingKind scalingKind;
        try {
            scalingKind = ScalingKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scaler kind \"" + name + "\"; expected one of "
                    + Arrays.toString(ScalingKind.values()), e);
        }
        return new Scaler(scalingKind, number(json, "center"), number(json, "scale"));
    }

    private static double number(Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("scaler JSON needs \"" + key + "\" as a number, got " + json.get(key));
        }
        return n.doubleValue();
    }
}
