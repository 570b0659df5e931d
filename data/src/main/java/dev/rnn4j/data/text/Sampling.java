package dev.rnn4j.data.text;

import java.util.Locale;

/**
 * How the next token is drawn from the model's distribution.
 *
 * @param temperature divides the logits: below 1 sharper, above 1 flatter; 0 takes the most likely token (greedy)
 * @param topK        draw only among the K most likely tokens; 0 for all
 * @param topP        draw only among the most likely tokens whose probabilities sum to P (nucleus sampling); 1 for all
 */
public record Sampling(double temperature, int topK, double topP) {
    public Sampling {
        if (!(temperature >= 0 && Double.isFinite(temperature))) throw new IllegalArgumentException("--temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 0 (0: all tokens), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
    }

    /** Plain sampling at temperature 1. */
    public static Sampling plain() {
        return new Sampling(1, 0, 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "temperature %s%s%s", temperature, topK > 0 ? ", top-k " + topK : "", topP < 1 ? ", top-p " + topP : "");
    }
}
