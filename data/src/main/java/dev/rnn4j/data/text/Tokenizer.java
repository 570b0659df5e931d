package dev.rnn4j.data.text;

import java.util.ArrayList;
import java.util.List;

/** How a line of text is cut into words. */
public enum Tokenizer {
    /** Split on white space only: for text that is already tokenised (PTB, TREC). */
    WHITESPACE {
        @Override
        void split(String line, List<String> out) {
            int n = line.length(), start = -1;
            for (int i = 0; i < n; ) {
                int cp = line.codePointAt(i);
                boolean space = isSpace(cp);
                if (space && start >= 0) {
                    out.add(line.substring(start, i));
                    start = -1;
                } else if (!space && start < 0) {
                    start = i;
                }
                i += Character.charCount(cp);
            }
            if (start >= 0) out.add(line.substring(start));
        }
    },
    /**
     * Unicode-aware: runs of letters, digits, combining marks and connector punctuation ({@code _}) are words; every
     * other visible code point (punctuation, symbols) is a token of its own; white space separates.
     * {@code "Don't panic, 42!"} gives {@code Don ' t panic , 42 !}.
     */
    UNICODE {
        @Override
        void split(String line, List<String> out) {
            int n = line.length(), start = -1;
            for (int i = 0; i < n; ) {
                int cp = line.codePointAt(i);
                int width = Character.charCount(cp);
                if (isWordPart(cp)) {
                    if (start < 0) start = i;
                } else {
                    if (start >= 0) {
                        out.add(line.substring(start, i));
                        start = -1;
                    }
                    if (!isSpace(cp) && !Character.isISOControl(cp)) out.add(line.substring(i, i + width));
                }
                i += width;
            }
            if (start >= 0) out.add(line.substring(start));
        }
    };

    /** Appends the words of {@code line} to {@code out}. */
    abstract void split(String line, List<String> out);

    /** The words of {@code line}, in order. */
    public List<String> split(String line) {
        List<String> out = new ArrayList<>();
        split(line, out);
        return out;
    }

    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean isWordPart(int cp) {
        if (Character.isLetterOrDigit(cp)) return true;
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.CONNECTOR_PUNCTUATION;
    }
}
