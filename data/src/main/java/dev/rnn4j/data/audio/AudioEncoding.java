package dev.rnn4j.data.audio;

import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.train.Example;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The audio domain's encoding: a recording becomes [T, F] feature rows ({@link AudioFeatures}), after resampling to
 * the features' sample rate. Nothing is fitted on the training set (normalisation, when on, is per utterance), so the
 * settings are the whole encoding.
 *
 * @param features the feature settings
 */
public record AudioEncoding(AudioFeatures features) implements SequenceEncoding {
    public static final String DOMAIN = "audio";

    public AudioEncoding {
        Objects.requireNonNull(features, "features");
    }

    @Override
    public String domain() {
        return DOMAIN;
    }

    @Override
    public int featuresPerStep() {
        return features.featuresPerStep();
    }

    @Override
    public int vocabulary() {
        return 0;
    }

    /** {@code audio}'s features, [T, F] time-major; builds a {@link FeatureExtractor} (reuse one for many files). */
    public Example encode(Audio audio) {
        return encode(audio, new FeatureExtractor(features));
    }

    /** {@code audio}'s features, computed by {@code extractor} (which must have these settings). */
    public Example encode(Audio audio, FeatureExtractor extractor) {
        if (!extractor.settings().equals(features)) throw new IllegalArgumentException("the extractor has other settings: " + extractor.settings());
        float[] samples = audio.resampled(features.sampleRate()).samples();
        float[] values = extractor.compute(samples);
        return Example.ofFeatures(values, values.length / features.featuresPerStep());
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", DOMAIN);
        json.put("features", features.kind().name().toLowerCase(Locale.ROOT));
        json.put("sample_rate", features.sampleRate());
        json.put("mel_bins", features.melBins());
        json.put("coefficients", features.coefficients());
        json.put("frame_ms", features.frameMillis());
        json.put("shift_ms", features.shiftMillis());
        json.put("deltas", features.deltas());
        json.put("cmvn", features.cmvn());
        return json;
    }

    /**
     * Reads what {@link #toJson()} wrote; numbers may be any {@link Number}.
     *
     * @throws IllegalArgumentException naming the key that is missing or has the wrong type or value
     */
    public static AudioEncoding fromJson(Map<String, Object> json) {
        Object domain = json.get("domain");
        if (domain != null && !DOMAIN.equals(domain)) throw new IllegalArgumentException("audio encoding: domain is '" + domain + "', not 'audio'");
        String kindName = string(json, "features");
        FeatureKind kind;
        try {
            kind = FeatureKind.valueOf(kindName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audio encoding: 'features' is '" + kindName + "', not logmel or mfcc", e);
        }
        return new AudioEncoding(new AudioFeatures(kind, integer(json, "sample_rate"), integer(json, "mel_bins"),
                integer(json, "coefficients"), number(json, "frame_ms"), number(json, "shift_ms"), bool(json, "deltas"),
                bool(json, "cmvn")));
    }

    private static Object required(Map<String, Object> json, String key) {
        Object v = json.get(key);
        if (v == null) throw new IllegalArgumentException("audio encoding: '" + key + "' is missing");
        return v;
    }

    private static String string(Map<String, Object> json, String key) {
        if (required(json, key) instanceof String s) return s;
        throw new IllegalArgumentException("audio encoding: '" + key + "' is not a string: " + json.get(key));
    }

    private static double number(Map<String, Object> json, String key) {
        if (required(json, key) instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("audio encoding: '" + key + "' is not a number: " + json.get(key));
    }

    private static int integer(Map<String, Object> json, String key) {
        double v = number(json, key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("audio encoding: '" + key + "' is not an integer: " + json.get(key));
        }
        return (int) v;
    }

    private static boolean bool(Map<String, Object> json, String key) {
        if (required(json, key) instanceof Boolean b) return b;
        throw new IllegalArgumentException("audio encoding: '" + key + "' is not true or false: " + json.get(key));
    }
}
