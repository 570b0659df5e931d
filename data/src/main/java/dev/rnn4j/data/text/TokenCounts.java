package dev.rnn4j.data.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each token occurs, and in which order tokens first appeared: what a {@link Vocabulary} is chosen from.
 * The order of first appearance breaks frequency ties, so the vocabulary never depends on a hash order.
 */
public final class TokenCounts {
    private final Map<String, Integer> index = new HashMap<>(); // token -> position in first-appearance order (lookup only)
    private final List<String> tokens = new ArrayList<>();      // in order of first appearance
    private long[] counts = new long[16];                       // [tokens.size()]
    private long total;

    public void add(String token) {
        Integer i = index.get(token);
        if (i == null) {
            i = tokens.size();
            index.put(token, i);
            tokens.add(token);
            if (i == counts.length) counts = java.util.Arrays.copyOf(counts, 2 * counts.length);
        }
        counts[i]++;
        total++;
    }

    public void addAll(Iterable<String> tokenList) {
        for (String t : tokenList) add(t);
    }

    /** Occurrences of {@code token}, 0 if it never occurred. */
    public long count(String token) {
        Integer i = index.get(token);
        return i == null ? 0 : counts[i];
    }

    /** Every distinct token, in order of first appearance. */
    public List<String> tokens() {
        return List.copyOf(tokens);
    }

    /** Occurrences of the i-th distinct token (first-appearance order). */
    long countAt(int i) {
        return counts[i];
    }

    /** Distinct tokens. */
    public int distinct() {
        return tokens.size();
    }

    /** All occurrences. */
    public long total() {
        return total;
    }
}
