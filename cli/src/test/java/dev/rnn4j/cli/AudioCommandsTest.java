package dev.rnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rnn4j.cli.ForecastCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Speech end to end on generated tones: train classify from a folder, evaluate on unheard files, stream a recording. */
class AudioCommandsTest {
    @TempDir
    Path dir;

    /** A 16-bit mono PCM WAV of a tone (Hz) with noise. */
    static byte[] wav(double hz, int rate, double seconds, long seed) {
        int n = (int) (rate * seconds);
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(2 * n);
        double phase = random.nextDouble() * 6.28;
        for (int i = 0; i < n; i++) {
            double v = 0.5 * Math.sin(phase + 2 * Math.PI * hz * i / rate) + 0.05 * random.nextGaussian();
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        return b.array();
    }

    private void tones(Path folder, int count, long seed) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            Files.write(folder.resolve("low_s" + seed + "_" + i + ".wav"), wav(300 + 40 * (i % 5), 8000, 0.25 + 0.05 * (i % 3), seed * 100 + i));
            Files.write(folder.resolve("high_s" + seed + "_" + i + ".wav"), wav(2000 + 100 * (i % 5), 8000, 0.25 + 0.05 * (i % 3), seed * 100 + 50 + i));
        }
    }

    @Test
    void trainsFromAFolderScoresUnheardFilesAndStreamsARecording() throws Exception {
        tones(dir.resolve("train"), 20, 1);
        tones(dir.resolve("test"), 5, 2);
        Path model = dir.resolve("tones.rnn4j");
        ForecastCommandsTest.Result trained = run("train", "classify", "--audio-dir", dir.resolve("train").toString(), "--test",
                dir.resolve("test").toString(), "--label-pattern", "^([a-z]+)_", "--no-bidirectional", "--hidden", "16", "--epochs", "15",
                "--out", model.toString(), "--quiet");
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().startsWith("test (10 records): accuracy 1.0000"), trained.out());
        assertTrue(trained.err().contains("classes [high, low]"), trained.err());

        ForecastCommandsTest.Result streamed = run("classify-stream", "--model", model.toString(), "--wav",
                dir.resolve("test/high_s2_0.wav").toString(), "--every", "5");
        assertEquals(0, streamed.code(), streamed.err());
        List<String> lines = streamed.out().lines().toList();
        assertEquals("time_s,frame,predicted,probability", lines.getFirst());
        assertTrue(lines.getLast().matches("0\\.\\d+,\\d+,high,0\\.\\d+"), lines.getLast());
        assertTrue(lines.size() > 3, "a line every 5 frames: " + lines);
    }

    @Test
    void badRecordingsAreOneLineAndABidirectionalModelCannotStream() throws Exception {
        tones(dir.resolve("train"), 6, 3);
        Files.write(dir.resolve("train/low_broken.wav"), "RIFX nonsense".getBytes());
        Path model = dir.resolve("m.rnn4j");
        ForecastCommandsTest.Result r = run("train", "classify", "--audio-dir", dir.resolve("train").toString(), "--label-pattern",
                "^([a-z]+)_", "--out", model.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("rnn4j: error: ") && r.err().contains("low_broken.wav"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(model));

        Files.delete(dir.resolve("train/low_broken.wav"));
        r = run("train", "classify", "--audio-dir", dir.resolve("train").toString(), "--label-pattern", "^([a-z]+)_", "--epochs", "1",
                "--hidden", "4", "--out", model.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        r = run("classify-stream", "--model", model.toString(), "--wav", dir.resolve("train/low_s3_0.wav").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--no-bidirectional"), r.err());
    }
}
