package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Gru;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.SimpleRnn;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    /** Frozen: written once by {@link #writeFrozenFixture()}, never regenerated (see there). */
    static final Path FROZEN_V1 = Path.of("src/test/resources/fixtures/model-v1.rnn4j");
    static final Provenance FROZEN_PROVENANCE = new Provenance("0.1.0-SNAPSHOT", "2025-11-26T00:00:00Z", "25 (fixture)",
            "ModelFileTest.writeFrozenFixture", null);

    @TempDir
    Path dir;

    @Test
    void roundTripIsBitwiseExactForEveryKindOfNetwork() {
        List<Recurrent> networks = List.of(
                Lstm.builder().inputSize(3).hiddenSize(4).layers(2).bidirectional(true).seed(1).build(),
                Lstm.builder().inputSize(2).hiddenSize(3).bias(false).seed(2).build(),
                Gru.builder().inputSize(5).hiddenSize(2).variant(GruVariant.RESET_BEFORE).seed(3).build(),
                Gru.builder().inputSize(1).hiddenSize(1).layers(3).seed(4).build(),
                SimpleRnn.builder().inputSize(4).hiddenSize(3).nonlinearity(Nonlinearity.RELU).bidirectional(true).seed(5).build());
        for (Recurrent network : networks) {
            Path file = dir.resolve("m.rnn4j");
            Provenance provenance = Provenance.now("test", "ab".repeat(32));
            ModelFile.save(network, file, provenance);
            ModelFile.Loaded loaded = ModelFile.read(file);
            assertEquals(network.config(), loaded.network().config());
            assertEquals(provenance, loaded.provenance());
            assertSameParameters(network, loaded.network());
        }
    }

    @Test
    void writesFormatConfigAndProvenanceMetadata() {
        Recurrent network = Gru.builder().inputSize(3).hiddenSize(2).seed(1).build();
        Path file = dir.resolve("m.rnn4j");
        ModelFile.save(network, file, null);
        SafetensorsFile read = SafetensorsFile.read(file);
        Map<String, String> meta = read.metadata();
        assertEquals("rnn4j-model", meta.get("format"));
        assertEquals("1", meta.get("format_version"));
        assertEquals("{\"cell_type\":\"GRU\",\"input_size\":3,\"hidden_size\":2,\"layers\":1,\"bidirectional\":false,"
                + "\"bias\":true,\"nonlinearity\":\"TANH\",\"gru_variant\":\"RESET_AFTER\"}", meta.get("config"));
        Provenance p = Provenance.fromJson(meta.get("provenance"));
        assertEquals(Provenance.RNN4J_VERSION, p.rnn4jVersion());
        assertTrue(p.createdAt().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), p.createdAt());
        assertTrue(p.javaVersion().startsWith(Runtime.version().feature() + ""), p.javaVersion());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), List.copyOf(read.names()));
        assertArrayEquals(new long[] {6, 3}, read.shape("weight_ih_l0"));
    }

    @Test
    void frozenVersion1FileStillLoads() {
        ModelFile.Loaded loaded = ModelFile.read(FROZEN_V1);
        assertEquals(frozenNetwork().config(), loaded.network().config());
        assertEquals(FROZEN_PROVENANCE, loaded.provenance());
        assertSameParameters(frozenNetwork(), loaded.network());
        // spot checks against literal values, in case frozenValue() itself were changed
        assertEquals(-11 / 16f, loaded.network().parameter("weight_ih_l0").value()[0]);
        assertEquals(-3 / 16f, loaded.network().parameter("bias_hh_l1_reverse").value()[6]);
    }

    @Test
    void saveStillWritesTheFrozenVersion1Bytes() throws IOException {
        Path file = dir.resolve("again.rnn4j");
        ModelFile.save(frozenNetwork(), file, FROZEN_PROVENANCE);
        assertArrayEquals(Files.readAllBytes(FROZEN_V1), Files.readAllBytes(file),
                "ModelFile.save's output changed. Files already written must keep loading: keep model-v1.rnn4j as it is; "
                        + "if the change is intended, add a fixture for the new FORMAT_VERSION instead of regenerating this one");
    }

    /**
     * Writes {@link #FROZEN_V1}. Run only to create the fixture of a new format version (copy this method for it):
     * {@code scripts/mvn -q -pl core test -Dtest=ModelFileTest#writeFrozenFixture -Drnn4j.writeFixtures=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "rnn4j.writeFixtures", matches = "true")
    void writeFrozenFixture() {
        ModelFile.save(frozenNetwork(), FROZEN_V1, FROZEN_PROVENANCE);
    }

    /** A 2-layer bidirectional LSTM whose weights follow a formula, exact in float, independent of any RNG. */
    static Recurrent frozenNetwork() {
        Recurrent network = new Recurrent(new RecurrentConfig(CellType.LSTM, 3, 2, 2, true, true, Nonlinearity.TANH,
                GruVariant.RESET_AFTER));
        List<Parameter> parameters = network.parameters();
        for (int k = 0; k < parameters.size(); k++) {
            float[] v = parameters.get(k).value();
            for (int i = 0; i < v.length; i++) v[i] = frozenValue(k, i);
        }
        return network;
    }

    static float frozenValue(int parameter, int index) {
        return ((parameter * 7 + index * 3) % 23 - 11) / 16f;
    }

    @Test
    void versionConstantMatchesTheMavenProjectVersion() throws IOException {
        String pom = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>rnn4j-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find());
        assertEquals(m.group(1), Provenance.RNN4J_VERSION);
    }

    @Test
    void refusesToSaveNonFiniteWeights() {
        Recurrent network = Lstm.builder().inputSize(2).hiddenSize(2).build();
        network.parameter("weight_hh_l0").value()[5] = Float.NaN;
        Path file = dir.resolve("m.rnn4j");
        assertEquals(file + ": not saved: parameter 'weight_hh_l0' has NaN at index [2, 1]",
                assertThrows(ModelFileException.class, () -> ModelFile.save(network, file, null)).getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void reportsBadModelFiles() throws IOException {
        assertLoadError(w -> w.metadata.remove("format"), "not an rnn4j model file: metadata 'format' is missing");
        assertLoadError(w -> w.metadata.put("format", "other"),
                "not an rnn4j model file: metadata 'format' is 'other', expected 'rnn4j-model'");
        assertLoadError(w -> w.metadata.put("format_version", "2"),
                "model format version 2 is newer than this rnn4j (" + Provenance.RNN4J_VERSION + "), which reads up to version 1; upgrade rnn4j");
        assertLoadError(w -> w.metadata.put("format_version", "one"), "metadata 'format_version' must be an integer, got 'one'");
        assertLoadError(w -> w.metadata.remove("format_version"), "metadata 'format_version' is missing");
        assertLoadError(w -> w.metadata.remove("config"), "metadata 'config' is missing");
        assertLoadError(w -> w.metadata.put("config", "{"),
                "metadata 'config' is not a valid JSON object: expected a string key but found end of input at character 1");
        assertLoadError(w -> w.config("\"hidden_size\":2,", ""), "config: missing 'hidden_size'");
        assertLoadError(w -> w.config("\"hidden_size\":2", "\"hidden_size\":\"2\""), "config: 'hidden_size' must be an integer, got \"2\"");
        assertLoadError(w -> w.config("\"hidden_size\":2", "\"hidden_size\":0"), "config: hidden size must be at least 1, got 0");
        assertLoadError(w -> w.config("\"bias\":true", "\"bias\":1"), "config: 'bias' must be true or false, got 1");
        assertLoadError(w -> w.config("\"LSTM\"", "\"lstm\""), "config: 'cell_type' must be one of LSTM, GRU, RNN, got \"lstm\"");
        assertLoadError(w -> w.config("{", "{\"dropout\":0.5,"), "config: unknown key 'dropout'");
        assertLoadError(w -> w.tensors.remove("bias_hh_l0"), "missing tensor 'bias_hh_l0', which a 1-layer LSTM needs");
        assertLoadError(w -> w.tensors.put("extra", new float[1]), "unexpected tensor 'extra', not a parameter of a 1-layer LSTM");
        assertLoadError(w -> w.shapes.put("weight_ih_l0", new long[] {3, 8}),
                "tensor 'weight_ih_l0' has shape [3, 8], expected [8, 3]");
        assertLoadError(w -> w.tensors.get("weight_hh_l0")[7] = Float.NEGATIVE_INFINITY,
                "tensor 'weight_hh_l0' has -Infinity at index [3, 1]");
        assertLoadError(w -> w.tensors.get("bias_ih_l0")[0] = Float.NaN, "tensor 'bias_ih_l0' has NaN at index [0]");
    }

    @Test
    void reportsWrongDtype() {
        Path file = dir.resolve("m.rnn4j");
        Recurrent network = Lstm.builder().inputSize(3).hiddenSize(2).build();
        SafetensorsWriter writer = new SafetensorsWriter()
                .metadata("format", "rnn4j-model").metadata("format_version", "1")
                .metadata("config", ModelFile.configJson(network.config()));
        for (Parameter p : network.parameters()) {
            if (p.name().equals("bias_ih_l0")) {
                writer.putDoubles(p.name(), new double[p.size()], p.shape());
            } else {
                writer.putFloats(p.name(), p.value(), p.shape());
            }
        }
        writer.write(file);
        assertEquals(file + ": tensor 'bias_ih_l0' has dtype F64, expected F32",
                assertThrows(ModelFileException.class, () -> ModelFile.load(file)).getMessage());
    }

    @Test
    void pointsPyTorchStateDictsToTheImporter() {
        Path file = dir.resolve("torch.safetensors");
        new SafetensorsWriter().metadata("mode", "LSTM").write(file);
        assertEquals(file + ": this is a PyTorch state dict, not an rnn4j model; import it with rnn4j import-torch (or TorchImport.load)",
                assertThrows(ModelFileException.class, () -> ModelFile.load(file)).getMessage());
    }

    @Test
    void toleratesDamagedProvenance() {
        Recurrent network = Lstm.builder().inputSize(3).hiddenSize(2).build();
        Path file = dir.resolve("m.rnn4j");
        EditableModel model = new EditableModel(network);
        model.metadata.put("provenance", "not json");
        model.write(file);
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(null, loaded.provenance());
        assertNotNull(loaded.network());
    }

    @Test
    void provenanceRecordsTheSourceFileHash() throws IOException {
        Path source = Files.writeString(dir.resolve("s.txt"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Provenance.sha256(source));
        Provenance p = Provenance.now("import-torch s.txt", Provenance.sha256(source));
        assertEquals(p, Provenance.fromJson(p.toJson()));
    }

    private void assertLoadError(Consumer<EditableModel> corruption, String message) throws IOException {
        EditableModel model = new EditableModel(Lstm.builder().inputSize(3).hiddenSize(2).seed(7).build());
        corruption.accept(model);
        Path file = dir.resolve("bad.rnn4j");
        model.write(file);
        assertEquals(file + ": " + message, assertThrows(ModelFileException.class, () -> ModelFile.load(file)).getMessage());
        Files.delete(file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** A model file's contents, editable before writing, to make broken files. */
    static final class EditableModel {
        final Map<String, String> metadata = new java.util.LinkedHashMap<>();
        final Map<String, float[]> tensors = new java.util.LinkedHashMap<>();
        final Map<String, long[]> shapes = new java.util.LinkedHashMap<>();

        EditableModel(Recurrent network) {
            metadata.put("format", "rnn4j-model");
            metadata.put("format_version", "1");
            metadata.put("config", ModelFile.configJson(network.config()));
            for (Parameter p : network.parameters()) {
                tensors.put(p.name(), p.value().clone());
                shapes.put(p.name(), Tensors.toLongs(p.shape()));
            }
        }

        void config(String from, String to) {
            String config = metadata.get("config");
            assertTrue(config.contains(from), config);
            metadata.put("config", config.replace(from, to));
        }

        void write(Path file) {
            SafetensorsWriter writer = new SafetensorsWriter();
            metadata.forEach(writer::metadata);
            tensors.forEach((name, values) -> writer.putFloats(name, values, shapes.getOrDefault(name, new long[] {values.length})));
            writer.write(file);
        }
    }

    static void assertSameParameters(Recurrent expected, Recurrent actual) {
        assertEquals(expected.parameters().size(), actual.parameters().size());
        for (Parameter p : expected.parameters()) {
            Parameter q = actual.parameter(p.name());
            assertArrayEquals(p.shape(), q.shape(), p.name());
            for (int i = 0; i < p.size(); i++) {
                assertEquals(Float.floatToRawIntBits(p.value()[i]), Float.floatToRawIntBits(q.value()[i]), p.name() + "[" + i + "]");
            }
        }
    }
}
