package dev.rnn4j.data.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the path-based readers' fuzz inputs go: one temporary directory per test class, under target/. */
public final class FuzzFiles {
    private FuzzFiles() {}

    public static Path directory(String name) {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Path dir = Files.createTempDirectory(target.toAbsolutePath(), name);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code name} in {@code dir}, replacing what was there. */
    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
