package dev.rnn4j.layer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gradient-check recipe (DL4J's) of every finite-difference test, here and in other packages' tests: sampled
 * entries of an analytic (float) gradient against central differences of a double loss with {@link #EPS}. An entry
 * passes when its relative error |a - n| / max(|a|, |n|) is at most {@link #MAX_REL_ERROR} or its absolute error
 * |a - n| at most {@link #MIN_ABS_ERROR}; each tensor must also have a sampled |numeric| of at least
 * {@link #MIN_LARGEST_GRADIENT}, so that a check cannot pass vacuously. {@link GradientCheckTest} explains the
 * numbers.
 */
public final class GradientAssertions {
    /** The central differences' step. */
    public static final double EPS = 1e-6;
    public static final double MAX_REL_ERROR = 1e-3;
    /** The float analytic gradient's rounding floor, with a margin. */
    public static final double MIN_ABS_ERROR = 1e-5;
    /** The least largest sampled |numeric| of a tensor (the failure message says 1e-3). */
    public static final double MIN_LARGEST_GRADIENT = 1e-3;
    /** Entries checked per tensor, drawn without replacement; all of them for smaller tensors. */
    public static final int MAX_SAMPLES = 64;
    /** Failures listed in a test's message at most. */
    public static final int MAX_REPORTED = 25;

    private GradientAssertions() {}

    /**
     * Compares sampled entries of an analytic gradient with central differences of {@code loss}, perturbing
     * {@code values} (which the loss reads live) in place; appends one line per failure to {@code failures}.
     *
     * @param shape the tensor's shape, to name an entry by its index ({@code h0[1][0][2]}); none: flat ({@code h0[6]})
     */
    public static void check(List<String> failures, String tensor, double[] values, float[] analytic, DoubleSupplier loss,
                             SplittableRandom sampler, int... shape) {
        if (analytic == null) {
            failures.add(tensor + ": no gradient");
            return;
        }
        if (analytic.length != values.length) {
            failures.add(tensor + ": gradient has " + analytic.length + " entries, expected " + values.length);
            return;
        }
        int[] indexShape = shape.length == 0 ? new int[] {values.length} : shape;
        double largest = 0;
        for (int k : sample(values.length, sampler)) {
            double original = values[k];
            values[k] = original + EPS;
            double plus = loss.getAsDouble();
            values[k] = original - EPS;
            double minus = loss.getAsDouble();
            values[k] = original;
            double numeric = (plus - minus) / (2 * EPS);
            double a = analytic[k];
            double absError = Math.abs(a - numeric);
            double scale = Math.max(Math.abs(a), Math.abs(numeric));
            double relError = scale == 0 ? 0 : absError / scale;
            largest = Math.max(largest, Math.abs(numeric));
            if (!(relError <= MAX_REL_ERROR || absError <= MIN_ABS_ERROR)) {
                failures.add(String.format("%s: analytic %.8g, numeric %.8g, abs error %.3g, rel error %.3g",
                        ReferenceFixtures.at(tensor, k, indexShape), a, numeric, absError, relError));
            }
        }
        if (largest < MIN_LARGEST_GRADIENT) {
            failures.add(tensor + ": every sampled numeric gradient is below 1e-3 (largest " + largest + "): vacuous check");
        }
    }

    /** Fails naming the case, the number of failures and the first {@link #MAX_REPORTED} of them, if there are any. */
    public static void assertNoFailures(String name, List<String> failures) {
        if (!failures.isEmpty()) {
            fail(name + ": " + failures.size() + " gradient check failures:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(MAX_REPORTED, failures.size()))));
        }
    }

    /** {@link #MAX_SAMPLES} distinct indices below {@code n} (a partial Fisher-Yates shuffle), or all of them. */
    private static int[] sample(int n, SplittableRandom sampler) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (n <= MAX_SAMPLES) return all;
        for (int i = 0; i < MAX_SAMPLES; i++) {
            int j = i + sampler.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        int[] picked = new int[MAX_SAMPLES];
        System.arraycopy(all, 0, picked, 0, MAX_SAMPLES);
        return picked;
    }
}
