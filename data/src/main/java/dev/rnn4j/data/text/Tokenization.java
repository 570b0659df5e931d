package dev.rnn4j.data.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How text becomes tokens: the level, the tokenizer for words, and lower-casing. Stored in bundles ({@link #toJson()})
 * so that new text is cut exactly as the training text was.
 *
 * @param level     characters or words
 * @param tokenizer how words are cut (ignored at character level)
 * @param lowercase lower-case the text first (Locale.ROOT)
 */
public record Tokenization(TokenLevel level, Tokenizer tokenizer, boolean lowercase) {
    public Tokenization {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** Characters, as they are. */
    public static Tokenization characters() {
        return new Tokenization(TokenLevel.CHAR, Tokenizer.UNICODE, false);
    }

    /** Words cut by {@code tokenizer}, as they are. */
    public static Tokenization words(Tokenizer tokenizer) {
        return new Tokenization(TokenLevel.WORD, tokenizer, false);
    }

    public Tokenization withLowercase(boolean lower) {
        return new Tokenization(level, tokenizer, lower);
    }

    /** The tokens of one line (without its line end): code points at character level, else words. */
    public List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        addTokens(line, out);
        return out;
    }

    /** Appends the tokens of {@code text} to {@code out}; at character level a newline in it is a token too. */
    public void addTokens(String text, List<String> out) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        if (level == TokenLevel.WORD) {
            tokenizer.split(s, out);
            return;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int width = Character.charCount(cp);
            out.add(s.substring(i, i + width));
            i += width;
        }
    }

    /**
     * A language model's tokens of a whole text, in order, to {@code sink}: at character level every code point (line
     * ends included); at word level each line's words followed by {@link Vocabulary#END_OF_LINE} (the PTB convention).
     */
    public void forEachLmToken(String text, java.util.function.Consumer<String> sink) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        if (level == TokenLevel.CHAR) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int width = Character.charCount(cp);
                sink.accept(width == 1 ? String.valueOf(s.charAt(i)) : s.substring(i, i + width));
                i += width;
            }
            return;
        }
        List<String> words = new ArrayList<>();
        for (String line : TextFile.of("", s).lines()) {
            words.clear();
            tokenizer.split(line, words);
            for (String w : words) sink.accept(w);
            sink.accept(Vocabulary.END_OF_LINE);
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("level", level.name().toLowerCase(Locale.ROOT));
        json.put("tokenizer", tokenizer.name().toLowerCase(Locale.ROOT));
        json.put("lowercase", lowercase);
        return json;
    }

    /** @throws IllegalArgumentException naming the key at fault */
    public static Tokenization fromJson(Map<String, Object> json) {
        return new Tokenization(JsonValues.enumValue(json, "level", TokenLevel.class), JsonValues.enumValue(json, "tokenizer", Tokenizer.class),
                JsonValues.bool(json, "lowercase"));
    }
}
