package dev.rnn4j.data.fuzz;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzing of the model files: safetensors, sequence model files, task bundles, training checkpoints, and the JSON
 * parser that reads their metadata. Damaged copies of valid files either read or fail with a
 * {@link ModelFileException} (a {@link Json.JsonException} for bare JSON) naming the file.
 */
class ModelFileFuzzTest {
    private static final Path DIR = FuzzFiles.directory("model-fuzz");

    private static SequenceModel model() {
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(4).head(Head.LAST_STEP).outputs(2).seed(3).build();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] MODEL_FILE, BUNDLE_FILE, CHECKPOINT;

    static {
        Path model = DIR.resolve("seed-model.rnn4j"), bundle = DIR.resolve("seed-bundle.rnn4j");
        SequenceModelFile.save(model(), model, null);
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("window", 4L);
        preprocessing.put("columns", List.of("a", "b", "c"));
        preprocessing.put("scale", List.of(0.5, -1.25e-3, 1e10));
        BundleFile.save(new ModelBundle(model(), "forecast", preprocessing, Map.of("rmse", 0.25), null), bundle);
        Path run = DIR.resolve("seed-run");
        TrainingRun training = newRun(run);
        training.fit(dataset());
        MODEL_FILE = bytes(model);
        BUNDLE_FILE = bytes(bundle);
        CHECKPOINT = bytes(TrainingRun.checkpoint(run));
    }

    private static Dataset dataset() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 4; i++) examples.add(Example.ofFeatures(new float[] {i, -i, 1, 0, 1, i}, 2).withClass(i % 2));
        return Dataset.of(examples);
    }

    /** A valid checkpoint file, for the findings' tests. */
    static Path checkpointSeed() {
        return FuzzFiles.write(DIR, "seed-checkpoint.rnn4j", CHECKPOINT);
    }

    static TrainingRun newRun(Path run) {
        TrainingSettings settings = TrainingSettings.builder().hiddenSize(4).epochs(1).batchSize(2).threads(1).build();
        return new TrainingRun(model(), new SoftmaxCrossEntropy(), settings, dataset(), run);
    }

    private static final List<String> HEADER_TOKENS = List.of("\"F32\"", "\"F64\"", "\"BF16\"", "\"I64\"", "\"Q4\"", "\"shape\"",
            "\"data_offsets\"", "[0,0]", "[0,4294967296]", "[4,0]", "[1e300]", "[-1]", "[99999999999]", "null", "{}", "[]", "\"",
            "\\u0000", "\\ud800", "\"__metadata__\"", "\"bundle_version\":2", "\"format_version\":99", "\"task\"", ",", ":", "1e999",
            "-0", "NaN", "\u00e9", "\ud83d\ude00");

    @Provide
    Arbitrary<byte[]> modelFiles() {
        return ByteMutations.of(List.of(MODEL_FILE, BUNDLE_FILE, CHECKPOINT), HEADER_TOKENS);
    }

    /** safetensors, then the sequence model in it, then the task bundle: each either reads or says what is wrong. */
    @Property
    void safetensorsModelsAndBundlesReadOrFailWithAModelFileException(@ForAll("modelFiles") byte[] bytes) {
        ByteMutations.readsOrRejects(ModelFileException.class, "fuzz.rnn4j", bytes.length, () -> {
            SafetensorsFile file = SafetensorsFile.parse("fuzz.rnn4j", bytes);
            for (String name : file.names()) file.floats(name);
            try {
                SequenceModelFile.read(file).model();
            } finally {
                BundleFile.read(file);
            }
        });
    }

    /** A damaged checkpoint as --resume meets it: it restores, or fails with a one-line ModelFileException. */
    @Property
    void checkpointsResumeOrFailWithAModelFileException(@ForAll("modelFiles") byte[] bytes) throws IOException {
        Path run = Files.createTempDirectory(DIR, "run");
        Path checkpoint = TrainingRun.checkpoint(run);
        Files.write(checkpoint, bytes);
        ByteMutations.readsOrRejects(ModelFileException.class, checkpoint.toString(), bytes.length, () -> newRun(run).resume());
        Files.delete(checkpoint);
        Files.delete(run);
    }

    private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", "\"", "\\", "\\u", "\\ud83d", "\\uZZZZ", ":", ",",
            "true", "false", "null", "1e309", "-1e-400", "0.1", "-", "01", "1.", ".5", "9223372036854775808", "\u0000", "\t", "\u2028",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":");

    @Provide
    Arbitrary<byte[]> jsonTexts() {
        List<byte[]> seeds = List.of(
                SafetensorsFile.parse("seed", BUNDLE_FILE).metadata().get(BundleFile.METADATA_KEY).getBytes(StandardCharsets.UTF_8),
                SafetensorsFile.parse("seed", MODEL_FILE).metadata().get("config").getBytes(StandardCharsets.UTF_8),
                "{\"s\":\"tab\\t \\\"q\\\" \\u00e9 \\ud83d\\ude00\",\"n\":[0,-1.5e-7,12345678901234,1E+2],\"b\":[true,false,null]}"
                        .getBytes(StandardCharsets.UTF_8));
        return ByteMutations.of(seeds, JSON_TOKENS);
    }

    /**
     * The metadata parser: a value or a JsonException; and what it reads it writes as text that reads back to the
     * same text (not the same Java value: 1E+2 reads as the double 100.0, is written as 100 and reads back as a long;
     * every reader takes any Number).
     */
    @Property
    void jsonParsesOrFailsWithAJsonExceptionAndWhatParsesWritesBack(@ForAll("jsonTexts") byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        ByteMutations.readsOrRejects(Json.JsonException.class, "", bytes.length, () -> {
            String written = Json.write(Json.parse(text));
            assertEquals(written, Json.write(Json.parse(written)));
        });
    }
}
