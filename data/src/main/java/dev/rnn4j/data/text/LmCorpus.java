package dev.rnn4j.data.text;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A language model's text: the training text, and optionally a validation and a test text (without a validation
 * text, the end of the training text validates; see {@link LmSettings#validationFraction()}).
 *
 * @param train      the training text
 * @param validation or null
 * @param test       or null
 */
public record LmCorpus(TextFile train, TextFile validation, TextFile test) {
    public LmCorpus {
        Objects.requireNonNull(train, "train");
    }

    /**
     * Reads the files, strictly decoded in {@code charset}.
     *
     * @param validation or null
     * @param test       or null
     * @throws dev.rnn4j.data.DataFileException for a missing file or invalid bytes (naming the line)
     */
    public static LmCorpus read(Path train, Path validation, Path test, Charset charset) {
        return new LmCorpus(TextFile.read(train, charset), validation == null ? null : TextFile.read(validation, charset),
                test == null ? null : TextFile.read(test, charset));
    }

    /**
     * Splits {@code text} into its first part and its last {@code fraction} of characters, as nanoGPT does; at word
     * level the cut moves on to the next line start, so that no word or line is cut.
     *
     * @return {training part, validation part}
     */
    public static TextFile[] splitLast(TextFile text, double fraction, TokenLevel level) {
        String s = text.text();
        int cut = (int) (s.length() * (1 - fraction));
        if (cut > 0 && cut < s.length() && Character.isLowSurrogate(s.charAt(cut))) cut++;
        if (level == TokenLevel.WORD) {
            int newline = s.indexOf('\n', cut == 0 ? 0 : cut - 1);
            cut = newline < 0 ? s.length() : newline + 1;
        }
        return new TextFile[] {text.slice(0, cut, "training part"), text.slice(cut, s.length(), "validation part")};
    }
}
