package dev.rnn4j.data.text;

/** What one token is. */
public enum TokenLevel {
    /** One Unicode code point (a letter, a space, a newline); the vocabulary is the text's characters. */
    CHAR,
    /** One word as the {@link Tokenizer} cuts it; each line ends with {@code <eos>} for a language model. */
    WORD
}
