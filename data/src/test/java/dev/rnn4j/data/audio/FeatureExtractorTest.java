package dev.rnn4j.data.audio;

import dev.rnn4j.io.Json;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature shapes, deltas, CMVN, the settings' arithmetic and the encoding's JSON. */
class FeatureExtractorTest {
    /** A chirp with noise: every column varies over time. */
    private static float[] chirp(int rate, int n) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[n];
        double seconds = n / (double) rate;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * (200 * t + 2500 * t * t / seconds)) + 0.02 * random.nextGaussian());
        }
        return x;
    }

    @Test
    void settingsArithmetic() {
        AudioFeatures mfcc = AudioFeatures.mfcc(16000);
        assertEquals(400, mfcc.windowLength());
        assertEquals(160, mfcc.hopLength());
        assertEquals(512, mfcc.fftSize());
        assertEquals(13, mfcc.featuresPerStep());
        assertEquals(39, mfcc.withDeltas(true).featuresPerStep());
        assertEquals(120, AudioFeatures.logMel(16000).withDeltas(true).featuresPerStep());
        assertEquals(101, mfcc.frames(16000), "1 + N / hop, centred frames");
        assertEquals(2048, AudioFeatures.logMel(22050).withSampleRate(44100).fftSize(), "round(1102.5) = 1103-sample window");
        assertThrows(IllegalArgumentException.class, () -> new AudioFeatures(FeatureKind.LOGMEL, 16000, 40, 13, 25, 10, false, false));
        assertThrows(IllegalArgumentException.class, () -> new AudioFeatures(FeatureKind.MFCC, 16000, 40, 41, 25, 10, false, false));
        assertThrows(IllegalArgumentException.class, () -> new AudioFeatures(FeatureKind.MFCC, 16000, 300, 13, 25, 10, false, false),
                "300 mel bins from 257 FFT bins");
    }

    @Test
    void shapeIsTimeMajorAndShortAudioStillGivesFrames() {
        AudioEncoding encoding = new AudioEncoding(AudioFeatures.mfcc(16000).withDeltas(true));
        Example e = encoding.encode(new Audio(chirp(16000, 8000), 16000, "c"));
        assertEquals(51, e.steps());
        assertEquals(39, e.featureSize());
        // 100 samples: shorter than n_fft / 2, zero-extended to 257 samples: 1 + 257 / 160 frames
        Example tiny = encoding.encode(new Audio(chirp(16000, 100), 16000, "tiny"));
        assertEquals(2, tiny.steps());
        // 8 kHz audio is resampled first: the same duration gives the same frame count
        Example resampled = encoding.encode(new Audio(chirp(8000, 4000), 8000, "c8"));
        assertEquals(51, resampled.steps());
    }

    @Test
    void deltasFollowComputeDeltas() {
        AudioFeatures plain = AudioFeatures.logMel(16000);
        float[] x = new FeatureExtractor(plain).compute(chirp(16000, 6000));
        float[] d = new FeatureExtractor(plain.withDeltas(true)).compute(chirp(16000, 6000));
        int steps = x.length / 40;
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < 40; j++) {
                assertEquals(x[t * 40 + j], d[t * 120 + j], 0, "static block unchanged");
                double expected = 0;
                for (int k = 1; k <= 2; k++) {
                    expected += k * (x[Math.min(t + k, steps - 1) * 40 + j] - x[Math.max(t - k, 0) * 40 + j]);
                }
                assertEquals(expected / 10, d[t * 120 + 40 + j], 1e-4, "delta at t=" + t + ", j=" + j);
            }
        }
        // the third block is the deltas of the second (interior frames: no edge replication involved)
        for (int t = 2; t < steps - 2; t++) {
            double expected = 0;
            for (int k = 1; k <= 2; k++) expected += k * (d[(t + k) * 120 + 40] - d[(t - k) * 120 + 40]);
            assertEquals(expected / 10, d[t * 120 + 80], 1e-4);
        }
    }

    @Test
    void cmvnGivesZeroMeanUnitStdPerColumn() {
        AudioFeatures settings = AudioFeatures.mfcc(16000).withDeltas(true).withCmvn(true);
        float[] x = new FeatureExtractor(settings).compute(chirp(16000, 12000));
        int width = 39, steps = x.length / width;
        for (int j = 0; j < width; j++) {
            double mean = 0, square = 0;
            for (int t = 0; t < steps; t++) mean += x[t * width + j];
            mean /= steps;
            for (int t = 0; t < steps; t++) square += (x[t * width + j] - mean) * (x[t * width + j] - mean);
            assertEquals(0, mean, 1e-5, "mean of column " + j);
            assertEquals(1, Math.sqrt(square / steps), 1e-4, "std of column " + j);
        }
        float[] raw = new FeatureExtractor(settings.withCmvn(false)).compute(chirp(16000, 12000));
        assertTrue(Math.abs(raw[0]) > 2, "c0 of a loud chirp is far from 0 before normalisation: " + raw[0]);
    }

    @Test
    void cmvnOfAConstantColumnIsZero() {
        double[] x = {1, 5, 1, 7, 1, 9};
        FeatureExtractor.normalise(x, 3, 2);
        assertArrayEquals(new double[] {0, -Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5)}, x, 1e-12);
    }

    @Test
    void encodingJsonRoundTripAcceptsAnyNumber() {
        AudioEncoding encoding = new AudioEncoding(AudioFeatures.mfcc(8000).withDeltas(true).withCmvn(true));
        assertEquals("audio", encoding.domain());
        assertEquals(39, encoding.featuresPerStep());
        assertEquals(0, encoding.vocabulary());
        String text = Json.write(encoding.toJson());
        assertTrue(text.contains("\"features\":\"mfcc\"") && text.contains("\"domain\":\"audio\""), text);
        assertEquals(encoding, AudioEncoding.fromJson(Json.parseObject(text)));

        Map<String, Object> json = new HashMap<>(encoding.toJson());
        json.put("sample_rate", 8000L);
        json.put("mel_bins", 40.0);
        json.put("coefficients", java.math.BigDecimal.valueOf(13));
        json.put("frame_ms", 25);
        assertEquals(encoding, AudioEncoding.fromJson(json));

        json.put("features", "spectrogram");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AudioEncoding.fromJson(json)).getMessage().contains("'features' is 'spectrogram'"));
        json.put("features", "logmel");
        json.remove("cmvn");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AudioEncoding.fromJson(json)).getMessage().contains("'cmvn' is missing"));
        json.put("cmvn", false);
        json.put("sample_rate", 8000.5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AudioEncoding.fromJson(json)).getMessage().contains("'sample_rate' is not an integer"));
    }
}
