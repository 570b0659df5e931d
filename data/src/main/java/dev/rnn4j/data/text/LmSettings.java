package dev.rnn4j.data.text;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a language model is trained on and how, beyond the shared {@link dev.rnn4j.data.app.TrainingSettings}: the
 * tokens, the vocabulary limits, the truncated-BPTT length, the embedding and the validation split.
 *
 * @param tokenization       characters or words, and how words are cut
 * @param limits             {@code --min-count}, {@code --max-vocab}
 * @param bptt               steps per truncated-BPTT chunk; the state is carried across chunks
 * @param embeddingSize      E; 0 for the hidden size (which tied weights need)
 * @param tieWeights         the output matrix is the embedding table (Press &amp; Wolf 2017)
 * @param validationFraction without a validation file, this share of the text's characters, at its end, validates
 * @param learningRateDecay  the learning rate is multiplied by this after every epoch past {@code decayAfter} (1: constant)
 * @param decayAfter         epochs at the full learning rate before the decay starts, at least 1
 * @param initScale          every weight starts uniform in [-initScale, initScale] (Zaremba et al.'s init_scale); 0 for the
 *                           training settings' scheme
 * @param sumOverSteps       the gradient is that of the batch-mean loss summed over the bptt steps, as Zaremba et al.'s
 *                           reference code, instead of the per-token mean (the loss reported stays per token)
 */
public record LmSettings(Tokenization tokenization, Vocabulary.Limits limits, int bptt, int embeddingSize, boolean tieWeights,
                         double validationFraction, double learningRateDecay, int decayAfter, double initScale, boolean sumOverSteps) {
    public static final int DEFAULT_BPTT = 128;
    /** nanoGPT's split: the last 10% of the characters. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    public LmSettings {
        Objects.requireNonNull(tokenization, "tokenization");
        Objects.requireNonNull(limits, "limits");
        if (bptt < 1) throw new IllegalArgumentException("--bptt must be at least 1, got " + bptt);
        if (embeddingSize < 0) throw new IllegalArgumentException("--embedding-size must be at least 1 (or 0: the hidden size), got " + embeddingSize);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + learningRateDecay);
        }
        if (decayAfter < 1) throw new IllegalArgumentException("--lr-decay-after must be at least 1 epoch, got " + decayAfter);
        if (!(initScale >= 0 && initScale <= 10)) throw new IllegalArgumentException("--init-scale must be in [0, 10] (0: the default scheme), got " + initScale);
    }

    /** The embedding size for a network of {@code hidden} units. */
    public int embeddingSize(int hidden) {
        return embeddingSize == 0 ? hidden : embeddingSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>(tokenization.toJson());
        json.put("min_count", limits.minCount());
        json.put("max_vocab", limits.maxSize());
        json.put("bptt", bptt);
        json.put("embedding_size", embeddingSize);
        json.put("tie_weights", tieWeights);
        json.put("validation_fraction", validationFraction);
        json.put("lr_decay", learningRateDecay);
        json.put("lr_decay_after", decayAfter);
        json.put("init_scale", initScale);
        json.put("sum_over_steps", sumOverSteps);
        return json;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s level%s, bptt %d", tokenization.level().name().toLowerCase(Locale.ROOT),
                tokenization.level() == TokenLevel.WORD ? " (" + tokenization.tokenizer().name().toLowerCase(Locale.ROOT) + ")" : "", bptt);
    }

    /** Starts from characters as they are, no vocabulary limit, bptt 128, E = H, untied, last 10% validating, a constant learning rate. */
    public static final class Builder {
        private Tokenization tokenization = Tokenization.characters();
        private Vocabulary.Limits limits = Vocabulary.Limits.none();
        private int bptt = DEFAULT_BPTT;
        private int embeddingSize;
        private boolean tieWeights;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private double learningRateDecay = 1;
        private int decayAfter = 1;
        private double initScale;
        private boolean sumOverSteps;

        public Builder tokenization(Tokenization v) {
            tokenization = v;
            return this;
        }

        public Builder limits(Vocabulary.Limits v) {
            limits = v;
            return this;
        }

        public Builder bptt(int v) {
            bptt = v;
            return this;
        }

        public Builder embeddingSize(int v) {
            embeddingSize = v;
            return this;
        }

        public Builder tieWeights(boolean v) {
            tieWeights = v;
            return this;
        }

        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        public Builder learningRateDecay(double v) {
            learningRateDecay = v;
            return this;
        }

        public Builder decayAfter(int v) {
            decayAfter = v;
            return this;
        }

        public Builder initScale(double v) {
            initScale = v;
            return this;
        }

        public Builder sumOverSteps(boolean v) {
            sumOverSteps = v;
            return this;
        }

        public LmSettings build() {
            return new LmSettings(tokenization, limits, bptt, embeddingSize, tieWeights, validationFraction, learningRateDecay, decayAfter,
                    initScale, sumOverSteps);
        }
    }
}
