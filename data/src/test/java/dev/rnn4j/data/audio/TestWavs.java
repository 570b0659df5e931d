package dev.rnn4j.data.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny WAV writer for tests: chunks assembled byte by byte, so a test can also write broken files. */
final class TestWavs {
    private TestWavs() {}

    /** A 'fmt ' body: tag, channels, rate, block align and bits as given (byte rate derived). */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int block = channels * ((bits + 7) / 8);
        return le(16).putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * block)
                .putShort((short) block).putShort((short) bits).array();
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE 'fmt ' body whose sub-format GUID starts with {@code subFormat}. */
    static byte[] extensible(int subFormat, int channels, int rate, int bits) {
        int block = channels * (bits / 8);
        ByteBuffer b = le(40).putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * block)
                .putShort((short) block).putShort((short) bits).putShort((short) 22).putShort((short) bits).putInt(0)
                .putShort((short) subFormat);
        // the rest of KSDATAFORMAT_SUBTYPE_*: 0000-0010-8000-00aa00389b71
        b.put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        return b.array();
    }

    static byte[] chunk(String id, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4).putInt(body.length).array());
        out.writeBytes(body);
        if (body.length % 2 == 1) out.write(0);
        return out.toByteArray();
    }

    /** "RIFF" size "WAVE" followed by the chunks. */
    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4).putInt(body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] pcm16(short... values) {
        ByteBuffer b = le(2 * values.length);
        for (short v : values) b.putShort(v);
        return b.array();
    }

    static byte[] pcm24(int... values) {
        byte[] out = new byte[3 * values.length];
        for (int i = 0; i < values.length; i++) {
            out[3 * i] = (byte) values[i];
            out[3 * i + 1] = (byte) (values[i] >> 8);
            out[3 * i + 2] = (byte) (values[i] >> 16);
        }
        return out;
    }

    static byte[] float32(float... values) {
        ByteBuffer b = le(4 * values.length);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** A complete 16-bit mono WAV of {@code samples} (in [-1, 1]) at {@code rate}. */
    static byte[] mono16(float[] samples, int rate) {
        short[] ints = new short[samples.length];
        for (int i = 0; i < samples.length; i++) ints[i] = (short) Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
        return riff(chunk("fmt ", fmt(1, 1, rate, 16)), chunk("data", pcm16(ints)));
    }

    /** amplitude · sin(2π f i / rate), i &lt; n. */
    static float[] sine(double frequency, double amplitude, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        return x;
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
