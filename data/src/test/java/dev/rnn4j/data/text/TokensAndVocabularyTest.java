package dev.rnn4j.data.text;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensAndVocabularyTest {

    @Test
    void whitespaceTokenizerKeepsPunctuationAttached() {
        assertEquals(List.of("What", "is", "viscosity", "?"), Tokenizer.WHITESPACE.split(" What  is\tviscosity ? "));
        assertEquals(List.of("don't,", "x"), Tokenizer.WHITESPACE.split("don't, x"));
        assertEquals(List.of(), Tokenizer.WHITESPACE.split("   "));
    }

    @Test
    void unicodeTokenizerSplitsPunctuationAndKeepsWordsWithMarks() {
        assertEquals(List.of("Don", "'", "t", "panic", ",", "42", "!"), Tokenizer.UNICODE.split("Don't panic, 42!"));
        assertEquals(List.of("naïve", "café", "—", "snake_case"), Tokenizer.UNICODE.split("naïve café—snake_case"));
        // a combining accent stays in its word; a non-breaking space separates
        assertEquals(List.of("cafe\u0301", "ok"), Tokenizer.UNICODE.split("cafe\u0301\u00A0ok"));
        assertEquals(List.of("日本語", "。"), Tokenizer.UNICODE.split("日本語。"));
    }

    @Test
    void characterLevelIsCodePointsAndLowercaseUsesRoot() {
        Tokenization chars = Tokenization.characters();
        assertEquals(List.of("a", "😀", "\n", "B"), chars.tokens("a😀\nB"));
        assertEquals(List.of("i", "ı"), chars.withLowercase(true).tokens("Iı"), "Locale.ROOT lower-cases I to i, never to dotless ı");
        assertEquals(List.of("hello", ",", "world"), Tokenization.words(Tokenizer.UNICODE).withLowercase(true).tokens("Hello, WORLD"));
    }

    @Test
    void lmTokensEndEachWordLineWithEos() {
        List<String> tokens = new ArrayList<>();
        Tokenization.words(Tokenizer.WHITESPACE).forEachLmToken(" a b \n\nc\n", tokens::add);
        assertEquals(List.of("a", "b", "<eos>", "<eos>", "c", "<eos>"), tokens);
        tokens.clear();
        Tokenization.characters().forEachLmToken("ab\n", tokens::add);
        assertEquals(List.of("a", "b", "\n"), tokens);
    }

    static TokenCounts counts(String... tokens) {
        TokenCounts c = new TokenCounts();
        c.addAll(List.of(tokens));
        return c;
    }

    @Test
    void orderIsSpecialsThenFrequencyThenFirstAppearance() {
        TokenCounts c = counts("z", "b", "a", "b", "a", "y", "c", "c", "x");
        Vocabulary v = Vocabulary.of(c, Vocabulary.Limits.none(), Vocabulary.Special.END_OF_LINE);
        // b, a, c twice (in that order of first appearance), then z, y, x once (likewise)
        assertEquals(List.of("<unk>", "<eos>", "b", "a", "c", "z", "y", "x"), v.tokens());
        Vocabulary withPadding = Vocabulary.of(c, Vocabulary.Limits.none(), Vocabulary.Special.PADDING);
        assertEquals(0, withPadding.paddingId());
        assertEquals(List.of("<pad>", "<unk>", "b", "a", "c", "z", "y", "x"), withPadding.tokens());
        assertEquals(-1, withPadding.endOfLineId());
    }

    @Test
    void minCountAndMaxVocabMapTheRestToUnk() {
        TokenCounts c = counts("a", "a", "a", "b", "b", "c", "<unk>", "d", "d");
        Vocabulary min2 = Vocabulary.of(c, new Vocabulary.Limits(2, 0));
        assertEquals(List.of("<unk>", "a", "b", "d"), min2.tokens());
        assertEquals(min2.unknownId(), min2.idOf("c"));
        assertEquals(min2.unknownId(), min2.idOf("<unk>"), "a literal <unk> (PTB) is the special token");
        Vocabulary max3 = Vocabulary.of(c, new Vocabulary.Limits(1, 3));
        assertEquals(List.of("<unk>", "a", "b"), max3.tokens(), "specials count towards --max-vocab");
        Vocabulary.Coverage coverage = max3.coverage(c);
        assertEquals(9, coverage.tokens());
        assertEquals(5, coverage.covered());
        assertEquals(5 / 9.0, coverage.share(), 1e-12);
        assertEquals(2, coverage.distinctCovered());
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary.Limits(0, 0));
    }

    @Test
    void jsonRoundTripKeepsIdsAndSpecials() {
        Vocabulary v = Vocabulary.of(counts("é", "b", "b", "\n", "\"q\""), Vocabulary.Limits.none(), Vocabulary.Special.PADDING,
                Vocabulary.Special.END_OF_LINE);
        Vocabulary back = Vocabulary.fromJson(Json.parseObject(Json.write(v.toJson())));
        assertEquals(v, back);
        assertEquals(v.tokens(), back.tokens());
        assertEquals(v.paddingId(), back.paddingId());
        assertEquals(v.endOfLineId(), back.endOfLineId());
        assertEquals(v.idOf("\n"), back.idOf("\n"));
        Tokenization t = Tokenization.words(Tokenizer.WHITESPACE).withLowercase(true);
        assertEquals(t, Tokenization.fromJson(Json.parseObject(Json.write(t.toJson()))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenization.fromJson(Json.parseObject("{\"level\":\"byte\",\"tokenizer\":\"unicode\",\"lowercase\":false}")));
        assertTrue(e.getMessage().contains("'level'"), e.getMessage());
    }

    @Test
    void sameTextSameIdsWhateverTheHashOrder() {
        // many ties: a hash order would scramble them; first appearance keeps them in text order
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 500; i++) words.add("w" + (i * 7919 % 1000));
        TokenCounts c = new TokenCounts();
        c.addAll(words);
        Vocabulary v = Vocabulary.of(c, Vocabulary.Limits.none());
        assertEquals(words, v.tokens().subList(1, v.size()));
        assertFalse(v.contains("w1"));
    }
}
