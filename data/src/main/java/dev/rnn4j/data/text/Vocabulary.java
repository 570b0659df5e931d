package dev.rnn4j.data.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Token ids 0..V-1: the special tokens first (padding, {@code <unk>}, {@code <eos>}, those asked for, in that order),
 * then the counted tokens by frequency, ties by first appearance in the text (never by a hash order), so the same
 * text gives the same ids run after run. Tokens rarer than {@code minCount}, or beyond {@code maxSize}, map to
 * {@code <unk>}. A literal {@code <unk>} or {@code <eos>} in the text (PTB writes {@code <unk>}) is the special token.
 */
public final class Vocabulary {
    public static final String UNKNOWN = "<unk>";
    public static final String END_OF_LINE = "<eos>";
    public static final String PADDING = "<pad>";

    /** Which special tokens a vocabulary has; {@code <unk>} always. */
    public enum Special {
        /** Padding, id 0: for batches of sentences of different lengths (classification). */
        PADDING,
        /** {@code <eos>} at each line end: the PTB convention for word-level language models. */
        END_OF_LINE
    }

    /**
     * @param minCount tokens seen fewer times map to {@code <unk>} (at least 1)
     * @param maxSize  at most this many ids, specials included; 0 for no limit
     */
    public record Limits(int minCount, int maxSize) {
        public Limits {
            if (minCount < 1) throw new IllegalArgumentException("--min-count must be at least 1, got " + minCount);
            if (maxSize < 0) throw new IllegalArgumentException("--max-vocab must be at least 0 (0: no limit), got " + maxSize);
        }

        public static Limits none() {
            return new Limits(1, 0);
        }
    }

    private final List<String> tokens;      // [V] id -> token
    private final Map<String, Integer> ids; // token -> id, lookup only
    private final int unknownId;
    private final int endOfLineId;          // -1 without
    private final int paddingId;            // -1 without

    private Vocabulary(List<String> tokens, boolean padding, boolean endOfLine) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            if (map.put(this.tokens.get(i), i) != null) throw new IllegalArgumentException("token '" + this.tokens.get(i) + "' appears twice");
        }
        this.ids = map;
        this.paddingId = padding ? id(PADDING) : -1;
        this.unknownId = id(UNKNOWN);
        this.endOfLineId = endOfLine ? id(END_OF_LINE) : -1;
        if (unknownId < 0 || (padding && paddingId < 0) || (endOfLine && endOfLineId < 0)) {
            throw new IllegalArgumentException("the vocabulary lacks one of its special tokens");
        }
    }

    private int id(String token) {
        Integer i = ids.get(token);
        return i == null ? -1 : i;
    }

    /** Chooses the vocabulary from counted tokens; see the class comment. */
    public static Vocabulary of(TokenCounts counts, Limits limits, Special... specials) {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(limits, "limits");
        boolean padding = false, endOfLine = false;
        for (Special s : specials) {
            if (s == Special.PADDING) padding = true;
            if (s == Special.END_OF_LINE) endOfLine = true;
        }
        List<String> list = new ArrayList<>();
        if (padding) list.add(PADDING);
        list.add(UNKNOWN);
        if (endOfLine) list.add(END_OF_LINE);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < counts.distinct(); i++) order.add(i);
        // stable sort: equal counts keep their first-appearance order
        order.sort((a, b) -> Long.compare(counts.countAt(b), counts.countAt(a)));
        List<String> distinct = counts.tokens();
        for (int i : order) {
            if (limits.maxSize() > 0 && list.size() >= limits.maxSize()) break;
            if (counts.countAt(i) < limits.minCount()) break; // sorted: the rest are rarer
            String token = distinct.get(i);
            if (token.equals(PADDING) || token.equals(UNKNOWN) || token.equals(END_OF_LINE)) continue;
            list.add(token);
        }
        return new Vocabulary(list, padding, endOfLine);
    }

    /** V. */
    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or {@link #unknownId()} when it is not in the vocabulary. */
    public int idOf(String token) {
        Integer i = ids.get(token);
        return i == null ? unknownId : i;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token of an id. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** Every token, by id. */
    public List<String> tokens() {
        return tokens;
    }

    public int unknownId() {
        return unknownId;
    }

    /** The id of {@code <eos>}, or -1 without. */
    public int endOfLineId() {
        return endOfLineId;
    }

    /** The id of {@code <pad>} (0), or -1 without. */
    public int paddingId() {
        return paddingId;
    }

    /**
     * How much of a text the vocabulary covers.
     *
     * @param tokens         token occurrences
     * @param covered        occurrences with an id of their own (not {@code <unk>})
     * @param distinct       distinct tokens
     * @param distinctCovered distinct tokens with an id of their own
     */
    public record Coverage(long tokens, long covered, int distinct, int distinctCovered) {
        /** The share of token occurrences in the vocabulary, 0..1 (1 for no tokens). */
        public double share() {
            return tokens == 0 ? 1.0 : (double) covered / tokens;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tokens", tokens);
            json.put("covered", covered);
            json.put("share", share());
            json.put("distinct", distinct);
            json.put("distinct_covered", distinctCovered);
            return json;
        }
    }

    /** The share of {@code counts}' occurrences that have an id of their own (a literal {@code <unk>} does not). */
    public Coverage coverage(TokenCounts counts) {
        long covered = 0;
        int distinctCovered = 0;
        List<String> distinct = counts.tokens();
        for (int i = 0; i < distinct.size(); i++) {
            String t = distinct.get(i);
            if (idOf(t) != unknownId) {
                covered += counts.countAt(i);
                distinctCovered++;
            }
        }
        return new Coverage(counts.total(), covered, distinct.size(), distinctCovered);
    }

    /** {@code {"tokens": [...], "padding": bool, "end_of_line": bool}}: the tokens by id. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tokens", tokens);
        json.put("padding", paddingId >= 0);
        json.put("end_of_line", endOfLineId >= 0);
        return json;
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static Vocabulary fromJson(Map<String, Object> json) {
        List<String> list = JsonValues.strings(json, "tokens");
        return new Vocabulary(list, JsonValues.bool(json, "padding"), JsonValues.bool(json, "end_of_line"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.tokens.equals(tokens) && v.paddingId == paddingId && v.endOfLineId == endOfLineId;
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary(" + tokens.size() + " tokens: " + String.join(" ", tokens.subList(0, Math.min(10, tokens.size())))
                + (tokens.size() > 10 ? " ..." : "") + ")";
    }
}
