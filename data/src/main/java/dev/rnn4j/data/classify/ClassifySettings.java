package dev.rnn4j.data.classify;

import dev.rnn4j.model.Head;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a sequence classifier is shaped and evaluated; the recurrent network and the optimisation are
 * {@link dev.rnn4j.data.app.TrainingSettings}.
 *
 * @param pooling            how the network's outputs become one vector per sequence: {@link Head#LAST_STEP} (each
 *                           direction's last valid step), {@link Head#MEAN}, {@link Head#MAX} or {@link Head#ATTENTION}
 * @param bidirectional      read each sequence both ways
 * @param classWeights       {@link ClassWeights#BALANCED} weighs class k by n / (K n_k) in the loss
 * @param testFraction       without a test source: the share of each class held out for the test (stratified)
 * @param validationFraction the share of each class of the training part used for early stopping
 * @param folds              0, or K for stratified K-fold cross-validation instead of one split
 * @param embeddingSize      E, for token input (k-mers, words)
 * @param wordDropout        for token input: the probability that a token's whole embedded vector is dropped in
 *                           training ({@link dev.rnn4j.layer.Regularization#wordDropout}), in [0, 1)
 */
public record ClassifySettings(Head pooling, boolean bidirectional, ClassWeights classWeights, double testFraction,
                               double validationFraction, int folds, int embeddingSize,
                               double wordDropout) {

    public static final double DEFAULT_TEST_FRACTION = 0.2;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    public static final int DEFAULT_EMBEDDING_SIZE = 64;

    /** Loss weights per class. */
    public enum ClassWeights { NONE, BALANCED }

    public ClassifySettings {
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(classWeights, "classWeights");
        if (!pooling.pooled()) throw new IllegalArgumentException("a classifier needs a pooled head, not " + pooling);
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("the test fraction must be in (0, 1), got " + testFraction);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (folds != 0 && folds < 2) throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
        if (embeddingSize < 1) throw new IllegalArgumentException("the embedding size must be at least 1, got " + embeddingSize);
        if (!(wordDropout >= 0 && wordDropout < 1)) throw new IllegalArgumentException("the word dropout must be in [0, 1), got " + wordDropout);
    }

    /**
     * Bidirectional, max pooling (a motif or a phoneme anywhere in the sequence counts; measured best on splice
     * junctions and spoken digits, docs/results.md), no class weights, 80/20 stratified, 10% of training for
     * validation, E = 64, no word dropout.
     */
    public static ClassifySettings defaults() {
        return new ClassifySettings(Head.MAX, true, ClassWeights.NONE, DEFAULT_TEST_FRACTION, DEFAULT_VALIDATION_FRACTION, 0,
                DEFAULT_EMBEDDING_SIZE, 0);
    }

    public ClassifySettings withPooling(Head v) {
        return new ClassifySettings(v, bidirectional, classWeights, testFraction, validationFraction, folds, embeddingSize, wordDropout);
    }

    public ClassifySettings withBidirectional(boolean v) {
        return new ClassifySettings(pooling, v, classWeights, testFraction, validationFraction, folds, embeddingSize, wordDropout);
    }

    public ClassifySettings withClassWeights(ClassWeights v) {
        return new ClassifySettings(pooling, bidirectional, v, testFraction, validationFraction, folds, embeddingSize, wordDropout);
    }

    public ClassifySettings withTestFraction(double v) {
        return new ClassifySettings(pooling, bidirectional, classWeights, v, validationFraction, folds, embeddingSize, wordDropout);
    }

    public ClassifySettings withValidationFraction(double v) {
        return new ClassifySettings(pooling, bidirectional, classWeights, testFraction, v, folds, embeddingSize, wordDropout);
    }

    public ClassifySettings withFolds(int v) {
        return new ClassifySettings(pooling, bidirectional, classWeights, testFraction, validationFraction, v, embeddingSize, wordDropout);
    }

    public ClassifySettings withEmbeddingSize(int v) {
        return new ClassifySettings(pooling, bidirectional, classWeights, testFraction, validationFraction, folds, v, wordDropout);
    }

    public ClassifySettings withWordDropout(double v) {
        return new ClassifySettings(pooling, bidirectional, classWeights, testFraction, validationFraction, folds, embeddingSize, v);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pooling", pooling.name().toLowerCase(Locale.ROOT).replace("_step", ""));
        json.put("bidirectional", bidirectional);
        json.put("class_weights", classWeights.name().toLowerCase(Locale.ROOT));
        json.put("test_fraction", testFraction);
        json.put("validation_fraction", validationFraction);
        json.put("cv", folds);
        json.put("embedding_size", embeddingSize);
        json.put("word_dropout", wordDropout);
        return json;
    }
}
