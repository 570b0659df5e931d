package dev.rnn4j.data.audio;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;
import dev.rnn4j.train.Example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * A folder of WAV files ({@code *.wav}, any case), labelled in one of three ways ({@link Labelling}):
 * <ul>
 *   <li>{@link Labelling#SUBFOLDERS}: one subfolder per class, as Keras' {@code audio_dataset_from_directory}: the
 *       class names are the subfolder names, sorted; WAVs are found at any depth below each; loose files and hidden
 *       folders (names starting with '.') are ignored. Ids are the paths relative to the folder, '/'-separated
 *       ({@code yes/a.wav}), as file names may repeat across classes;</li>
 *   <li>{@link Labelling#FILE_NAME}: the WAVs directly in the folder, labelled by a regular expression on the file
 *       name whose first group is the label ({@code ^(\d)_} for FSDD's {@code 7_jackson_32.wav}); ids are the file
 *       names;</li>
 *   <li>{@link Labelling#NONE}: the WAVs directly in the folder, unlabelled (prediction).</li>
 * </ul>
 * Records come in sorted path order. Each file is read ({@link WavFile}), resampled to the encoding's rate and
 * encoded; with {@link Augmentation} on, the resampled samples of every record are kept for the augmenter (3000
 * FSDD recordings at 16 kHz are about 30 MB of floats), otherwise they are dropped once encoded.
 *
 * @param directory    the folder, as the user named it
 * @param labelling    how records get their labels
 * @param labelPattern the regular expression for {@link Labelling#FILE_NAME} (null otherwise); first group = label
 * @param features     the features when {@link #read} is not given a fitted encoding
 * @param augmentation training augmentation, or null for none
 */
public record AudioDirectorySource(Path directory, Labelling labelling, String labelPattern, AudioFeatures features,
                                   Augmentation augmentation) implements SequenceSource {

    /** Where labels come from. */
    public enum Labelling {
        SUBFOLDERS, FILE_NAME, NONE
    }

    public AudioDirectorySource {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(labelling, "labelling");
        Objects.requireNonNull(features, "features");
        if ((labelling == Labelling.FILE_NAME) != (labelPattern != null)) {
            throw new IllegalArgumentException("a label pattern goes with file-name labels only (labelling " + labelling + ")");
        }
        if (labelPattern != null) compile(labelPattern);
    }

    /** One subfolder per class. */
    public static AudioDirectorySource bySubfolder(Path directory, AudioFeatures features) {
        return new AudioDirectorySource(directory, Labelling.SUBFOLDERS, null, features, null);
    }

    /** A flat folder, labels from the file names: {@code labelPattern}'s first group. */
    public static AudioDirectorySource byFileName(Path directory, String labelPattern, AudioFeatures features) {
        return new AudioDirectorySource(directory, Labelling.FILE_NAME, labelPattern, features, null);
    }

    /** A flat folder of recordings to classify. */
    public static AudioDirectorySource unlabelled(Path directory, AudioFeatures features) {
        return new AudioDirectorySource(directory, Labelling.NONE, null, features, null);
    }

    public AudioDirectorySource withAugmentation(Augmentation on) {
        return new AudioDirectorySource(directory, labelling, labelPattern, features, on);
    }

    /**
     * @param fitted an {@link AudioEncoding} (a model's), or null to use {@link #features()}
     * @throws DataFileException naming the folder or file at fault: a missing or empty folder, a class folder
     *                           without WAVs, a file name the pattern does not match, an unreadable WAV
     */
    @Override
    public LabelledData read(SequenceEncoding fitted) {
        AudioEncoding encoding = switch (fitted) {
            case null -> new AudioEncoding(features);
            case AudioEncoding audio -> audio;
            default -> throw new IllegalArgumentException("an encoding of domain '" + fitted.domain() + "' cannot read audio");
        };
        List<Labelled> files = labelling == Labelling.SUBFOLDERS ? classFolders() : flatFolder();
        FeatureExtractor extractor = new FeatureExtractor(encoding.features());
        List<LabelledSequence> records = new ArrayList<>(files.size());
        Map<String, float[]> kept = augmentation == null ? null : new HashMap<>();
        for (Labelled file : files) {
            Audio audio = WavFile.read(file.path).resampled(encoding.features().sampleRate());
            Example input = encoding.encode(audio, extractor);
            records.add(LabelledSequence.of(file.id, input, file.label, file.path.toString()));
            if (kept != null) kept.put(file.id, audio.samples());
        }
        LabelledData.Augmenter augmenter = kept == null ? null : augmenter(kept, encoding.features());
        return new LabelledData(records, encoding, augmenter, directory.toString());
    }

    private LabelledData.Augmenter augmenter(Map<String, float[]> samples, AudioFeatures settings) {
        Augmentation plan = augmentation;
        return (record, seed) -> {
            float[] audio = samples.get(record.id());
            if (audio == null) throw new IllegalArgumentException("record '" + record.id() + "' was not read from " + directory);
            // an extractor per call: augmenters may run on several threads, and its tables are cheap next to the FFTs
            return plan.apply(audio, new FeatureExtractor(settings), seed);
        };
    }

    private record Labelled(Path path, String id, String label) {}

    private List<Labelled> classFolders() {
        List<Path> classes;
        try (Stream<Path> entries = Files.list(existingFolder())) {
            classes = entries.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw unreadable(directory, e);
        }
        if (classes.isEmpty()) {
            int loose = wavFilesIn(directory).size();
            throw DataFileException.ofFile(directory.toString(), loose == 0
                    ? "empty folder: no class subfolders holding WAV files"
                    : "no class subfolders, but " + loose + " WAV files directly in it: give a label pattern to label them by file name");
        }
        List<Labelled> files = new ArrayList<>();
        for (Path folder : classes) {
            String label = folder.getFileName().toString();
            List<Path> wavs;
            try (Stream<Path> tree = Files.walk(folder)) {
                wavs = tree.filter(AudioDirectorySource::isWav).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                throw unreadable(folder, e);
            }
            if (wavs.isEmpty()) throw DataFileException.ofFile(folder.toString(), "class folder '" + label + "' holds no WAV files");
            for (Path wav : wavs) files.add(new Labelled(wav, relativeId(wav), label));
        }
        return files;
    }

    private List<Labelled> flatFolder() {
        List<Path> wavs = wavFilesIn(existingFolder());
        if (wavs.isEmpty()) throw DataFileException.ofFile(directory.toString(), "empty folder: no .wav files in it");
        Pattern pattern = labelPattern == null ? null : compile(labelPattern);
        List<Labelled> files = new ArrayList<>(wavs.size());
        for (Path wav : wavs) {
            String name = wav.getFileName().toString();
            String label = null;
            if (pattern != null) {
                Matcher m = pattern.matcher(name);
                if (!m.find() || m.group(1) == null || m.group(1).isEmpty()) {
                    throw DataFileException.ofFile(wav.toString(),
                            "the file name does not match the label pattern '" + labelPattern + "' (its first group is the label)");
                }
                label = m.group(1);
            }
            files.add(new Labelled(wav, name, label));
        }
        return files;
    }

    private Path existingFolder() {
        if (!Files.isDirectory(directory)) {
            throw DataFileException.ofFile(directory.toString(), Files.exists(directory) ? "not a folder" : "no such folder");
        }
        return directory;
    }

    private List<Path> wavFilesIn(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(AudioDirectorySource::isWav).sorted().toList();
        } catch (IOException e) {
            throw unreadable(folder, e);
        }
    }

    private String relativeId(Path wav) {
        StringBuilder id = new StringBuilder();
        for (Path part : directory.relativize(wav)) {
            if (!id.isEmpty()) id.append('/');
            id.append(part);
        }
        return id.toString();
    }

    private static DataFileException unreadable(Path path, Exception e) {
        return new DataFileException(path.toString(), 0, null, "cannot list: " + e.getMessage(), e);
    }

    private static Pattern compile(String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("label pattern '" + regex + "' is not a regular expression: " + e.getDescription(), e);
        }
        if (pattern.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("label pattern '" + regex + "' needs a group for the label, e.g. '^(\\d)_'");
        }
        return pattern;
    }

    private static boolean isWav(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }
}
