package dev.rnn4j.data.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes {@link AudioFeatures} (see there for the formulas) from samples already at the settings' sample rate.
 * Works in double precision; the FFT is JTransforms' {@link DoubleFFT_1D#realForward}.
 *
 * <p>The window, mel filterbank and DCT matrix are built once per extractor, and the per-frame buffers too, so an
 * extractor is meant to be reused for many recordings, by one thread at a time (not thread-safe).
 *
 * <p>Recordings shorter than {@code n_fft / 2 + 1} samples (16 ms at 16 kHz), which torch's reflect padding refuses,
 * are zero-extended to that length first.
 */
public final class FeatureExtractor {
    private final AudioFeatures settings;
    private final int nFft;
    private final int hop;
    private final int bins;
    private final int mels;
    private final int coefficients;
    /** [nFft]: the periodic Hann window of win_length, centred, zero elsewhere. */
    private final double[] window;
    /** [mels][bins]: triangular HTK mel filters, unnormalised (torchaudio melscale_fbanks transposed). */
    private final double[][] filters;
    /** [mels]: first and last+1 non-zero bin of each filter, to skip the zeros. */
    private final int[] filterFrom;
    private final int[] filterTo;
    /** [coefficients][mels]: orthonormal DCT-II rows, or null for log-mel. */
    private final double[][] dct;
    private final DoubleFFT_1D fft;
    private final double[] frame;
    private final double[] power;
    private final double[] logMel;

    public FeatureExtractor(AudioFeatures settings) {
        this.settings = settings;
        nFft = settings.fftSize();
        hop = settings.hopLength();
        bins = nFft / 2 + 1;
        mels = settings.melBins();
        coefficients = settings.coefficients();
        window = centredHann(settings.windowLength(), nFft);
        filters = melFilters(settings.sampleRate(), bins, mels);
        filterFrom = new int[mels];
        filterTo = new int[mels];
        for (int m = 0; m < mels; m++) {
            int from = 0;
            while (from < bins && filters[m][from] == 0) from++;
            int to = bins;
            while (to > from && filters[m][to - 1] == 0) to--;
            filterFrom[m] = from;
            filterTo[m] = to;
        }
        dct = settings.kind() == FeatureKind.MFCC ? dctII(coefficients, mels) : null;
        fft = new DoubleFFT_1D(nFft);
        frame = new double[nFft];
        power = new double[bins];
        logMel = new double[mels];
    }

    public AudioFeatures settings() {
        return settings;
    }

