package dev.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file whole or not at all: to a hidden temporary file in the same directory (created with the process's
 * usual permissions), synced (fsync), renamed over the target, then the directory synced so that the rename itself
 * survives a power cut. On failure (a full disk, say) the temporary file is deleted and the target is untouched, so
 * an error, a Ctrl-C or a SIGKILL never leaves a half-written file. Every file rnn4j writes goes through here.
 */
public final class AtomicFile {
    /** The end of a temporary file's name: {@code .<name>.<random hex>.tmp}. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {}

    /** Writes the body into the channel of the temporary file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * @throws IOException from the body, or when the file cannot be created, synced or renamed (the temporary file
     *                     is gone by then)
     */
    public static void write(Path file, Body body) throws IOException {
        Path absolute = file.toAbsolutePath();
        String prefix = "." + absolute.getFileName() + ".";
        removeStaleTemporaries(absolute.getParent(), prefix);
        Path temp = absolute.resolveSibling(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                channel.force(true); // the rename must not become visible before the data is on disk
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more can be done; the original error is the one worth reporting
            }
            throw e;
        }
        syncDirectory(absolute.getParent());
    }

    /**
     * Deletes the temporary files of earlier writes of the same file that a killed process (SIGKILL, a power cut)
     * left behind; only files this class names, {@code .<name>.<hex>.tmp}.
     */
    private static void removeStaleTemporaries(Path directory, String prefix) {
        if (directory == null) return;
        try (var stale = Files.newDirectoryStream(directory, entry -> {
            String name = entry.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)
                    && name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length()).matches("[0-9a-f]{1,16}");
        })) {
            for (Path p : stale) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a directory that cannot be listed fails the write itself, with a better message
        }
    }

    /**
     * fsync of a directory, which makes a rename in it durable. Where directories cannot be opened (Windows) there is
     * nothing to do: there the rename is durable once it returns.
     */
    private static void syncDirectory(Path directory) throws IOException {
        if (directory == null) return;
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    /** Writes all of {@code buffer}. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }
}
