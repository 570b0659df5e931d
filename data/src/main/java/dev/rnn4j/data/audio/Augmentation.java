package dev.rnn4j.data.audio;

import dev.rnn4j.train.Example;
import dev.rnn4j.train.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training-time augmentation of a recording: each copy is the audio shifted in time, with white noise added, encoded,
 * then masked SpecAugment-style. All randomness comes from a {@link SplittableRandom} seeded by
 * {@code Seeds.derive(seed, copy)}, so a seed gives the same copies on every run and JVM.
 *
 * <ol>
 *   <li>shift by s samples, s uniform in [−r, r], r = round(rate · maxShiftMillis / 1000): y[i] = x[i − s],
 *       zero where i − s falls outside the recording (not circular: speech wrapped onto silence is not speech);</li>
 *   <li>noise: y += σ n, n ~ N(0, 1) per sample, σ = sqrt(mean(x²) / 10^(snrDb / 10)) (none for silence);</li>
 *   <li>a time mask of w frames, w uniform in [0, maxTimeMask] (at most T − 1), and a frequency mask of f
 *       coefficients, f uniform in [0, maxFrequencyMask] (at most C − 1), each at a uniform start; masked values
 *       become their column's mean over the utterance (0 with CMVN on). With deltas the frequency mask covers the
 *       same coefficients in the c, Δc and ΔΔc blocks.</li>
 * </ol>
 *
 * @param copies           augmented copies per record (2)
 * @param maxShiftMillis   largest time shift either way, ms (100)
 * @param snrDb            signal-to-noise ratio of the added noise, dB (20)
 * @param maxTimeMask      widest time mask, frames (10)
 * @param maxFrequencyMask widest frequency mask, coefficients or mel bins (8)
 */
public record Augmentation(int copies, double maxShiftMillis, double snrDb, int maxTimeMask, int maxFrequencyMask) {
    public Augmentation {
        if (copies < 1) throw new IllegalArgumentException("augmentation needs at least 1 copy, got " + copies);
        if (!(maxShiftMillis >= 0)) throw new IllegalArgumentException("max shift must be ≥ 0 ms, got " + maxShiftMillis);
        if (Double.isNaN(snrDb)) throw new IllegalArgumentException("SNR is NaN");
        if (maxTimeMask < 0 || maxFrequencyMask < 0) {
            throw new IllegalArgumentException("mask widths must be ≥ 0, got " + maxTimeMask + " and " + maxFrequencyMask);
        }
    }

    /** 2 copies, ±100 ms shift, 20 dB SNR, masks up to 10 frames and 8 bins. */
    public static Augmentation defaults() {
        return new Augmentation(2, 100, 20, 10, 8);
    }

    public Augmentation withCopies(int n) {
        return new Augmentation(n, maxShiftMillis, snrDb, maxTimeMask, maxFrequencyMask);
    }

    /**
     * The augmented copies of {@code samples} (at the encoding's sample rate), encoded by {@code extractor}.
     *
     * @param seed see {@link dev.rnn4j.data.classify.LabelledData.Augmenter#augment}
     */
    public List<Example> apply(float[] samples, FeatureExtractor extractor, long seed) {
        AudioFeatures settings = extractor.settings();
        int maxShift = (int) Math.round(settings.sampleRate() * maxShiftMillis / 1000);
        double signalPower = 0;
        for (float v : samples) signalPower += (double) v * v;
        signalPower /= samples.length;
        double sigma = Math.sqrt(signalPower / Math.pow(10, snrDb / 10));
        float[] noisy = new float[samples.length];
        List<Example> copiesMade = new ArrayList<>(copies);
        for (int copy = 0; copy < copies; copy++) {
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, copy));
            int shift = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
            for (int i = 0; i < noisy.length; i++) {
                int from = i - shift;
                double v = from >= 0 && from < samples.length ? samples[from] : 0;
                noisy[i] = (float) (v + sigma * random.nextGaussian());
            }
            float[] features = extractor.compute(noisy);
            int steps = features.length / settings.featuresPerStep();
            mask(features, steps, settings, random);
            copiesMade.add(Example.ofFeatures(features, steps));
        }
        return copiesMade;
    }

    private void mask(float[] x, int steps, AudioFeatures settings, SplittableRandom random) {
        int width = settings.featuresPerStep();
        int coefficients = settings.coefficients();
        double[] mean = new double[width];
        for (int t = 0; t < steps; t++) for (int j = 0; j < width; j++) mean[j] += x[t * width + j];
        for (int j = 0; j < width; j++) mean[j] /= steps;

        int frames = Math.min(random.nextInt(maxTimeMask + 1), steps - 1);
        int firstFrame = random.nextInt(steps - frames + 1);
        for (int t = firstFrame; t < firstFrame + frames; t++) {
            for (int j = 0; j < width; j++) x[t * width + j] = (float) mean[j];
        }
        int bands = Math.min(random.nextInt(maxFrequencyMask + 1), coefficients - 1);
        int firstBand = random.nextInt(coefficients - bands + 1);
        for (int t = 0; t < steps; t++) {
            for (int block = 0; block < width; block += coefficients) {
                for (int j = block + firstBand; j < block + firstBand + bands; j++) x[t * width + j] = (float) mean[j];
            }
        }
    }
}
