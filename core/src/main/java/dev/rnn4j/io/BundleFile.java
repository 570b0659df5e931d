package dev.rnn4j.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ModelBundle} in one safetensors file: a {@link SequenceModelFile} (so it also loads as a plain model)
 * whose metadata holds one more JSON document, {@code bundle}:
 * <pre>{@code
 * {"bundle_version": 1, "task": "forecast", "preprocessing": {...}, "metrics": {...}}
 * }</pre>
 * Reading checks the version and refuses a newer one with a message naming the version needed, so an old rnn4j
 * never misreads a new bundle. Writes are atomic ({@link SafetensorsWriter#write}).
 */
public final class BundleFile {
    /** The metadata key of the bundle document. */
    public static final String METADATA_KEY = "bundle";
    /** The version this code writes and the newest it reads. */
    public static final int VERSION = 1;

    private BundleFile() {}

    /** Writes the bundle; the model's parameters must be finite. */
    public static void save(ModelBundle bundle, Path file) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("bundle_version", VERSION);
        document.put("task", bundle.task());
        document.put("preprocessing", bundle.preprocessing());
        document.put("metrics", bundle.metrics());
        SequenceModelFile.writer(bundle.model(), file, bundle.provenance(), null)
                .metadata(METADATA_KEY, Json.write(document))
                .write(file);
    }

    /**
     * Reads and checks a bundle.
     *
     * @throws ModelFileException naming the file and what is wrong: not a bundle (a plain model file, a PyTorch state
     *                            dict), a newer bundle version, a malformed bundle document, or any fault of the
     *                            model file itself
     */
    public static ModelBundle read(Path file) {
        return read(SafetensorsFile.read(file));
    }

    /** {@link #read(Path)} of an opened file. */
    public static ModelBundle read(SafetensorsFile file) {
        String source = file.source();
        Map<String, String> meta = file.metadata();
        if (meta.containsKey("format") && !meta.containsKey(METADATA_KEY) && SequenceModelFile.FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(source + ": a sequence model without a task bundle (metadata '" + METADATA_KEY
                    + "' is missing): it has no preprocessing to read raw data with; use a model written by an rnn4j train command");
        }
        SequenceModelFile.Loaded loaded = SequenceModelFile.read(file);
        String text = FileFormat.required(source, meta, METADATA_KEY);
        Map<String, Object> document;
        try {
            document = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new ModelFileException(source + ": metadata '" + METADATA_KEY + "' is not a JSON object: " + e.getMessage(), e);
        }
        Object version = document.get("bundle_version");
        if (!(version instanceof Long v)) {
            throw new ModelFileException(source + ": metadata '" + METADATA_KEY + "': 'bundle_version' must be an integer, got "
                    + Json.write(version));
        }
        if (v < 1 || v > VERSION) {
            throw new ModelFileException(source + ": bundle version " + v + " needs " + (v > VERSION ? "a newer rnn4j" : "another rnn4j")
                    + "; this rnn4j (" + Provenance.RNN4J_VERSION + ") reads bundle versions 1.." + VERSION);
        }
        if (!(document.get("task") instanceof String task) || task.isBlank()) {
            throw new ModelFileException(source + ": metadata '" + METADATA_KEY + "': 'task' must be a non-empty string, got "
                    + Json.write(document.get("task")));
        }
        return new ModelBundle(loaded.model(), task, object(source, document, "preprocessing"), object(source, document, "metrics"),
                loaded.provenance());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String source, Map<String, Object> document, String key) {
        Object value = document.get(key);
        if (!(value instanceof Map)) {
            throw new ModelFileException(source + ": metadata '" + METADATA_KEY + "': '" + key + "' must be a JSON object, got "
                    + Json.write(value));
        }
        return (Map<String, Object>) value;
    }
}
