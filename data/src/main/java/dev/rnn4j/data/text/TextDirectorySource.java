package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A folder with one subfolder per class, each holding {@code .txt} files, one text per file, as Keras'
 * {@code text_dataset_from_directory} reads them ({@code --text-dir D}): the label is the subfolder's name. Classes
 * and files are read in sorted order (files in nested folders too), so the records come in the same order everywhere.
 *
 * @param directory the folder of class folders
 * @param charset   how the files are encoded
 * @param settings  how to fit the encoding when none is given
 */
public record TextDirectorySource(Path directory, Charset charset, TextEncoding.Settings settings) implements SequenceSource {
    public TextDirectorySource {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public LabelledData read(SequenceEncoding fitted) {
        String source = directory.toString();
        if (!Files.isDirectory(directory)) throw DataFileException.ofFile(source, "no such directory");
        List<TextRecords.Raw> raw = new ArrayList<>();
        List<Path> classes = sorted(directory, Files::isDirectory, false);
        if (classes.isEmpty()) throw DataFileException.ofFile(source, "no class folders: put each class's .txt files in a folder named after it");
        for (Path classDir : classes) {
            String label = classDir.getFileName().toString();
            for (Path file : sorted(classDir, p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt"), true)) {
                String id = directory.relativize(file).toString().replace('\\', '/');
                raw.add(new TextRecords.Raw(id, TextFile.read(file, charset).text(), label, file.toString()));
            }
        }
        if (raw.isEmpty()) throw DataFileException.ofFile(source, "no .txt files in the class folders " + classes.stream().map(p -> p.getFileName().toString()).toList());
        return TextRecords.encode(raw, fitted, settings, source);
    }

    private static List<Path> sorted(Path dir, java.util.function.Predicate<Path> keep, boolean recursive) {
        try (Stream<Path> paths = recursive ? Files.walk(dir) : Files.list(dir)) {
            return paths.filter(p -> !p.getFileName().toString().startsWith(".")).filter(keep).sorted().toList();
        } catch (IOException e) {
            throw DataFileException.ofFile(dir.toString(), "cannot be listed: " + e.getMessage());
        }
    }
}
