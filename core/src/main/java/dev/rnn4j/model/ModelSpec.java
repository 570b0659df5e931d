package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.ModelFile;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.layer.RecurrentConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything needed to rebuild a {@link SequenceModel} with the same shapes and the same initial weights:
 * {@link SequenceModel#create(ModelSpec)} of an equal spec gives bitwise equal parameters.
 *
 * @param vocabulary     V for token-id input (an {@link Embedding} [V, E] with E = {@code recurrent.inputSize()}
 *                       in front of the recurrent network), or 0 for feature input ({@code recurrent.inputSize()}
 *                       features per step)
 * @param recurrent      the recurrent network's shape
 * @param head           where the dense head reads the recurrent output
 * @param outputs        K, values per prediction row
 * @param initialization how the parameters start
 * @param forgetBias     the LSTM's initial forget-gate bias ({@link Initialization#setForgetBias}), or null to keep
 *                       the initialisation's
 * @param seed           seed of every initial value (see {@link Initialization} for how it is split)
 * @param tiedWeights    the head's weight [V, E] is the embedding table itself (Press &amp; Wolf 2017), for a language
 *                       model: needs token input, {@code outputs == vocabulary} and E = the recurrent output width D*H
 */
public record ModelSpec(int vocabulary, RecurrentConfig recurrent, Head head, int outputs, Initialization initialization,
                        Float forgetBias, long seed, boolean tiedWeights) {
    /** The version {@link #toJson()} writes and the newest {@link #fromJson} reads. */
    public static final int JSON_VERSION = 1;

    private static final Set<String> KEYS = Set.of("spec_version", "vocabulary", "rnn", "head", "outputs",
            "initialization", "forget_bias", "seed", "tie_weights");

    public ModelSpec {
        if (vocabulary < 0) throw new IllegalArgumentException("vocabulary must be at least 1 (or 0 for feature input), got " + vocabulary);
        Objects.requireNonNull(recurrent, "recurrent");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(initialization, "initialization");
        if (outputs < 1) throw new IllegalArgumentException("outputs must be at least 1, got " + outputs);
        if (forgetBias != null) {
            if (!Float.isFinite(forgetBias)) throw new IllegalArgumentException("forget bias must be finite, got " + forgetBias);
            if (recurrent.cellType() != CellType.LSTM) {
                throw new IllegalArgumentException("a forget-gate bias needs an LSTM, not a " + recurrent.cellType());
            }
            if (!recurrent.bias()) throw new IllegalArgumentException("a forget-gate bias needs an LSTM with biases (bias = true)");
        }
        if (tiedWeights) {
            if (vocabulary < 1) throw new IllegalArgumentException("tied weights need token input (a vocabulary)");
            if (outputs != vocabulary) {
                throw new IllegalArgumentException("tied weights need one output per token: outputs " + outputs + " != vocabulary " + vocabulary);
            }
            if (recurrent.inputSize() != recurrent.outputSize()) {
                throw new IllegalArgumentException("tied weights need the embedding size (" + recurrent.inputSize()
                        + ") to equal the recurrent output width (" + recurrent.outputSize() + ")");
            }
        }
    }

    /** A spec without tied weights. */
    public ModelSpec(int vocabulary, RecurrentConfig recurrent, Head head, int outputs, Initialization initialization, Float forgetBias,
                     long seed) {
        this(vocabulary, recurrent, head, outputs, initialization, forgetBias, seed, false);
    }

    /** True when the model reads token ids (through an embedding), false when it reads feature vectors. */
    public boolean tokenInput() {
        return vocabulary > 0;
    }

    /** I, features per step for feature input; 0 for token input. */
    public int features() {
        return tokenInput() ? 0 : recurrent.inputSize();
    }

    /** E, values per embedded token for token input; 0 for feature input. */
    public int embeddingSize() {
        return tokenInput() ? recurrent.inputSize() : 0;
    }

    /**
     * This spec as one JSON object, e.g. {@code {"spec_version":1,"vocabulary":0,"rnn":{"cell_type":"LSTM",
     * "input_size":8,...},"head":"LAST_STEP","outputs":3,"initialization":"XAVIER_ORTHOGONAL","forget_bias":1,
     * "seed":42}}; {@code "rnn"} is {@link ModelFile#configJson}'s object, {@code "forget_bias"} is null when unset.
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spec_version", JSON_VERSION);
        json.put("vocabulary", vocabulary);
        json.put("rnn", Json.parseObject(ModelFile.configJson(recurrent)));
        json.put("head", head.name());
        json.put("outputs", outputs);
        json.put("initialization", initialization.name());
        json.put("forget_bias", forgetBias == null ? null : (double) forgetBias);
        json.put("seed", seed);
        if (tiedWeights) json.put("tie_weights", true); // absent when false: files of untied models are as before
        return Json.write(json);
    }

    /**
     * Parses {@link #toJson()}'s output; {@code fromJson(s.toJson()).equals(s)}.
     *
     * @throws IllegalArgumentException naming the key at fault, for malformed JSON, unknown or missing keys,
     *                                  values of the wrong type or range, or a newer {@code spec_version}
     */
    public static ModelSpec fromJson(String text) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("model spec: not a valid JSON object: " + e.getMessage(), e);
        }
        for (String key : json.keySet()) {
            if (!KEYS.contains(key)) throw new IllegalArgumentException("model spec: unknown key '" + key + "'");
        }
        int version = intValue(json, "spec_version");
        if (version < 1 || version > JSON_VERSION) {
            throw new IllegalArgumentException("model spec: spec_version " + version + " is not supported; this rnn4j reads 1.."
                    + JSON_VERSION);
        }
        int vocabulary = intValue(json, "vocabulary");
        Object rnn = required(json, "rnn");
        if (!(rnn instanceof Map)) throw new IllegalArgumentException("model spec: 'rnn' must be an object, got " + Json.write(rnn));
        RecurrentConfig recurrent;
        try {
            recurrent = ModelFile.parseConfig("model spec 'rnn'", Json.write(rnn));
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Head head = enumValue(json, "head", Head.class);
        int outputs = intValue(json, "outputs");
        Initialization initialization = enumValue(json, "initialization", Initialization.class);
        Object fb = required(json, "forget_bias");
        Float forgetBias;
        if (fb == null) forgetBias = null;
        else if (fb instanceof Number n) forgetBias = n.floatValue();
        else throw new IllegalArgumentException("model spec: 'forget_bias' must be a number or null, got " + Json.write(fb));
        Object seed = required(json, "seed");
        if (!(seed instanceof Long s)) throw new IllegalArgumentException("model spec: 'seed' must be a 64-bit integer, got " + Json.write(seed));
        Object tie = json.getOrDefault("tie_weights", Boolean.FALSE);
        if (!(tie instanceof Boolean tied)) throw new IllegalArgumentException("model spec: 'tie_weights' must be true or false, got " + Json.write(tie));
        try {
            return new ModelSpec(vocabulary, recurrent, head, outputs, initialization, forgetBias, s, tied);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec: " + e.getMessage(), e);
        }
    }

    private static Object required(Map<String, Object> json, String key) {
        if (!json.containsKey(key)) throw new IllegalArgumentException("model spec: missing '" + key + "'");
        return json.get(key);
    }

    private static int intValue(Map<String, Object> json, String key) {
        Object v = required(json, key);
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        throw new IllegalArgumentException("model spec: '" + key + "' must be an integer, got " + Json.write(v));
    }

    private static <E extends Enum<E>> E enumValue(Map<String, Object> json, String key, Class<E> type) {
        Object v = required(json, key);
        if (v instanceof String s) {
            for (E e : type.getEnumConstants()) if (e.name().equals(s)) return e;
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("model spec: '" + key + "' must be one of " + accepted + ", got " + Json.write(v));
    }
}
