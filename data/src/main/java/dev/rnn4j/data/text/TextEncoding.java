package dev.rnn4j.data.text;

import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.train.Example;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sentences as token ids for a classifier: the {@link Tokenization} and a {@link Vocabulary} with padding (id 0) and
 * {@code <unk>}, fitted on the training records. Stored in a classifier's bundle ({@link #toJson()},
 * {@link #fromJson}) so that new sentences get the ids the training ones got.
 */
public final class TextEncoding implements SequenceEncoding {
    public static final String DOMAIN = "text";

    /**
     * How to fit an encoding.
     *
     * @param tokenization words (usually) or characters
     * @param limits       {@code --min-count}, {@code --max-vocab}
     */
    public record Settings(Tokenization tokenization, Vocabulary.Limits limits) {
        public Settings {
            Objects.requireNonNull(tokenization, "tokenization");
            Objects.requireNonNull(limits, "limits");
        }

        /** Unicode words as they are, every word kept. */
        public static Settings defaults() {
            return new Settings(Tokenization.words(Tokenizer.UNICODE), Vocabulary.Limits.none());
        }
    }

    private final Tokenization tokenization;
    private final Vocabulary vocabulary;

    /** @throws IllegalArgumentException if the vocabulary has no padding id */
    public TextEncoding(Tokenization tokenization, Vocabulary vocabulary) {
        this.tokenization = Objects.requireNonNull(tokenization, "tokenization");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        if (vocabulary.paddingId() < 0) throw new IllegalArgumentException("a text encoding's vocabulary needs a padding id");
    }

    /** Chooses the vocabulary from these texts (the training records'). */
    public static TextEncoding fit(List<String> texts, Settings settings) {
        TokenCounts counts = new TokenCounts();
        List<String> tokens = new ArrayList<>();
        for (String text : texts) {
            tokens.clear();
            settings.tokenization().addTokens(text, tokens);
            counts.addAll(tokens);
        }
        return new TextEncoding(settings.tokenization(), Vocabulary.of(counts, settings.limits(), Vocabulary.Special.PADDING));
    }

    /** The ids of a text's tokens; a text without tokens is one {@code <unk>} (an example needs a step). */
    public int[] encode(String text) {
        List<String> tokens = tokenization.tokens(text);
        if (tokens.isEmpty()) return new int[] {vocabulary.unknownId()};
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = vocabulary.idOf(tokens.get(i));
        return ids;
    }

    /** The text as a classifier's input, without a target. */
    public Example example(String text) {
        return Example.ofTokens(encode(text));
    }

    /** How much of these texts the vocabulary covers. */
    public Vocabulary.Coverage coverage(List<String> texts) {
        TokenCounts counts = new TokenCounts();
        for (String text : texts) counts.addAll(tokenization.tokens(text));
        return vocabulary.coverage(counts);
    }

    public Tokenization tokenization() {
        return tokenization;
    }

    /** The tokens by id. */
    public Vocabulary tokens() {
        return vocabulary;
    }

    @Override
    public String domain() {
        return DOMAIN;
    }

    @Override
    public int featuresPerStep() {
        return 0;
    }

    @Override
    public int vocabulary() {
        return vocabulary.size();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", DOMAIN);
        json.put("tokenization", tokenization.toJson());
        json.put("vocabulary", vocabulary.toJson());
        return json;
    }

    /** @throws IllegalArgumentException naming the key at fault, or for another domain */
    public static TextEncoding fromJson(Map<String, Object> json) {
        String domain = JsonValues.string(json, "domain");
        if (!DOMAIN.equals(domain)) throw new IllegalArgumentException("not a text encoding: domain '" + domain + "'");
        return new TextEncoding(Tokenization.fromJson(JsonValues.object(json, "tokenization")),
                Vocabulary.fromJson(JsonValues.object(json, "vocabulary")));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextEncoding e && e.tokenization.equals(tokenization) && e.vocabulary.equals(vocabulary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenization, vocabulary);
    }
}
