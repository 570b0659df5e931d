package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The character-level Penn Treebank (Mikolov's split, as Cooijmans et al. 2016 and most character-level papers use it)
 * derived from the word-level files: {@code ptb.char.train.txt} is not redistributed with the word files, but it is a
 * deterministic transform of {@code ptb.train.txt}, and the same transform of {@code ptb.valid.txt} and
 * {@code ptb.test.txt} gives the published {@code ptb.char.valid.txt} and {@code ptb.char.test.txt} byte for byte.
 *
 * <p>The transform: cut the word file at each {@code \n} (the piece after the last one, empty for a file that ends
 * with a newline, counts as a line); in each line, spell every word (a run of non-white characters) as its characters
 * joined by single spaces, and join the words with {@code " _ "}; then prefix a space to every line but the first, and
 * append a space to every line that has a word; join the lines with {@code \n}. So the file ends with {@code "\n "}, and
 * every symbol (character, {@code _} for a word boundary) is a white-space-separated token: train on it with
 * {@code --level word --tokenizer whitespace}, which adds the end of line as a symbol of its own (50 in all for train).
 */
public final class PennTreebankChars {
    /** sha256 of ptb.char.train.txt derived from the canonical ptb.train.txt (10,034,964 bytes, 4,975,414 symbols). */
    public static final String TRAIN_SHA256 = "e313d91425e06c4f0a8fb6e881dcce0c291f2a0e9f4dda54833069b122f91da9";

    private PennTreebankChars() {}

    /** The character-level text of a word-level text. */
    public static String fromWords(String words) {
        StringBuilder out = new StringBuilder(2 * words.length() + 16);
        int start = 0;
        for (int line = 0; ; line++) {
            int end = words.indexOf('\n', start);
            if (line > 0) out.append('\n').append(' ');
            appendLine(words, start, end < 0 ? words.length() : end, out);
            if (end < 0) return out.toString();
            start = end + 1;
        }
    }

    /** One line's words, spelled, joined with " _ ", and a trailing space if it has a word. */
    private static void appendLine(String text, int from, int to, StringBuilder out) {
        boolean any = false;
        int i = from;
        while (i < to) {
            while (i < to && Character.isWhitespace(text.charAt(i))) i++;
            if (i == to) break;
            if (any) out.append(" _ ");
            boolean first = true;
            while (i < to && !Character.isWhitespace(text.charAt(i))) {
                int cp = text.codePointAt(i);
                if (!first) out.append(' ');
                out.appendCodePoint(cp);
                first = false;
                i += Character.charCount(cp);
            }
            any = true;
        }
        if (any) out.append(' ');
    }

    /** What {@link #derive} wrote: the file, its size, its sha256 and its symbols (white-space-separated tokens). */
    public record Derived(Path file, long bytes, String sha256, long symbols) {}

    /**
     * Writes the character-level form of a word-level file (UTF-8).
     *
     * @throws DataFileException naming the file that cannot be read or written
     */
    public static Derived derive(Path wordFile, Path charFile) {
        String words;
        try {
            words = Files.readString(wordFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DataFileException.ofFile(wordFile.toString(), "cannot be read: " + e.getMessage());
        }
        String chars = fromWords(words);
        byte[] bytes = chars.getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = charFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(charFile, bytes);
        } catch (IOException e) {
            throw DataFileException.ofFile(charFile.toString(), "cannot be written: " + e.getMessage());
        }
        long symbols = 0;
        boolean inToken = false;
        for (int i = 0; i < chars.length(); i++) {
            boolean white = Character.isWhitespace(chars.charAt(i));
            if (!white && !inToken) symbols++;
            inToken = !white;
        }
        return new Derived(charFile, bytes.length, sha256(bytes), symbols);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
