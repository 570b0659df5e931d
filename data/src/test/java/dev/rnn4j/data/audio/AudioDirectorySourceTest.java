package dev.rnn4j.data.audio;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder layouts, ids, labels and order; every folder error; augmentation's determinism. */
class AudioDirectorySourceTest {
    @TempDir
    Path dir;

    /** A 0.3 s tone at 8 kHz whose pitch depends on {@code k}, so files differ. */
    private void wav(Path file, int k) throws IOException {
        TestWavs.write(file, TestWavs.mono16(TestWavs.sine(300 + 150 * k, 0.4, 8000, 2400), 8000));
    }

    private static List<String> ids(LabelledData data) {
        return data.records().stream().map(LabelledSequence::id).toList();
    }

    private static List<String> labels(LabelledData data) {
        return data.records().stream().map(LabelledSequence::label).toList();
    }

    @Test
    void classSubfoldersSortedWithNestedFilesAndIgnoredExtras() throws IOException {
        wav(dir.resolve("yes/b.wav"), 1);
        wav(dir.resolve("yes/a.WAV"), 2);
        wav(dir.resolve("no/take2/c.wav"), 3);
        wav(dir.resolve("no/a.wav"), 4);
        Files.writeString(dir.resolve("no/notes.txt"), "not audio");
        wav(dir.resolve("loose.wav"), 5);
        wav(dir.resolve(".hidden/x.wav"), 6);
        LabelledData data = AudioDirectorySource.bySubfolder(dir, AudioFeatures.mfcc(16000)).read(null);
        assertEquals(List.of("no/a.wav", "no/take2/c.wav", "yes/a.WAV", "yes/b.wav"), ids(data));
        assertEquals(List.of("no", "no", "yes", "yes"), labels(data));
        assertEquals(dir.resolve("no/a.wav").toString(), data.records().getFirst().origin());
        assertEquals(dir.toString(), data.source());
        assertNull(data.augmenter());
        Example first = data.records().getFirst().input();
        assertEquals(13, first.featureSize());
        assertEquals(31, first.steps(), "0.3 s at 16 kHz: 1 + 4800 / 160");
        assertFalse(Arrays.equals(first.features(), data.records().get(1).input().features()));
    }

    @Test
    void flatFolderLabelledByPatternInNameOrder() throws IOException {
        wav(dir.resolve("7_jackson_1.wav"), 1);
        wav(dir.resolve("0_theo_12.wav"), 2);
        wav(dir.resolve("10_lucas_0.wav"), 3);
        Files.writeString(dir.resolve("README.md"), "ignored");
        LabelledData data = AudioDirectorySource.byFileName(dir, "^(\\d+)_", AudioFeatures.logMel(16000)).read(null);
        assertEquals(List.of("0_theo_12.wav", "10_lucas_0.wav", "7_jackson_1.wav"), ids(data));
        assertEquals(List.of("0", "10", "7"), labels(data));
        assertEquals(40, data.encoding().featuresPerStep());

        LabelledData unlabelled = AudioDirectorySource.unlabelled(dir, AudioFeatures.logMel(16000)).read(null);
        assertEquals(ids(data), ids(unlabelled));
        assertTrue(labels(unlabelled).stream().allMatch(l -> l == null));
    }

    @Test
    void aFittedEncodingWinsOverTheSourcesOwnFeatures() throws IOException {
        wav(dir.resolve("1_a.wav"), 1);
        AudioEncoding model = new AudioEncoding(AudioFeatures.mfcc(8000).withDeltas(true));
        LabelledData data = AudioDirectorySource.byFileName(dir, "^(\\d)_", AudioFeatures.logMel(16000)).read(model);
        assertEquals(model, data.encoding());
        assertEquals(39, data.records().getFirst().input().featureSize());
        assertEquals(31, data.records().getFirst().input().steps(), "0.3 s at 8 kHz: 1 + 2400 / 80");
    }

    @Test
    void folderErrorsNameThePath() throws IOException {
        AudioFeatures f = AudioFeatures.mfcc(16000);
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such folder",
                assertThrows(DataFileException.class, () -> AudioDirectorySource.bySubfolder(missing, f).read(null)).getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": empty folder: no class subfolders holding WAV files",
                assertThrows(DataFileException.class, () -> AudioDirectorySource.bySubfolder(empty, f).read(null)).getMessage());
        assertEquals(empty + ": empty folder: no .wav files in it",
                assertThrows(DataFileException.class, () -> AudioDirectorySource.byFileName(empty, "^(\\d)_", f).read(null)).getMessage());

