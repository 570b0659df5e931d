package dev.rnn4j.data.audio;

import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A few Free Spoken Digit Dataset recordings (shared/data/fsdd), read as a user would; skipped where absent. */
class FsddRealDataTest {
    @TempDir
    Path dir;

    /** {@code <parent>/shared/data/fsdd/recordings} for the nearest parent of the working directory that has one. */
    private static Path recordings() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data").resolve("fsdd").resolve("recordings");
            if (Files.isDirectory(candidate)) return candidate;
        }
        assumeTrue(false, "no shared/data/fsdd/recordings above " + System.getProperty("user.dir"));
        return null;
    }

    @Test
    void recordingsAre8kHzMonoWithinTheStatedLengths() {
        Path folder = recordings();
        for (String name : List.of("0_jackson_0.wav", "7_theo_23.wav", "9_yweweler_49.wav")) {
            Path file = folder.resolve(name);
            assumeTrue(Files.isRegularFile(file), "missing " + file);
            Audio audio = WavFile.read(file);
            assertEquals(8000, audio.sampleRate(), name);
            assertTrue(audio.seconds() >= 0.14 && audio.seconds() <= 2.28, name + ": " + audio.seconds() + " s (SOURCE.md: 0.14 .. 2.28)");
            double peak = 0;
            for (float v : audio.samples()) peak = Math.max(peak, Math.abs(v));
            assertTrue(peak > 0.01 && peak <= 1, name + ": speech, not silence: peak " + peak);
        }
    }

    @Test
    void aFewDigitsThroughTheSourceWithTheFsddPattern() throws IOException {
        Path folder = recordings();
        List<String> names = List.of("3_george_7.wav", "0_lucas_2.wav", "5_nicolas_11.wav", "8_jackson_0.wav");
        for (String name : names) {
            Path file = folder.resolve(name);
            assumeTrue(Files.isRegularFile(file), "missing " + file);
            Files.copy(file, dir.resolve(name));
        }
        LabelledData data = AudioDirectorySource.byFileName(dir, "^(\\d)_", AudioFeatures.mfcc(16000).withDeltas(true).withCmvn(true))
                .withAugmentation(Augmentation.defaults()).read(null);
        assertEquals(List.of("0_lucas_2.wav", "3_george_7.wav", "5_nicolas_11.wav", "8_jackson_0.wav"),
                data.records().stream().map(LabelledSequence::id).toList());
        assertEquals(List.of("0", "3", "5", "8"), data.records().stream().map(LabelledSequence::label).toList());
        for (LabelledSequence record : data.records()) {
            Audio audio = WavFile.read(dir.resolve(record.id()));
            assertEquals(1 + (int) Math.round(audio.seconds() * 16000) / 160, record.input().steps(), record.id());
            assertEquals(39, record.input().featureSize());
            for (float v : record.input().features()) assertTrue(Float.isFinite(v) && Math.abs(v) < 20, record.id() + ": " + v);
            assertEquals(2, data.augmenter().augment(record, 1).size());
        }
    }
}
