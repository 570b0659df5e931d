package dev.rnn4j.data.audio;

import java.util.Objects;

/**
 * A mono recording: samples at a sample rate, as read by {@link WavFile#read}.
 *
 * @param samples    one value per sample, full scale = 1: integer PCM is scaled into [-1, 1) (16-bit: s / 32768);
 *                   32-bit float files keep their values as written, which may exceed ±1 (not clipped, as in
 *                   torchaudio and soundfile). Multi-channel files are averaged to one channel. Never empty.
 * @param sampleRate samples per second (Hz), positive
 * @param source     where it came from, as the user named it, for messages
 */
public record Audio(float[] samples, int sampleRate, String source) {
    public Audio {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(source, "source");
        if (samples.length == 0) throw new IllegalArgumentException(source + ": audio needs at least one sample");
        if (sampleRate <= 0) throw new IllegalArgumentException(source + ": sample rate must be positive, got " + sampleRate);
    }

    /** Length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** This recording at {@code rate} Hz ({@link Resampler}); this one when it already is. */
    public Audio resampled(int rate) {
        if (rate == sampleRate) return this;
        return new Audio(Resampler.of(sampleRate, rate).apply(samples), rate, source);
    }
}
