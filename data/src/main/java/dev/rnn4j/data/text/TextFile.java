package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.StrictCharsetReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A whole text file, decoded strictly (a byte that is not valid in the charset is an error naming its line and
 * offset, never a silent U+FFFD), with the SHA-256 of its bytes for provenance.
 *
 * @param source as the user named the file
 * @param text   the decoded text, a leading byte order mark removed
 * @param sha256 of the file's bytes, hex
 */
public record TextFile(String source, String text, String sha256) {
    public TextFile {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Reads and decodes a file.
     *
     * @throws DataFileException for a missing or unreadable file, or invalid bytes (naming the line and byte offset)
     */
    public static TextFile read(Path file, Charset charset) {
        String source = file.toString();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder text = new StringBuilder();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
             Reader reader = new StrictCharsetReader(in, source, charset)) {
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) >= 0; ) text.append(buffer, 0, n);
        } catch (NoSuchFileException e) {
            throw DataFileException.ofFile(source, "no such file");
        } catch (IOException e) {
            throw DataFileException.ofFile(source, "cannot read: " + e.getMessage());
        }
        return new TextFile(source, text.toString(), HexFormat.of().formatHex(digest.digest()));
    }

    /** Text given in code (tests, a Java user's string), with no file behind it. */
    public static TextFile of(String source, String text) {
        return new TextFile(source, text, null);
    }

    /**
     * The lines, without their line ends ({@code \n}, {@code \r\n}); a final line end does not start another line.
     * Line i of the list is line i + 1 of the file.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        int n = text.length(), start = 0;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(text.substring(start, end));
                start = i + 1;
            }
        }
        if (start < n) lines.add(text.substring(start));
        return lines;
    }

    /** A part of this text as its own file, for a split: the source says which part. */
    TextFile slice(int from, int to, String part) {
        return new TextFile(source + " (" + part + ")", text.substring(from, to), sha256);
    }
}
