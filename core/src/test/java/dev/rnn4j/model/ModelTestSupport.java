package dev.rnn4j.model;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Shared helpers of the model tests: random data, widening to double, and the gradient-check recipe of
 * dev.rnn4j.layer.GradientCheckTest (central differences in double with eps 1e-6; an entry passes when its relative
 * error |a - n| / max(|a|, |n|) is at most 1e-3 or its absolute error at most 1e-5, the float analytic gradient's
 * rounding floor; each tensor must also have some |numeric| above 1e-3 so a check cannot pass vacuously).
 */
final class ModelTestSupport {
    static final double EPS = 1e-6;
    static final double MAX_REL_ERROR = 1e-3;
    static final double MIN_ABS_ERROR = 1e-5;
    static final double MIN_LARGEST_GRADIENT = 1e-3;
    /** Entries checked per tensor, drawn without replacement; all of them for smaller tensors. */
    static final int MAX_SAMPLES = 64;

    private ModelTestSupport() {}

    /** Distinct values uniform in +-bound. */
    static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextDouble(-bound, bound);
        return a;
    }

    static double[] toDouble(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** y [N, K] = x [N, F] W^T + b in double, PyTorch's nn.Linear. */
    static double[] denseForward(double[] x, int n, int f, double[] w, double[] b, int k) {
        double[] y = new double[n * k];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < k; o++) {
                double s = b[o];
                for (int i = 0; i < f; i++) s += x[r * f + i] * w[o * f + i];
                y[r * k + o] = s;
            }
        }
        return y;
    }

    /** rows [N, E] = table[ids[i]] in double, PyTorch's nn.Embedding. */
    static double[] embeddingForward(int[] ids, double[] table, int e) {
        double[] rows = new double[ids.length * e];
        for (int i = 0; i < ids.length; i++) System.arraycopy(table, ids[i] * e, rows, i * e, e);
        return rows;
    }

    /**
     * Compares sampled entries of an analytic gradient with central differences of {@code loss}, perturbing
     * {@code values} (which the loss reads live) in place; appends one line per failure.
     */
    static void check(List<String> failures, String tensor, double[] values, float[] analytic, DoubleSupplier loss,
                      SplittableRandom sampler) {
        if (analytic == null) {
            failures.add(tensor + ": no gradient");
            return;
        }
        if (analytic.length != values.length) {
            failures.add(tensor + ": gradient has " + analytic.length + " entries, expected " + values.length);
            return;
        }
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
                failures.add(String.format("%s[%d]: analytic %.8g, numeric %.8g, rel error %.3g, abs error %.3g",
                        tensor, k, a, numeric, relError, absError));
            }
        }
        if (largest < MIN_LARGEST_GRADIENT) {
            failures.add(tensor + ": largest sampled |gradient| is " + largest + ", too small for a meaningful check");
        }
    }

    private static int[] sample(int n, SplittableRandom sampler) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (n <= MAX_SAMPLES) return all;
        for (int i = 0; i < MAX_SAMPLES; i++) { // partial Fisher-Yates
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
