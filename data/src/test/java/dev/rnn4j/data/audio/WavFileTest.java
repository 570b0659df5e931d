package dev.rnn4j.data.audio;

import dev.rnn4j.data.DataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.rnn4j.data.audio.TestWavs.chunk;
import static dev.rnn4j.data.audio.TestWavs.extensible;
import static dev.rnn4j.data.audio.TestWavs.float32;
import static dev.rnn4j.data.audio.TestWavs.fmt;
import static dev.rnn4j.data.audio.TestWavs.pcm16;
import static dev.rnn4j.data.audio.TestWavs.pcm24;
import static dev.rnn4j.data.audio.TestWavs.riff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WavFile on small files written byte by byte: every encoding, the chunk layout rules, and every error. */
class WavFileTest {
    @TempDir
    Path dir;

    private static Audio parse(byte[] bytes) {
        return WavFile.parse("t.wav", bytes);
    }

    private static String error(byte[] bytes) {
        return assertThrows(DataFileException.class, () -> parse(bytes)).getMessage();
    }

    @Test
    void pcm8IsUnsignedAroundMidScale() {
        Audio a = parse(riff(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", new byte[] {0, (byte) 128, (byte) 255, 64})));
        assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f}, a.samples());
        assertEquals(8000, a.sampleRate());
    }

