package dev.rnn4j.data.audio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resampling keeps what is below both Nyquist frequencies and removes what is above the new one. */
class ResamplerTest {

    /** Amplitude and phase-free fit of a sine at {@code frequency} over the interior (edges see zero padding). */
    private static double amplitudeAt(float[] x, int rate, double frequency) {
        int from = x.length / 5, to = x.length - x.length / 5;
        double s = 0, c = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / rate;
            s += x[i] * Math.sin(w);
            c += x[i] * Math.cos(w);
        }
        return 2 * Math.hypot(s, c) / (to - from);
    }

    @ParameterizedTest
    @CsvSource({"8000, 16000, 440", "44100, 16000, 1000", "16000, 8000, 2000", "22050, 16000, 5000"})
    void aSineKeepsItsFrequencyAndAmplitude(int from, int to, double frequency) {
        float[] x = TestWavs.sine(frequency, 0.6, from, from / 2);
        float[] y = Resampler.of(from, to).apply(x);
        assertEquals((int) Math.ceil(x.length * (double) to / from), y.length);
        assertEquals(0.6, amplitudeAt(y, to, frequency), 0.006, "amplitude within 1%");
        // the same tone, sampled directly at the new rate, matches sample by sample away from the edges
        float[] expected = TestWavs.sine(frequency, 0.6, to, y.length);
        double worst = 0;
        for (int i = y.length / 5; i < y.length - y.length / 5; i++) worst = Math.max(worst, Math.abs(y[i] - expected[i]));
        assertTrue(worst < 0.01, "max deviation from the ideal sine " + worst);
        // a neighbouring frequency gets almost nothing: the frequency did not move
        assertTrue(amplitudeAt(y, to, frequency * 1.1) < 0.03, "energy at 1.1 f");
    }

    @Test
    void toneAboveTheNewNyquistIsRemoved() {
        float[] x = TestWavs.sine(6000, 0.5, 16000, 8000);
        float[] y = Resampler.of(16000, 8000).apply(x);
        double rms = 0;
        for (int i = y.length / 5; i < y.length - y.length / 5; i++) rms += y[i] * y[i];
        rms = Math.sqrt(rms / (y.length - 2 * (y.length / 5)));
        assertTrue(rms < 0.005, "6 kHz at 8 kHz would alias to 2 kHz; rms " + rms);
    }

    @Test
    void equalRatesCopyAndResultsAreDeterministic() {
        float[] x = TestWavs.sine(300, 0.3, 8000, 500);
        float[] same = Resampler.of(8000, 8000).apply(x);
        assertArrayEquals(x, same);
        assertNotSame(x, same);
        assertArrayEquals(Resampler.of(8000, 11025).apply(x), Resampler.of(8000, 11025).apply(x));
        assertEquals(690, Resampler.of(8000, 11025).outputLength(500), "ceil(500 · 441 / 320) = ceil(689.06)");
    }

    @Test
    void audioResampledKeepsItsSource() {
        Audio a = new Audio(TestWavs.sine(300, 0.3, 8000, 800), 8000, "x.wav");
        Audio b = a.resampled(16000);
        assertEquals(16000, b.sampleRate());
        assertEquals(1600, b.samples().length);
        assertEquals("x.wav", b.source());
        assertEquals(a.seconds(), b.seconds(), 1e-12);
    }
}
