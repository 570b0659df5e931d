package dev.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static AtomicFile.Body text(String s) {
        return channel -> AtomicFile.writeFully(channel, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    private long entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("checkpoint.rnn4j");
        AtomicFile.write(file, text("version 1"));
        IOException full = assertThrows(IOException.class, () -> AtomicFile.write(file, channel -> {
            AtomicFile.writeFully(channel, ByteBuffer.wrap(new byte[1000]));
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", full.getMessage());
        assertEquals("version 1", Files.readString(file));
        assertEquals(1, entries(), "no temporary file is left");
    }

    @Test
    void temporariesOfAKilledWriteAreRemovedByTheNextWriteOfThatFile() throws IOException {
        Path file = dir.resolve("m.rnn4j");
        Path stale = dir.resolve(".m.rnn4j.3f2a9c" + AtomicFile.TEMP_SUFFIX);
        Path other = dir.resolve(".other.rnn4j.3f2a9c" + AtomicFile.TEMP_SUFFIX);
        Files.writeString(stale, "half");
        Files.writeString(other, "half of another file");
        AtomicFile.write(file, text("whole"));
        assertEquals("whole", Files.readString(file));
        assertFalse(Files.exists(stale));
        assertEquals("half of another file", Files.readString(other), "only this file's temporaries go");
    }
}