    @Test
    void pcm16IsScaledBy32768() {
        Audio a = parse(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("data", pcm16((short) -32768, (short) 0, (short) 16384, (short) 32767))));
        assertArrayEquals(new float[] {-1f, 0f, 0.5f, 32767 / 32768f}, a.samples());
    }

    @Test
    void pcm24IsSignExtended() {
        Audio a = parse(riff(chunk("fmt ", fmt(1, 1, 44100, 24)), chunk("data", pcm24(-8388608, 1, 4194304, -2))));
        assertArrayEquals(new float[] {-1f, 1 / 8388608f, 0.5f, -2 / 8388608f}, a.samples());
        assertEquals(44100, a.sampleRate());
    }

    @Test
    void float32KeepsValuesBeyondFullScale() {
        Audio a = parse(riff(chunk("fmt ", fmt(3, 1, 22050, 32)), chunk("data", float32(0.25f, -1.5f, 1e-3f))));
        assertArrayEquals(new float[] {0.25f, -1.5f, 1e-3f}, a.samples());
    }

    @Test
    void extensibleWithPcmAndFloatSubformats() {
        Audio pcm = parse(riff(chunk("fmt ", extensible(1, 1, 8000, 16)), chunk("data", pcm16((short) 8192, (short) -16384))));
        assertArrayEquals(new float[] {0.25f, -0.5f}, pcm.samples());
        Audio ieee = parse(riff(chunk("fmt ", extensible(3, 1, 8000, 32)), chunk("data", float32(0.75f, -0.125f))));
        assertArrayEquals(new float[] {0.75f, -0.125f}, ieee.samples());
        String adpcm = error(riff(chunk("fmt ", extensible(2, 1, 8000, 4)), chunk("data", new byte[4])));
        assertTrue(adpcm.contains("byte 44: format 2 (ADPCM) is not supported"), adpcm);
    }

    @Test
    void channelsAreAveraged() {
        Audio stereo = parse(riff(chunk("fmt ", fmt(1, 2, 8000, 16)),
                chunk("data", pcm16((short) 16384, (short) -8192, (short) 32767, (short) 32767))));
        assertArrayEquals(new float[] {0.125f, 32767 / 32768f}, stereo.samples());
        Audio three = parse(riff(chunk("fmt ", fmt(1, 3, 8000, 24)), chunk("data", pcm24(3, 6, 0, -3, -3, -3))));
        assertArrayEquals(new float[] {3 / 8388608f, -3 / 8388608f}, three.samples());
    }

    @Test
    void chunksInAnyOrderUnknownOnesSkippedOddOnesPadded() {
        // data before fmt, an odd-sized LIST before both, an odd-sized 8-bit data chunk followed by another chunk
        byte[] bytes = riff(chunk("LIST", "INFOabc".getBytes()), chunk("data", new byte[] {(byte) 192, 64, (byte) 128}),
                chunk("fmt ", fmt(1, 1, 11025, 8)), chunk("cue ", new byte[5]));
        Audio a = parse(bytes);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0f}, a.samples());
        assertEquals(11025, a.sampleRate());
    }

    @Test
    void readsFromDiskNamingTheFile() throws IOException {
        Path file = TestWavs.write(dir.resolve("one.wav"), riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", pcm16((short) 4096))));
        Audio a = WavFile.read(file);
        assertEquals(file.toString(), a.source());
        assertArrayEquals(new float[] {0.125f}, a.samples());
        DataFileException missing = assertThrows(DataFileException.class, () -> WavFile.read(dir.resolve("none.wav")));
        assertEquals(dir.resolve("none.wav") + ": no such file", missing.getMessage());
    }

    @Test
    void notRiffOrNotWave() {
        byte[] text = "hello, this is not a WAV file".getBytes();
        assertEquals("t.wav: byte 0: not a RIFF/WAVE file: starts with 'hell', not 'RIFF'", error(text));
        byte[] avi = riff(chunk("fmt ", fmt(1, 1, 8000, 16)));
        System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
        assertEquals("t.wav: byte 8: not a RIFF/WAVE file: RIFF form 'AVI ', not 'WAVE'", error(avi));
    }

    @Test
    void truncatedHeader() {
        byte[] whole = riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", pcm16((short) 1, (short) 2)));
        assertTrue(error(Arrays.copyOf(whole, 10)).startsWith("t.wav: byte 0: truncated header: 10 bytes"));
        String cutInFmt = error(Arrays.copyOf(whole, 30));
        assertEquals("t.wav: byte 12: chunk 'fmt ' declares 16 bytes but only 10 remain in the file (truncated?)", cutInFmt);
        assertTrue(error(Arrays.copyOf(whole, 12)).contains("byte 12: no 'fmt ' chunk"));
        assertTrue(error(Arrays.copyOf(whole, 36)).contains("byte 12: no 'data' chunk"));
        String shortFmt = error(riff(chunk("fmt ", new byte[12]), chunk("data", new byte[2])));
        assertTrue(shortFmt.contains("byte 12: truncated header: the 'fmt ' chunk has 12 bytes, at least 16 expected"), shortFmt);
    }

    @Test
    void truncatedDataOrASizeBeyondTheFile() {
        byte[] whole = riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", pcm16((short) 1, (short) 2, (short) 3)));
        assertEquals("t.wav: byte 36: chunk 'data' declares 6 bytes but only 4 remain in the file (truncated?)",
                error(Arrays.copyOf(whole, whole.length - 2)));
        // a size near 4 GB must be refused before anything is allocated
        byte[] huge = whole.clone();
        huge[40] = huge[41] = huge[42] = huge[43] = (byte) 0xFF;
        assertTrue(error(huge).contains("byte 36: chunk 'data' declares 4294967295 bytes but only 6 remain"));
    }

    @Test
    void unsupportedEncodingsAreNamedWithTheSupportedOnes() {
        String adpcm = error(riff(chunk("fmt ", fmt(2, 1, 8000, 4)), chunk("data", new byte[4])));
        assertEquals("t.wav: byte 20: format 2 (ADPCM) is not supported; " + WavFile.SUPPORTED, adpcm);
        assertTrue(adpcm.contains("supported: PCM 8-bit (unsigned), 16-bit and 24-bit"));
        String int32 = error(riff(chunk("fmt ", fmt(1, 1, 8000, 32)), chunk("data", new byte[8])));
        assertTrue(int32.contains("byte 20: 32-bit integer PCM is not supported; supported:"), int32);
        String float64 = error(riff(chunk("fmt ", fmt(3, 1, 8000, 64)), chunk("data", new byte[8])));
        assertTrue(float64.contains("64-bit float is not supported"), float64);
        String mulaw = error(riff(chunk("fmt ", fmt(7, 1, 8000, 8)), chunk("data", new byte[8])));
        assertTrue(mulaw.contains("format 7 (mu-law) is not supported"), mulaw);
    }

    @Test
    void zeroLengthRecordingAndBadFormatFields() {
        assertEquals("t.wav: byte 36: zero-length recording: the data chunk holds no samples (0 bytes)",
                error(riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", new byte[0]))));
        assertTrue(error(riff(chunk("fmt ", fmt(1, 2, 8000, 16)), chunk("data", new byte[3])))
                .contains("zero-length recording"), "3 bytes are less than one 4-byte stereo frame");
        assertTrue(error(riff(chunk("fmt ", fmt(1, 0, 8000, 16)), chunk("data", new byte[4]))).contains("byte 22: the 'fmt ' chunk declares 0 channels"));
        assertTrue(error(riff(chunk("fmt ", fmt(1, 1, 0, 16)), chunk("data", new byte[4]))).contains("byte 24: sample rate 0 Hz"));
        byte[] badAlign = fmt(1, 2, 8000, 16);
        badAlign[12] = 3;
        assertTrue(error(riff(chunk("fmt ", badAlign), chunk("data", new byte[4]))).contains("byte 32: block align 3 does not match 2 channel(s)"));
    }
}