    /**
     * The features of {@code samples} (at {@link AudioFeatures#sampleRate()}): [T, F] row-major, T =
     * {@link AudioFeatures#frames}, F = {@link AudioFeatures#featuresPerStep()}.
     */
    public float[] compute(float[] samples) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        int length = Math.max(samples.length, nFft / 2 + 1);
        int steps = settings.frames(length);
        int width = settings.featuresPerStep();
        double[] out = new double[steps * width];
        int pad = nFft / 2;
        for (int t = 0; t < steps; t++) {
            int start = t * hop - pad;
            for (int i = 0; i < nFft; i++) {
                frame[i] = window[i] == 0 ? 0 : window[i] * reflected(samples, length, start + i);
            }
            fft.realForward(frame);
            power[0] = frame[0] * frame[0];
            power[bins - 1] = frame[1] * frame[1];
            for (int k = 1; k < bins - 1; k++) power[k] = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
            for (int m = 0; m < mels; m++) {
                double[] filter = filters[m];
                double sum = 0;
                for (int k = filterFrom[m]; k < filterTo[m]; k++) sum += power[k] * filter[k];
                logMel[m] = Math.log(sum + AudioFeatures.LOG_OFFSET);
            }
            int row = t * width;
            if (dct == null) {
                System.arraycopy(logMel, 0, out, row, mels);
            } else {
                for (int c = 0; c < coefficients; c++) {
                    double[] basis = dct[c];
                    double sum = 0;
                    for (int m = 0; m < mels; m++) sum += logMel[m] * basis[m];
                    out[row + c] = sum;
                }
            }
        }
        if (settings.deltas()) {
            delta(out, steps, width, 0, coefficients);
            delta(out, steps, width, coefficients, 2 * coefficients);
        }
        if (settings.cmvn()) normalise(out, steps, width);
        float[] result = new float[out.length];
        for (int i = 0; i < out.length; i++) result[i] = (float) out[i];
        return result;
    }

    /**
     * Reflect padding about the first and last sample (torch's "reflect": x[-1] = x[1]), zeros past an extension
     * to {@code length}.
     */
    private static double reflected(float[] samples, int length, int i) {
        if (i < 0) i = -i;
        if (i >= length) i = 2 * (length - 1) - i;
        return i < samples.length ? samples[i] : 0;
    }

    /**
     * compute_deltas(win_length=5) over time of columns [from, from + C) into [from + C, from + 2C):
     * d[t] = Σ_{k=1}^{2} k (x[min(t+k, T-1)] − x[max(t−k, 0)]) / 10.
     */
    private static void delta(double[] x, int steps, int width, int from, int to) {
        int c = to - from;
        for (int t = 0; t < steps; t++) {
            int row = t * width;
            int up1 = Math.min(t + 1, steps - 1) * width, up2 = Math.min(t + 2, steps - 1) * width;
            int down1 = Math.max(t - 1, 0) * width, down2 = Math.max(t - 2, 0) * width;
            for (int j = from; j < to; j++) {
                x[row + j + c] = ((x[up1 + j] - x[down1 + j]) + 2 * (x[up2 + j] - x[down2 + j])) / 10.0;
            }
        }
    }

    /** Per-column (x − mean) / std over the frames; a constant column becomes 0. */
    static void normalise(double[] x, int steps, int width) {
        for (int j = 0; j < width; j++) {
            double mean = 0;
            for (int t = 0; t < steps; t++) mean += x[t * width + j];
            mean /= steps;
            double variance = 0;
            for (int t = 0; t < steps; t++) {
                double d = x[t * width + j] - mean;
                variance += d * d;
            }
            double std = Math.sqrt(variance / steps);
            // below this a column is constant up to rounding: scaling it up would only amplify noise
            double scale = std > 1e-8 ? 1 / std : 0;
            for (int t = 0; t < steps; t++) x[t * width + j] = (x[t * width + j] - mean) * scale;
        }
    }

    /** torch.hann_window(win, periodic=True) = 0.5 − 0.5 cos(2π n / win), padded to nFft with (nFft − win) / 2 zeros on the left. */
    static double[] centredHann(int win, int nFft) {
        double[] w = new double[nFft];
        int left = (nFft - win) / 2;
        for (int n = 0; n < win; n++) w[left + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / win);
        return w;
    }

    /**
     * torchaudio.functional.melscale_fbanks(bins, 0, sr // 2, mels, sr, norm=None, mel_scale="htk"), transposed:
     * bin k is at f_k = k (sr // 2) / (bins − 1) Hz; mel(f) = 2595 log10(1 + f / 700); band m is the triangle over
     * the mel-equispaced corner frequencies p[m], p[m+1], p[m+2] (peak 1 at p[m+1]).
     */
    static double[][] melFilters(int sampleRate, int bins, int mels) {
        double nyquist = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        double melMax = hzToMel(nyquist);
        double[] corners = new double[mels + 2];
        for (int i = 0; i < mels + 2; i++) corners[i] = melToHz(melMax * i / (mels + 1));
        double[][] fb = new double[mels][bins];
        for (int k = 0; k < bins; k++) {
            double f = nyquist * k / (bins - 1);
            for (int m = 0; m < mels; m++) {
                double down = (f - corners[m]) / (corners[m + 1] - corners[m]);
                double up = (corners[m + 2] - f) / (corners[m + 2] - corners[m + 1]);
                fb[m][k] = Math.max(0, Math.min(down, up));
            }
        }
        return fb;
    }

    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** torchaudio.functional.create_dct(C, M, "ortho"), transposed: row c = sqrt(2/M) cos(π (m + ½) c / M), row 0 also × 1/√2. */
    static double[][] dctII(int coefficients, int mels) {
        double[][] d = new double[coefficients][mels];
        double scale = Math.sqrt(2.0 / mels);
        for (int c = 0; c < coefficients; c++) {
            double rowScale = c == 0 ? scale / Math.sqrt(2) : scale;
            for (int m = 0; m < mels; m++) d[c][m] = Math.cos(Math.PI / mels * (m + 0.5) * c) * rowScale;
        }
        return d;
    }
}
