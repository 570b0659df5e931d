package dev.rnn4j.data.classify;

import java.util.Map;

/**
 * How one domain (DNA, audio, text) turns raw records into a model's input, with every setting and fitted statistic
 * (alphabet, k, sample rate, MFCC settings, normalisation, vocabulary) needed to encode new raw data exactly as the
 * training data was. A classifier's bundle stores {@link #toJson()}; the domain's {@code fromJson} reads it back
 * ({@link dev.rnn4j.data.Domains#encoding}).
 */
public interface SequenceEncoding {
    /** The domain's name in bundles and messages: {@code "dna"}, {@code "audio"}, {@code "text"}. */
    String domain();

    /** Values per step for feature input; 0 for token input. */
    int featuresPerStep();

    /** V, for token input (ids 0..V-1); 0 for feature input. */
    int vocabulary();

    /** The settings and fitted statistics, including {@code "domain": domain()}. */
    Map<String, Object> toJson();
}
