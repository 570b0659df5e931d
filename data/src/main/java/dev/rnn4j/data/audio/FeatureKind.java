package dev.rnn4j.data.audio;

/** What {@link AudioFeatures} computes per frame. */
public enum FeatureKind {
    /** log(mel power + 1e-6), one value per mel band. */
    LOGMEL,
    /** The orthonormal DCT-II of the log-mel frame, the first {@link AudioFeatures#coefficients()} coefficients. */
    MFCC
}
