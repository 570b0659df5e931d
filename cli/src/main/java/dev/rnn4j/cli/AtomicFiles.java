package dev.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    /** Writes to a temporary file beside {@code file}, then renames it, so a failure leaves no half-written file. */
    static void writeString(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
            throw new UsageException(file + ": cannot write: " + e.getMessage());
        }
    }
}
