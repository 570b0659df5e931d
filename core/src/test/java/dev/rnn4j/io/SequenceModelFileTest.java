package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.RmsProp;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceModelFileTest {
    /** Frozen: written once by {@link #writeFrozenFixture()}, never regenerated (see there). */
    static final Path FROZEN_V1 = Path.of("src/test/resources/fixtures/sequence-model-v1.rnn4j");
    static final TrainingProvenance FROZEN_PROVENANCE = new TrainingProvenance("0.1.0-SNAPSHOT", "2025-11-26T00:00:00Z", "25 (fixture)",
            "SequenceModelFileTest.writeFrozenFixture", "{\"optimizer\":{\"type\":\"Adam\",\"learning_rate\":0.001},\"epochs\":3}", 42L,
            "sha256:" + "0123456789abcdef".repeat(4));

    @TempDir
    Path dir;

    private static SequenceModel featureModel() {
        return SequenceModel.builder().features(3).cell(CellType.GRU).gruVariant(GruVariant.RESET_BEFORE).hiddenSize(4).layers(2)
                .head(Head.EVERY_STEP).outputs(2).initialization(Initialization.XAVIER_ORTHOGONAL).seed(5).build();
    }

    private static SequenceModel tokenModel() {
        return SequenceModel.builder().vocabulary(7).embeddingSize(3).cell(CellType.LSTM).hiddenSize(3).bidirectional(true)
                .head(Head.LAST_STEP).outputs(4).forgetBias(1f).seed(6).build();
    }

    /** Two Adam steps on random gradients, so the state is not trivial. */
    private static Adam steppedAdam(SequenceModel model) {
        Adam adam = Adam.builder().learningRate(0.01).amsgrad(true).build();
        SplittableRandom random = new SplittableRandom(3);
        for (int s = 0; s < 2; s++) {
            for (Parameter p : model.parameters()) for (int i = 0; i < p.size(); i++) p.grad()[i] = (float) random.nextDouble(-1, 1);
            adam.step(model.parameters());
        }
        return adam;
    }

    static void assertSameParameters(SequenceModel expected, SequenceModel actual) {
        assertEquals(expected.spec(), actual.spec());
        List<NamedParameter> e = expected.namedParameters(), a = actual.namedParameters();
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).name(), a.get(i).name());
            assertBitwise(e.get(i).name(), e.get(i).parameter().value(), a.get(i).parameter().value());
        }
    }

    static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + "[" + i + "]");
        }
    }

    @Test
    void roundTripIsBitwiseExactWithAndWithoutOptimizer() {
        for (SequenceModel model : List.of(featureModel(), tokenModel())) {
            Path file = dir.resolve("m.rnn4j");
            TrainingProvenance provenance = TrainingProvenance.now("test", "{\"a\":[1,2.5]}", 9L, "gen seed 9");
            SequenceModelFile.save(model, file, provenance);
            SequenceModelFile.Loaded loaded = SequenceModelFile.read(file);
            assertSameParameters(model, loaded.model());
            assertEquals(provenance, loaded.provenance());
            assertTrue(loaded.optimizerState().isEmpty());
            assertNull(loaded.optimizerStepCount());

            Adam adam = steppedAdam(model);
            SequenceModelFile.save(model, file, provenance, adam);
            loaded = SequenceModelFile.read(file);
            assertSameParameters(model, loaded.model());
            assertEquals(2L, loaded.optimizerStepCount());
            assertEquals(adam.toString(), loaded.optimizer());
            Map<String, float[]> state = adam.state();
            assertEquals(state.size(), loaded.optimizerState().size());
            // one more identical step on both: the restored optimizer must continue exactly
            Adam restored = Adam.builder().learningRate(0.01).amsgrad(true).build();
            SequenceModel copy = loaded.model();
            loaded.loadOptimizerInto(restored, copy);
            for (int i = 0; i < model.parameters().size(); i++) {
                float[] g = model.parameters().get(i).grad();
                for (int j = 0; j < g.length; j++) g[j] = (float) Math.sin(i + j);
                copy.parameters().get(i).set(model.parameters().get(i).value());
                System.arraycopy(g, 0, copy.parameters().get(i).grad(), 0, g.length);
            }
            adam.step(model.parameters());
            restored.step(copy.parameters());
            assertSameParameters(model, copy);
        }
    }

    @Test
    void writesQualifiedNamesSpecProvenanceAndOptimizerTensors() {
        SequenceModel model = tokenModel();
        Path file = dir.resolve("m.rnn4j");
        SequenceModelFile.save(model, file, FROZEN_PROVENANCE, steppedAdam(model));
        SafetensorsFile read = SafetensorsFile.read(file);
        Map<String, String> meta = read.metadata();
        assertEquals("rnn4j-sequence-model", meta.get("format"));
        assertEquals("1", meta.get("format_version"));
        assertEquals(model.spec().toJson(), meta.get("config"));
        assertEquals("2", meta.get("optimizer_step_count"));
        // provenance: hyperparameters nested as an object, readable by the plain Provenance too
        assertTrue(meta.get("provenance").contains("\"hyperparameters\":{\"optimizer\":{\"type\":\"Adam\""), meta.get("provenance"));
        assertEquals("0.1.0-SNAPSHOT", Provenance.fromJson(meta.get("provenance")).rnn4jVersion());
        List<String> names = List.copyOf(read.names());
        assertEquals(model.namedParameters().stream().map(NamedParameter::name).toList(), names.subList(0, model.parameters().size()));
        assertTrue(names.contains("optimizer/rnn.weight_hh_l0_reverse/max_exp_avg_sq"), names.toString());
        assertTrue(names.contains("optimizer/embedding.weight/exp_avg"), names.toString());
        assertArrayEquals(new long[] {7, 3}, read.shape("optimizer/embedding.weight/exp_avg"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void frozenVersion1FileStillLoads() {
        SequenceModelFile.Loaded loaded = SequenceModelFile.read(FROZEN_V1);
        assertSameParameters(frozenModel(), loaded.model());
        assertEquals(FROZEN_PROVENANCE, loaded.provenance());
        assertEquals(7L, loaded.optimizerStepCount());
        Map<String, float[]> expected = frozenOptimizerState(frozenModel());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(loaded.optimizerState().keySet()));
        for (String key : expected.keySet()) assertBitwise(key, expected.get(key), loaded.optimizerState().get(key));
        // spot checks against literal values, in case frozenValue() itself were changed
        assertEquals(-11 / 16f, loaded.model().parameter("embedding.weight").value()[0]);
        assertEquals(-4 / 16f, loaded.model().parameter("head.bias").value()[2]);
        assertEquals(2 / 32f, loaded.optimizerState().get("head.bias/exp_avg_sq")[1]);
        // and it predicts
        Matrix y = loaded.model().forward(ModelInput.tokens(new int[] {1, 2, 3, 4}, 2, 2));
        assertEquals(2, y.rows());
        assertEquals(3, y.cols());
    }

    @Test
    void saveStillWritesTheFrozenVersion1Layout() {
        Path file = dir.resolve("again.rnn4j");
        SequenceModel model = frozenModel();
        SequenceModelFile.save(model, file, FROZEN_PROVENANCE, frozenOptimizer(model));
        SafetensorsFile frozen = SafetensorsFile.read(FROZEN_V1), again = SafetensorsFile.read(file);
        String advice = "SequenceModelFile.save's output changed. Files already written must keep loading: keep sequence-model-v1.rnn4j"
                + " as it is; if the change is intended, add a fixture for the new FORMAT_VERSION instead of regenerating this one";
        // every metadata value but the optimizer's toString(), which is informational and may be reworded
        Map<String, String> expectedMeta = new LinkedHashMap<>(frozen.metadata()), actualMeta = new LinkedHashMap<>(again.metadata());
        assertTrue(expectedMeta.remove("optimizer") != null && actualMeta.remove("optimizer") != null, advice);
        assertEquals(expectedMeta, actualMeta, advice);
        assertEquals(List.copyOf(frozen.names()), List.copyOf(again.names()), advice);
        for (String name : frozen.names()) {
            assertEquals(frozen.dtype(name), again.dtype(name), advice);
            assertArrayEquals(frozen.shape(name), again.shape(name), advice);
            assertEquals(frozen.bytes(name), again.bytes(name), name + ": " + advice);
        }
    }

    /**
     * Writes {@link #FROZEN_V1}. Run only to create the fixture of a new format version (copy this method for it):
     * {@code scripts/mvn -q -pl core test -Dtest=SequenceModelFileTest#writeFrozenFixture -Drnn4j.writeFixtures=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "rnn4j.writeFixtures", matches = "true")
    void writeFrozenFixture() {
        SequenceModel model = frozenModel();
        SequenceModelFile.save(model, FROZEN_V1, FROZEN_PROVENANCE, frozenOptimizer(model));
    }

    /**
     * A token model (vocabulary 5, embedding 3, bidirectional LSTM with 2 units and a forget-gate bias, LAST_STEP
     * head of 3 outputs) whose weights follow a formula, exact in float, independent of any RNG.
     */
    static SequenceModel frozenModel() {
        SequenceModel model = SequenceModel.builder().vocabulary(5).embeddingSize(3).cell(CellType.LSTM).hiddenSize(2).bidirectional(true)
                .head(Head.LAST_STEP).outputs(3).initialization(Initialization.XAVIER_ORTHOGONAL).forgetBias(1f).seed(42).build();
        List<Parameter> parameters = model.parameters();
        for (int k = 0; k < parameters.size(); k++) {
            float[] v = parameters.get(k).value();
            for (int i = 0; i < v.length; i++) v[i] = ((k * 7 + i * 3) % 23 - 11) / 16f;
        }
        return model;
    }

    /** Adam state exp_avg = (k + i) % 9 / 8 - 0.5, exp_avg_sq = (k * 5 + i) % 7 / 32 for parameter k, at step 7. */
    static Map<String, float[]> frozenOptimizerState(SequenceModel model) {
        Map<String, float[]> state = new LinkedHashMap<>();
        List<NamedParameter> named = model.namedParameters();
        for (int k = 0; k < named.size(); k++) {
            int n = named.get(k).parameter().size();
            float[] m = new float[n], v = new float[n];
            for (int i = 0; i < n; i++) {
                m[i] = (k + i) % 9 / 8f - 0.5f;
                v[i] = (k * 5 + i) % 7 / 32f;
            }
            state.put(named.get(k).name() + "/exp_avg", m);
            state.put(named.get(k).name() + "/exp_avg_sq", v);
        }
        return state;
    }

    static Optimizer frozenOptimizer(SequenceModel model) {
        Adam adam = Adam.builder().learningRate(1e-3).build();
        adam.loadState(SequenceModelFile.optimizerStateByParameterName(model, frozenOptimizerState(model)), 7);
        return adam;
    }

    // ---- damaged files

    /** Rewrites a valid file through {@code edit}, which gets every tensor (as floats) and may change the writer. */
    private Path rewrite(Path valid, Map<String, String> metadataChanges, BiConsumer<Map<String, float[]>, Map<String, long[]>> edit) {
        SafetensorsFile in = SafetensorsFile.read(valid);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : in.names()) {
            tensors.put(name, in.floats(name));
            shapes.put(name, in.shape(name));
        }
        edit.accept(tensors, shapes);
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, String> meta = new LinkedHashMap<>(in.metadata());
        meta.putAll(metadataChanges);
        meta.forEach((k, v) -> {
            if (v != null) w.metadata(k, v);
        });
        tensors.forEach((name, values) -> w.putFloats(name, values, shapes.get(name)));
        Path out = dir.resolve("damaged.rnn4j");
        w.write(out);
        return out;
    }

    private String failure(Path file) {
        return assertThrows(ModelFileException.class, () -> SequenceModelFile.read(file)).getMessage();
    }

    @Test
    void damagedFilesAreRefusedNamingFileAndTensor() {
        SequenceModel model = featureModel();
        Path valid = dir.resolve("valid.rnn4j");
        RmsProp rmsProp = RmsProp.builder().momentum(0.5).build();
        for (Parameter p : model.parameters()) java.util.Arrays.fill(p.grad(), 0.1f);
        rmsProp.step(model.parameters());
        SequenceModelFile.save(model, valid, null, rmsProp);
        Map<String, String> none = Map.of();

        Path missing = rewrite(valid, none, (t, s) -> t.remove("head.bias"));
        assertTrue(failure(missing).startsWith(missing + ": missing tensor 'head.bias'"), failure(missing));

        Path extra = rewrite(valid, none, (t, s) -> {
            t.put("rnn.weight_ih_l7", new float[] {1});
            s.put("rnn.weight_ih_l7", new long[] {1});
        });
        assertTrue(failure(extra).contains("unexpected tensor 'rnn.weight_ih_l7'"), failure(extra));

        Path shape = rewrite(valid, none, (t, s) -> s.put("head.weight", new long[] {4, 2}));
        assertTrue(failure(shape).contains("tensor 'head.weight' has shape [4, 2], expected [2, 4]"), failure(shape));

        Path nan = rewrite(valid, none, (t, s) -> t.get("rnn.weight_hh_l1")[5] = Float.NaN);
        assertTrue(failure(nan).contains("tensor 'rnn.weight_hh_l1' has NaN at index [1, 1]"), failure(nan));

        Path optimizerNan = rewrite(valid, none, (t, s) -> t.get("optimizer/head.bias/square_avg")[0] = Float.POSITIVE_INFINITY);
        assertTrue(failure(optimizerNan).contains("tensor 'optimizer/head.bias/square_avg' has Infinity"), failure(optimizerNan));

        Path strayOptimizer = rewrite(valid, none, (t, s) -> {
            t.put("optimizer/rnn.nothing/momentum_buffer", new float[] {1});
            s.put("optimizer/rnn.nothing/momentum_buffer", new long[] {1});
        });
        assertTrue(failure(strayOptimizer).contains("'optimizer/rnn.nothing/momentum_buffer'"), failure(strayOptimizer));

        Path newer = rewrite(valid, Map.of("format_version", "2"), (t, s) -> {});
        assertTrue(failure(newer).contains("version 2 is newer"), failure(newer));

        Path badSpec = rewrite(valid, Map.of("config", "{\"spec_version\":1}"), (t, s) -> {});
        assertTrue(failure(badSpec).startsWith(badSpec + ": metadata 'config': model spec: missing"), failure(badSpec));

        Path recurrentOnly = dir.resolve("lstm.rnn4j");
        ModelFile.save(Lstm.builder().inputSize(2).hiddenSize(2).build(), recurrentOnly, null);
        assertTrue(failure(recurrentOnly).contains("ModelFile.load"), failure(recurrentOnly));

        model.parameter("head.weight").value()[3] = Float.NaN;
        Path refused = dir.resolve("refused.rnn4j");
        assertEquals(refused + ": not saved: parameter 'head.weight' has NaN at index [0, 3]",
                assertThrows(ModelFileException.class, () -> SequenceModelFile.save(model, refused, null)).getMessage());
        assertTrue(Files.notExists(refused));
    }

    @Test
    void checkpointsExtendTheModelFile() {
        SequenceModel model = featureModel();
        Path file = dir.resolve("c.rnn4j");
        Map<String, float[]> extra = new LinkedHashMap<>();
        extra.put("carry/h", new float[] {1, -2, 3.5f});
        extra.put("best/head.bias", new float[] {0.25f, 0.5f});
        Adam adam = steppedAdam(model);
        TrainingCheckpoint.write(file, model, FROZEN_PROVENANCE, adam, "{\"a\":1}", "{\"step\":3}", extra);
        TrainingCheckpoint.Contents c = TrainingCheckpoint.read(file);
        assertSameParameters(model, c.model().model());
        assertEquals("{\"a\":1}", c.trainConfig());
        assertEquals("{\"step\":3}", c.trainingState());
        assertEquals(List.of("carry/h", "best/head.bias"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1, -2, 3.5f}, c.tensors().get("carry/h"));
        // a checkpoint is a model file; a model file is not a checkpoint
        assertSameParameters(model, SequenceModelFile.load(file));
        Path plain = dir.resolve("p.rnn4j");
        SequenceModelFile.save(model, plain, null, adam);
        assertTrue(assertThrows(ModelFileException.class, () -> TrainingCheckpoint.read(plain)).getMessage().contains("not a training checkpoint"));
        extra.put("carry/c", new float[] {Float.NaN});
        assertThrows(ModelFileException.class, () -> TrainingCheckpoint.write(file, model, null, adam, "{}", "{}", extra));
        assertSameParameters(model, TrainingCheckpoint.read(file).model().model()); // the earlier checkpoint is intact
    }
}
