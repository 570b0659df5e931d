package dev.rnn4j.data.audio;

import java.util.Objects;

/**
 * Settings of the speech features: a log-mel spectrogram or MFCCs, optionally with deltas and per-utterance
 * normalisation. {@link FeatureExtractor} computes them; the pipeline is the one of
 * {@code torchaudio.transforms.MelSpectrogram} / {@code MFCC(log_mels=True)} with these arguments:
 * <pre>
 *   win_length = round(sampleRate · frameMillis / 1000)       (25 ms: 400 samples at 16 kHz)
 *   hop_length = round(sampleRate · shiftMillis / 1000)       (10 ms: 160 samples)
 *   n_fft      = the next power of two ≥ win_length           (512)
 *   window     = periodic Hann of win_length, centred in the n_fft frame
 *   center     = True, pad_mode = "reflect": frame t covers samples [t·hop − n_fft/2, t·hop + n_fft/2),
 *                so T = 1 + floor(N / hop) frames for N samples
 *   power = 2, f_min = 0, f_max = sampleRate / 2, n_mels = melBins, mel_scale = "htk", norm = None
 *   log-mel    = log(mel + 1e-6)                               (natural log; torchaudio MFCC's log offset)
 *   MFCC       = DCT-II, norm = "ortho", of the log-mel, first n_mfcc = coefficients
 * </pre>
 * then, when {@link #deltas()}, the first and second differences of
 * {@code torchaudio.functional.compute_deltas(x, win_length=5)}: {@code d[t] = Σ_{k=1}^{2} k (x[t+k] − x[t−k]) / 10},
 * edges replicated, appended after the coefficients ({@code [c, Δc, ΔΔc]}); then, when {@link #cmvn()}, each of
 * the F values per step is shifted and scaled to mean 0 and standard deviation 1 over the utterance's frames
 * (population standard deviation; a constant value becomes 0).
 *
 * @param kind         log-mel or MFCC
 * @param sampleRate   Hz; audio at another rate is resampled to it first ({@link Resampler})
 * @param melBins      mel bands (40)
 * @param coefficients MFCCs kept (13); equals {@code melBins} for {@link FeatureKind#LOGMEL}
 * @param frameMillis  analysis window, ms (25)
 * @param shiftMillis  hop between frames, ms (10)
 * @param deltas       append first- and second-order deltas
 * @param cmvn         per-utterance mean and variance normalisation of every value per step
 */
public record AudioFeatures(FeatureKind kind, int sampleRate, int melBins, int coefficients, double frameMillis,
                            double shiftMillis, boolean deltas, boolean cmvn) {
    public static final int DEFAULT_SAMPLE_RATE = 16_000;
    public static final int DEFAULT_MEL_BINS = 40;
    public static final int DEFAULT_MFCC = 13;
    public static final double DEFAULT_FRAME_MILLIS = 25;
    public static final double DEFAULT_SHIFT_MILLIS = 10;
    /** Added to the mel power before the log, as torchaudio's MFCC(log_mels=True) does. */
    public static final double LOG_OFFSET = 1e-6;

    public AudioFeatures {
        Objects.requireNonNull(kind, "kind");
        if (sampleRate < 1000) throw new IllegalArgumentException("sample rate must be at least 1000 Hz, got " + sampleRate);
        if (melBins < 1) throw new IllegalArgumentException("mel bins must be positive, got " + melBins);
        if (kind == FeatureKind.LOGMEL && coefficients != melBins) {
            throw new IllegalArgumentException("log-mel features have one value per mel bin: coefficients " + coefficients + " != mel bins " + melBins);
        }
        if (coefficients < 1 || coefficients > melBins) {
            throw new IllegalArgumentException("MFCC coefficients must be in 1.." + melBins + " (the mel bins), got " + coefficients);
        }
        if (!(frameMillis > 0) || !(shiftMillis > 0)) {
            throw new IllegalArgumentException("frame length and shift must be positive, got " + frameMillis + " ms and " + shiftMillis + " ms");
        }
        int window = (int) Math.round(sampleRate * frameMillis / 1000);
        int hop = (int) Math.round(sampleRate * shiftMillis / 1000);
        if (window < 2 || hop < 1 || window > 1 << 20) {
            throw new IllegalArgumentException(frameMillis + " ms frames and " + shiftMillis + " ms shifts at " + sampleRate
                    + " Hz give " + window + "- and " + hop + "-sample frames and hops");
        }
        if (melBins > fftSize(window) / 2) {
            throw new IllegalArgumentException(melBins + " mel bins need more than the " + (fftSize(window) / 2 + 1)
                    + " FFT bins of " + frameMillis + " ms frames at " + sampleRate + " Hz");
        }
    }

    /** 40 log-mel bands at {@code sampleRate}, 25 ms / 10 ms frames, no deltas, no normalisation. */
    public static AudioFeatures logMel(int sampleRate) {
        return new AudioFeatures(FeatureKind.LOGMEL, sampleRate, DEFAULT_MEL_BINS, DEFAULT_MEL_BINS, DEFAULT_FRAME_MILLIS,
                DEFAULT_SHIFT_MILLIS, false, false);
    }

    /** 13 MFCCs from 40 mel bands at {@code sampleRate}, 25 ms / 10 ms frames, no deltas, no normalisation. */
    public static AudioFeatures mfcc(int sampleRate) {
        return new AudioFeatures(FeatureKind.MFCC, sampleRate, DEFAULT_MEL_BINS, DEFAULT_MFCC, DEFAULT_FRAME_MILLIS,
                DEFAULT_SHIFT_MILLIS, false, false);
    }

    /** The defaults of {@code kind} at {@code sampleRate}. */
    public static AudioFeatures of(FeatureKind kind, int sampleRate) {
        return kind == FeatureKind.MFCC ? mfcc(sampleRate) : logMel(sampleRate);
    }

    public AudioFeatures withDeltas(boolean on) {
        return new AudioFeatures(kind, sampleRate, melBins, coefficients, frameMillis, shiftMillis, on, cmvn);
    }

    public AudioFeatures withCmvn(boolean on) {
        return new AudioFeatures(kind, sampleRate, melBins, coefficients, frameMillis, shiftMillis, deltas, on);
    }

    public AudioFeatures withSampleRate(int rate) {
        return new AudioFeatures(kind, rate, melBins, coefficients, frameMillis, shiftMillis, deltas, cmvn);
    }

    /** Samples per analysis window (win_length). */
    public int windowLength() {
        return (int) Math.round(sampleRate * frameMillis / 1000);
    }

    /** Samples between frame starts (hop_length). */
    public int hopLength() {
        return (int) Math.round(sampleRate * shiftMillis / 1000);
    }

    /** FFT size: the next power of two ≥ {@link #windowLength()}. */
    public int fftSize() {
        return fftSize(windowLength());
    }

    /** F, values per frame: coefficients × 3 with deltas, else coefficients. */
    public int featuresPerStep() {
        return coefficients * (deltas ? 3 : 1);
    }

    /** T, frames for {@code samples} samples at {@link #sampleRate()}: 1 + floor(samples / hop) (centred frames). */
    public int frames(int samples) {
        return 1 + samples / hopLength();
    }

    private static int fftSize(int window) {
        return Integer.highestOneBit(window - 1) << 1;
    }
}
