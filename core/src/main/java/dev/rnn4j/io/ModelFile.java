package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parameter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * rnn4j's model file: one safetensors file holding every {@link Parameter} under its PyTorch name (F32, its
 * shape), then every {@link Buffer} (batch normalisation's population statistics) likewise, and in
 * {@code __metadata__}:
 * <ul>
 *   <li>{@code format} = {@code "rnn4j-model"}, {@code format_version} = {@code "1"};</li>
 *   <li>{@code config}: the {@link RecurrentConfig} as JSON, e.g. {@code {"cell_type":"LSTM","input_size":8,
 *       "hidden_size":16,"layers":2,"bidirectional":true,"bias":true,"nonlinearity":"TANH","gru_variant":"RESET_AFTER"}};</li>
 *   <li>{@code provenance}: a {@link Provenance} as JSON.</li>
 * </ul>
 * Any safetensors reader can open it; saving then loading gives back the same weights bit for bit.
 */
public final class ModelFile {
    public static final String FORMAT = "rnn4j-model";
    /** The version this code writes and the newest it reads. Bump it when old readers could misread new files. */
    public static final int FORMAT_VERSION = 1;

    private static final FileFormat FILE_FORMAT = new FileFormat(FORMAT, FORMAT_VERSION, "model",
            "; import it with rnn4j import-torch (or TorchImport.load)");

    private static final Set<String> CONFIG_KEYS = Set.of("regularization", "cell_type", "input_size", "hidden_size", "layers",
            "bidirectional", "bias", "nonlinearity", "gru_variant");

    private ModelFile() {}

    /** A loaded model with the provenance recorded in its file (null if the file has none). */
    public record Loaded(Recurrent network, Provenance provenance) {}

    /**
     * Writes the network's parameters and configuration, atomically (see {@link SafetensorsWriter#write}).
     *
     * @param provenance where the model came from; null records only this rnn4j, this JVM and the time
     * @throws ModelFileException if the file cannot be written, or a weight is NaN or infinite (such a file
     *                            could not be loaded back)
     */
    public static void save(Recurrent network, Path file, Provenance provenance) {
        if (provenance == null) provenance = Provenance.now(null, null);
        SafetensorsWriter writer = FILE_FORMAT.writer()
                .metadata("config", configJson(network.config()))
                .metadata("provenance", provenance.toJson());
        for (Parameter p : network.parameters()) {
            Tensors.putFinite(writer, file, "parameter '" + p.name() + "'", p.name(), p.value(), Tensors.toLongs(p.shape()));
        }
        for (Buffer b : network.buffers()) {
            Tensors.putFinite(writer, file, "buffer '" + b.name() + "'", b.name(), b.value(), Tensors.toLongs(b.shape()));
        }
        writer.write(file);
    }

    /** Reads a model file, checking everything (see {@link #read(SafetensorsFile)}). */
    public static Recurrent load(Path file) {
        return read(SafetensorsFile.read(file)).network();
    }

    /** Reads a model file and its provenance. */
    public static Loaded read(Path file) {
        return read(SafetensorsFile.read(file));
    }

    /**
     * Builds the network a model file describes, checking the format and its version, the configuration, that
     * the tensors are exactly the network's parameters (F32, exact shapes) and that every weight is finite.
     *
     * @throws ModelFileException naming the file and the key or tensor at fault
     */
    public static Loaded read(SafetensorsFile file) {
        String source = file.source();
        Map<String, String> meta = file.metadata();
        FILE_FORMAT.check(source, meta);
        RecurrentConfig config = parseConfig(source, FileFormat.required(source, meta, "config"));

        Recurrent network = new Recurrent(config);
        Tensors.copyParameters(file, network, Set.of());

        Provenance provenance = null;
        String provenanceText = meta.get("provenance");
        if (provenanceText != null) {
            try {
                provenance = Provenance.fromJson(provenanceText);
            } catch (Json.JsonException e) {
                // provenance is informational: a damaged one should not make the weights unusable
                provenance = null;
            }
        }
        return new Loaded(network, provenance);
    }

    /** The {@code config} metadata value for this configuration. */
    public static String configJson(RecurrentConfig c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cell_type", c.cellType().name());
        json.put("input_size", c.inputSize());
        json.put("hidden_size", c.hiddenSize());
        json.put("layers", c.layers());
        json.put("bidirectional", c.bidirectional());
        json.put("bias", c.bias());
        json.put("nonlinearity", c.nonlinearity().name());
        json.put("gru_variant", c.gruVariant().name());
        Regularization r = c.regularization();
        if (!r.isNone()) { // absent means none, so files without regularisation read as they always did
            Map<String, Object> reg = new LinkedHashMap<>();
            reg.put("input_dropout", r.inputDropout());
            reg.put("layer_dropout", r.layerDropout());
            reg.put("recurrent_dropout", r.recurrentDropout());
            reg.put("zoneout_hidden", r.zoneoutHidden());
            reg.put("zoneout_cell", r.zoneoutCell());
            reg.put("layer_norm", r.layerNorm());
            if (r.batchNorm()) reg.put("batch_norm_steps", r.batchNormSteps()); // absent means none, as before it existed
            if (r.wordDropout() > 0) reg.put("word_dropout", r.wordDropout()); // absent in files from before it existed
            json.put("regularization", reg);
        }
        return Json.write(json);
    }

    /** Parses {@link #configJson}'s output; {@code source} names the file in error messages. */
    public static RecurrentConfig parseConfig(String source, String configJson) {
        String where = source + ": config: ";
        Map<String, Object> json;
        try {
            json = Json.parseObject(configJson);
        } catch (Json.JsonException e) {
            throw new ModelFileException(source + ": metadata 'config' is not a valid JSON object: " + e.getMessage());
        }
        for (String key : json.keySet()) {
            if (!CONFIG_KEYS.contains(key)) throw new ModelFileException(where + "unknown key '" + key + "'");
        }
        CellType cellType = enumValue(where, json, "cell_type", CellType.class);
        int inputSize = intValue(where, json, "input_size");
        int hiddenSize = intValue(where, json, "hidden_size");
        int layers = intValue(where, json, "layers");
        boolean bidirectional = booleanValue(where, json, "bidirectional");
        boolean bias = booleanValue(where, json, "bias");
        Nonlinearity nonlinearity = enumValue(where, json, "nonlinearity", Nonlinearity.class);
        GruVariant gruVariant = enumValue(where, json, "gru_variant", GruVariant.class);
        Regularization regularization = json.containsKey("regularization")
                ? parseRegularization(where + "regularization: ", json.get("regularization")) : Regularization.NONE;
        try {
            return new RecurrentConfig(cellType, inputSize, hiddenSize, layers, bidirectional, bias, nonlinearity, gruVariant,
                    regularization);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(where + e.getMessage());
        }
    }

    private static final Set<String> REGULARIZATION_KEYS = Set.of("input_dropout", "layer_dropout", "recurrent_dropout",
            "zoneout_hidden", "zoneout_cell", "layer_norm", "batch_norm_steps", "word_dropout");

    private static Regularization parseRegularization(String where, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw new ModelFileException(where + "must be a JSON object, got " + Json.write(value));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) map;
        for (String key : json.keySet()) {
            if (!REGULARIZATION_KEYS.contains(key)) throw new ModelFileException(where + "unknown key '" + key + "'");
        }
        try {
            return new Regularization(doubleValue(where, json, "input_dropout"), doubleValue(where, json, "layer_dropout"),
                    doubleValue(where, json, "recurrent_dropout"), doubleValue(where, json, "zoneout_hidden"),
                    doubleValue(where, json, "zoneout_cell"), booleanValue(where, json, "layer_norm"),
                    json.containsKey("batch_norm_steps") ? intValue(where, json, "batch_norm_steps") : 0,
                    json.containsKey("word_dropout") ? doubleValue(where, json, "word_dropout") : 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(where + e.getMessage());
        }
    }

    private static double doubleValue(String where, Map<String, Object> json, String key) {
        Object v = required(where, json, key);
        if (v instanceof Number n) return n.doubleValue();
        throw new ModelFileException(where + "'" + key + "' must be a number, got " + Json.write(v));
    }

    private static Object required(String where, Map<String, Object> json, String key) {
        if (!json.containsKey(key)) throw new ModelFileException(where + "missing '" + key + "'");
        return json.get(key);
    }

    private static int intValue(String where, Map<String, Object> json, String key) {
        Object v = required(where, json, key);
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        throw new ModelFileException(where + "'" + key + "' must be an integer, got " + Json.write(v));
    }

    private static boolean booleanValue(String where, Map<String, Object> json, String key) {
        Object v = required(where, json, key);
        if (v instanceof Boolean b) return b;
        throw new ModelFileException(where + "'" + key + "' must be true or false, got " + Json.write(v));
    }

    private static <E extends Enum<E>> E enumValue(String where, Map<String, Object> json, String key, Class<E> type) {
        Object v = required(where, json, key);
        if (v instanceof String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s)) return e;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw new ModelFileException(where + "'" + key + "' must be one of " + accepted + ", got " + Json.write(v));
    }
}
