package dev.rnn4j.data.text;

import dev.rnn4j.layer.Regularization;

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
 * @param normalization      layer or batch normalisation inside the recurrent cells, or none
 * @param batchNormSteps     T_max of batch normalisation: time steps with their own population statistics (the later
 *                           ones share the last); 0 for {@code bptt}, the steps of a training chunk. Only with
 *                           {@link Normalization#BATCH}
 */
public record LmSettings(Tokenization tokenization, Vocabulary.Limits limits, int bptt, int embeddingSize, boolean tieWeights,
                         double validationFraction, double learningRateDecay, int decayAfter, double initScale, boolean sumOverSteps,
                         Normalization normalization, int batchNormSteps) {
    public static final int DEFAULT_BPTT = 128;
    /** nanoGPT's split: the last 10% of the characters. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    /** Normalisation inside the recurrent cells ({@link Regularization#layerNorm}, {@link Regularization#batchNormSteps}). */
    public enum Normalization {
        NONE,
        /** Layer normalisation (Ba et al. 2016): LSTM or GRU. */
        LAYER,
        /** Batch normalisation (Cooijmans et al. 2016): LSTM only; population statistics for inference. */
        BATCH
    }

    public LmSettings {
        Objects.requireNonNull(tokenization, "tokenization");
        Objects.requireNonNull(limits, "limits");
        if (bptt < 1 || bptt > 100_000) throw new IllegalArgumentException("--bptt must be in 1..100000, got " + bptt);
        if (embeddingSize < 0) throw new IllegalArgumentException("--embedding-size must be at least 1 (or 0: the hidden size), got " + embeddingSize);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + learningRateDecay);
        }
        if (decayAfter < 1) throw new IllegalArgumentException("--lr-decay-after must be at least 1 epoch, got " + decayAfter);
        if (!(initScale >= 0 && initScale <= 10)) throw new IllegalArgumentException("--init-scale must be in [0, 10] (0: the default scheme), got " + initScale);
        if (normalization == null) normalization = Normalization.NONE;
        if (batchNormSteps < 0 || batchNormSteps > Regularization.MAX_BATCH_NORM_STEPS) {
            throw new IllegalArgumentException("--batch-norm-steps must be in 1.." + Regularization.MAX_BATCH_NORM_STEPS + " (0: --bptt), got "
                    + batchNormSteps);
        }
        if (batchNormSteps != 0 && normalization != Normalization.BATCH) throw new IllegalArgumentException("--batch-norm-steps needs --batch-norm");
    }

    /** T_max of batch normalisation: {@link #batchNormSteps}, or bptt when that is 0; 0 without batch normalisation. */
    public int effectiveBatchNormSteps() {
        if (normalization != Normalization.BATCH) return 0;
        return batchNormSteps == 0 ? bptt : batchNormSteps;
    }

    /** {@code base} (the training settings' dropout) with this normalisation. */
    public Regularization regularization(Regularization base) {
        return base.toBuilder().layerNorm(normalization == Normalization.LAYER).batchNorm(effectiveBatchNormSteps()).build();
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
        json.put("normalization", normalization.name().toLowerCase(Locale.ROOT));
        if (normalization == Normalization.BATCH) json.put("batch_norm_steps", effectiveBatchNormSteps());
        return json;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s level%s, bptt %d%s", tokenization.level().name().toLowerCase(Locale.ROOT),
                tokenization.level() == TokenLevel.WORD ? " (" + tokenization.tokenizer().name().toLowerCase(Locale.ROOT) + ")" : "", bptt,
                switch (normalization) {
                    case NONE -> "";
                    case LAYER -> ", layer norm";
                    case BATCH -> ", batch norm (statistics for " + effectiveBatchNormSteps() + " steps)";
                });
    }

    /**
     * Starts from characters as they are, no vocabulary limit, bptt 128, E = H, untied, last 10% validating, a constant
     * learning rate, no normalisation.
     */
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
        private Normalization normalization = Normalization.NONE;
        private int batchNormSteps;

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

        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        /** T_max of batch normalisation (0: bptt). */
        public Builder batchNormSteps(int v) {
            batchNormSteps = v;
            return this;
        }

        public LmSettings build() {
            return new LmSettings(tokenization, limits, bptt, embeddingSize, tieWeights, validationFraction, learningRateDecay, decayAfter,
                    initScale, sumOverSteps, normalization, batchNormSteps);
        }
    }
}
