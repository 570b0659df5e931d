package dev.rnn4j.cli;

import dev.rnn4j.data.text.TokenLevel;
import dev.rnn4j.data.text.Tokenization;
import dev.rnn4j.data.text.Tokenizer;
import dev.rnn4j.data.text.Vocabulary;
import picocli.CommandLine.Option;

import java.nio.charset.Charset;

/**
 * How text becomes tokens, for train lm and the text inputs of train classify ({@code @Mixin TokenOptions tokens;}).
 * The token level's default is the task's ({@link TaskDefaults}): characters for a language model, words for
 * sentence classification.
 */
final class TokenOptions {
    @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "CHARSET",
            description = "text files' encoding; bytes invalid in it are an error naming the line (TREC: ISO-8859-1)")
    String encoding;

    @Option(names = "--level", paramLabel = "L", completionCandidates = LevelNames.class, description = "${COMPLETION-CANDIDATES}: what a token is")
    TokenLevel level;

    @Option(names = "--tokenizer", defaultValue = "unicode", paramLabel = "T", completionCandidates = TokenizerNames.class,
            description = "${COMPLETION-CANDIDATES}: how words are cut (unicode: punctuation as separate tokens; whitespace: already "
                    + "tokenised text such as PTB or TREC)")
    Tokenizer tokenizer;

    @Option(names = "--lowercase", description = "lower-case every token")
    boolean lowercase;

    @Option(names = "--min-count", defaultValue = "1", paramLabel = "N", description = "rarer tokens become <unk>")
    int minCount;

    @Option(names = "--max-vocab", defaultValue = "0", paramLabel = "V", description = "at most V ids, specials included; 0 = no limit")
    int maxVocab;

    Charset charset() {
        try {
            return Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--encoding '" + encoding + "' is not a character set this Java knows (e.g. UTF-8, ISO-8859-1)");
        }
    }

    /** Words unless the command's defaults or --level say characters. */
    Tokenization tokenization() {
        Tokenization t = level == TokenLevel.CHAR ? Tokenization.characters() : Tokenization.words(tokenizer);
        return t.withLowercase(lowercase);
    }

    Vocabulary.Limits limits() {
        try {
            return new Vocabulary.Limits(minCount, maxVocab);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static final class LevelNames extends LowerCaseNames<TokenLevel> {
        LevelNames() {
            super(TokenLevel.class);
        }
    }

    static final class TokenizerNames extends LowerCaseNames<Tokenizer> {
        TokenizerNames() {
            super(Tokenizer.class);
        }
    }
}