        Path flat = dir.resolve("flat");
        wav(flat.resolve("3_x.wav"), 1);
        wav(flat.resolve("three.wav"), 2);
        String loose = assertThrows(DataFileException.class, () -> AudioDirectorySource.bySubfolder(flat, f).read(null)).getMessage();
        assertTrue(loose.startsWith(flat + ": no class subfolders, but 2 WAV files directly in it"), loose);
        assertEquals(flat.resolve("three.wav") + ": the file name does not match the label pattern '^(\\d)_' (its first group is the label)",
                assertThrows(DataFileException.class, () -> AudioDirectorySource.byFileName(flat, "^(\\d)_", f).read(null)).getMessage());

        Path classes = dir.resolve("classes");
        wav(classes.resolve("cat/1.wav"), 1);
        Files.createDirectories(classes.resolve("dog"));
        Files.writeString(classes.resolve("dog/readme.txt"), "no audio here");
        assertEquals(classes.resolve("dog") + ": class folder 'dog' holds no WAV files",
                assertThrows(DataFileException.class, () -> AudioDirectorySource.bySubfolder(classes, f).read(null)).getMessage());

        Path broken = dir.resolve("broken");
        TestWavs.write(broken.resolve("1_bad.wav"), "not a wav".getBytes());
        String bad = assertThrows(DataFileException.class, () -> AudioDirectorySource.byFileName(broken, "^(\\d)_", f).read(null)).getMessage();
        assertTrue(bad.startsWith(broken.resolve("1_bad.wav") + ": byte 0: truncated header"), bad);
    }

    @Test
    void labelPatternsAreChecked() {
        AudioFeatures f = AudioFeatures.mfcc(16000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AudioDirectorySource.byFileName(dir, "^\\d_", f))
                .getMessage().contains("needs a group"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AudioDirectorySource.byFileName(dir, "^(\\d", f))
                .getMessage().contains("is not a regular expression"));
        assertThrows(IllegalArgumentException.class,
                () -> new AudioDirectorySource(dir, AudioDirectorySource.Labelling.SUBFOLDERS, "^(\\d)", f, null));
    }

    @Test
    void augmentationIsDeterministicPerSeedAndDiffersAcrossSeeds() throws IOException {
        wav(dir.resolve("yes/a.wav"), 1);
        wav(dir.resolve("no/b.wav"), 2);
        AudioFeatures features = AudioFeatures.mfcc(16000).withDeltas(true).withCmvn(true);
        LabelledData data = AudioDirectorySource.bySubfolder(dir, features).withAugmentation(Augmentation.defaults()).read(null);
        LabelledSequence record = data.records().getFirst();
        List<Example> copies = data.augmenter().augment(record, 42);
        assertEquals(2, copies.size());
        for (Example copy : copies) {
            assertEquals(39, copy.featureSize());
            assertEquals(record.input().steps(), copy.steps(), "shift keeps the length");
            assertFalse(Arrays.equals(record.input().features(), copy.features()), "a copy differs from the record");
            assertFalse(copy.hasTarget());
        }
        assertFalse(Arrays.equals(copies.get(0).features(), copies.get(1).features()), "the two copies differ");
        List<Example> again = data.augmenter().augment(record, 42);
        for (int i = 0; i < 2; i++) assertArrayEquals(copies.get(i).features(), again.get(i).features(), "same seed, same copy " + i);
        List<Example> other = data.augmenter().augment(record, 43);
        assertFalse(Arrays.equals(copies.get(0).features(), other.get(0).features()), "another seed, another copy");
        assertEquals(3, Augmentation.defaults().withCopies(3).apply(new float[4000], new FeatureExtractor(features), 1).size());
    }

    @Test
    void augmentationStepsDoWhatTheySay() {
        AudioFeatures features = AudioFeatures.logMel(16000);
        float[] tone = TestWavs.sine(500, 0.5, 16000, 8000);
        float[] clean = new FeatureExtractor(features).compute(tone);
        // shift only: frames move, nothing is masked or added
        Augmentation shiftOnly = new Augmentation(1, 100, Double.POSITIVE_INFINITY, 0, 0);
        float[] shifted = shiftOnly.apply(tone, new FeatureExtractor(features), 5).getFirst().features();
        assertEquals(clean.length, shifted.length);
        assertNotEquals(Arrays.toString(clean), Arrays.toString(shifted));
        // masks only: some frames become the column means, the rest is untouched
        Augmentation masksOnly = new Augmentation(1, 0, Double.POSITIVE_INFINITY, 10, 8);
        int changed = 0, same = 0;
        for (long seed = 0; seed < 20; seed++) {
            float[] masked = masksOnly.apply(tone, new FeatureExtractor(features), seed).getFirst().features();
            for (int i = 0; i < clean.length; i++) {
                if (masked[i] == clean[i]) same++;
                else changed++;
            }
        }
        assertTrue(changed > 0 && same > changed, "masks cover part of the frames: changed " + changed + ", same " + same);
    }
}
