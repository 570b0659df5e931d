package dev.rnn4j.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a trained model came from, stored as JSON in the {@code provenance} metadata of a
 * {@link SequenceModelFile}: which rnn4j wrote it, when, on which Java, with which training settings, seed and
 * data. A superset of {@link Provenance}'s JSON (which reads the common fields of it).
 *
 * @param rnn4jVersion    the rnn4j version that wrote the file
 * @param createdAt       ISO-8601 UTC time of writing, e.g. {@code 2025-11-26T12:00:00Z}
 * @param javaVersion     the Java runtime that wrote it
 * @param source          what made the model, free text (e.g. {@code "Trainer"}); may be null
 * @param hyperparameters the training settings as a compact JSON object (a {@code TrainConfig}'s JSON), or null;
 *                        stored as a nested object, not a string
 * @param seed            the training seed, or null
 * @param dataFingerprint what identifies the training data, e.g. {@code "sha256:<hex>"} of a dataset or a
 *                        generator's name and seed; or null
 */
public record TrainingProvenance(String rnn4jVersion, String createdAt, String javaVersion, String source, String hyperparameters,
                                 Long seed, String dataFingerprint) {

    public TrainingProvenance {
        if (hyperparameters != null) {
            try {
                hyperparameters = Json.write(Json.parseObject(hyperparameters)); // compact, and checks it is an object
            } catch (Json.JsonException e) {
                throw new IllegalArgumentException("hyperparameters must be a JSON object: " + e.getMessage(), e);
            }
        }
    }

    /** Provenance for a file written now by this rnn4j and this JVM. */
    public static TrainingProvenance now(String source, String hyperparameters, Long seed, String dataFingerprint) {
        return new TrainingProvenance(Provenance.RNN4J_VERSION, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")", source, hyperparameters, seed, dataFingerprint);
    }

    /**
     * The JSON object stored under the {@code provenance} metadata key, e.g. {@code {"rnn4j_version":"0.1.0",
     * "created_at":"2025-11-26T12:00:00Z","java_version":"25+36","source":"Trainer","hyperparameters":{...},
     * "seed":42,"data_fingerprint":"sha256:..."}}; null fields are left out.
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (rnn4jVersion != null) json.put("rnn4j_version", rnn4jVersion);
        if (createdAt != null) json.put("created_at", createdAt);
        if (javaVersion != null) json.put("java_version", javaVersion);
        if (source != null) json.put("source", source);
        if (hyperparameters != null) json.put("hyperparameters", Json.parseObject(hyperparameters));
        if (seed != null) json.put("seed", seed);
        if (dataFingerprint != null) json.put("data_fingerprint", dataFingerprint);
        return Json.write(json);
    }

    /**
     * Reads {@link #toJson()}'s output (or a {@link Provenance}'s); fields that are missing or of another type
     * become null.
     *
     * @throws Json.JsonException if the text is not a JSON object
     */
    public static TrainingProvenance fromJson(String json) {
        Map<String, Object> map = Json.parseObject(json);
        Object h = map.get("hyperparameters");
        return new TrainingProvenance(string(map, "rnn4j_version"), string(map, "created_at"), string(map, "java_version"),
                string(map, "source"), h instanceof Map ? Json.write(h) : null, map.get("seed") instanceof Long l ? l : null,
                string(map, "data_fingerprint"));
    }

    private static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }
}
