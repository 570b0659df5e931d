package dev.rnn4j.data.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion by windowed-sinc interpolation, the same computation as
 * {@code torchaudio.functional.resample(x, from, to)} with its defaults (Hann-windowed sinc, {@code
 * lowpass_filter_width = 6}, {@code rolloff = 0.99}), so features of resampled audio match torchaudio's pipeline.
 *
 * <p>With both rates divided by their gcd into {@code o} (from) and {@code n} (to), the cutoff is
 * {@code b = 0.99 min(o, n)} (in units of the reduced rates), the half-width {@code w = ceil(6 o / b)} input samples,
 * and output sample {@code i n + p} (0 ≤ p &lt; n) is
 * <pre>
 *   y[i n + p] = Σ_{k=0}^{2w+o-1} x[i o + k - w] h((k - w) / o - p / n),   x = 0 outside the recording
 *   h(τ) = (b / o) sinc(π t) cos²(π t / 12),   t = clamp(b τ, -6, 6),   sinc(u) = sin(u) / u
 * </pre>
 * giving {@code ceil(n L / o)} outputs for {@code L} inputs. Kernels are computed in double and cached per rate pair;
 * an instance is immutable and safe to share between threads.
 */
public final class Resampler {
    static final int LOWPASS_FILTER_WIDTH = 6;
    static final double ROLLOFF = 0.99;
    private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 16;

    private final int from;
    private final int to;
    /** Reduced rates: from / gcd, to / gcd. */
    private final int o;
    private final int n;
    private final int width;
    /** [n][2 width + o]: the filter of output phase p. */
    private final double[][] kernels;

    private Resampler(int from, int to) {
        if (from <= 0 || to <= 0) throw new IllegalArgumentException("sample rates must be positive, got " + from + " and " + to);
        this.from = from;
        this.to = to;
        int gcd = gcd(from, to);
        o = from / gcd;
        n = to / gcd;
        double base = Math.min(o, n) * ROLLOFF;
        width = (int) Math.ceil(LOWPASS_FILTER_WIDTH * o / base);
        int taps = 2 * width + o;
        kernels = new double[n][taps];
        double scale = base / o;
        for (int p = 0; p < n; p++) {
            for (int k = 0; k < taps; k++) {
                double t = ((double) (k - width) / o - (double) p / n) * base;
                t = Math.max(-LOWPASS_FILTER_WIDTH, Math.min(LOWPASS_FILTER_WIDTH, t));
                double window = Math.cos(t * Math.PI / LOWPASS_FILTER_WIDTH / 2);
                double u = t * Math.PI;
                double sinc = u == 0 ? 1.0 : Math.sin(u) / u;
                kernels[p][k] = sinc * window * window * scale;
            }
        }
    }

    /** The resampler from {@code from} Hz to {@code to} Hz (cached: a kernel can take a few hundred KB). */
    public static Resampler of(int from, int to) {
        long key = ((long) from << 32) | (to & 0xFFFF_FFFFL);
        Resampler cached = CACHE.get(key);
        if (cached != null) return cached;
        Resampler made = new Resampler(from, to);
        if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
        CACHE.put(key, made);
        return made;
    }

    public int from() {
        return from;
    }

    public int to() {
        return to;
    }

    /** Output length for {@code length} inputs: {@code ceil(length · to / from)}. */
    public int outputLength(int length) {
        return (int) ((length * (long) n + o - 1) / o);
    }

    /** {@code samples} at {@link #to()} Hz; a copy when the rates are equal. */
    public float[] apply(float[] samples) {
        if (o == n) return samples.clone();
        int length = samples.length;
        float[] out = new float[outputLength(length)];
        int taps = 2 * width + o;
        for (int j = 0; j < out.length; j++) {
            int i = j / n;
            int p = j - i * n;
            double[] h = kernels[p];
            int first = i * o - width;
            // only the taps that land inside the recording: zero padding elsewhere
            int kFrom = Math.max(0, -first);
            int kTo = Math.min(taps, length - first);
            double sum = 0;
            for (int k = kFrom; k < kTo; k++) sum += samples[first + k] * h[k];
            out[j] = (float) sum;
        }
        return out;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
