package dev.rnn4j.cli;

import dev.rnn4j.data.app.OutputFiles;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output files the CLI writes itself: checked before a long run, and written whole or not at all. */
final class AtomicFiles {
    private AtomicFiles() {}

    /** Fails before training rather than after it when an output's directory does not exist. */
    static void checkWritable(Path file) {
        if (file == null) return;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(file + ": cannot write: directory " + parent + " does not exist");
        }
    }

    /** Writes whole or not at all ({@link OutputFiles#writeAtomically}); a failure is a one-line error naming the file. */
    static void writeString(Path file, String text) {
        try {
            OutputFiles.writeAtomically(file, text);
        } catch (UncheckedIOException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
