package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.model.NamedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleFileTest {
    @TempDir
    Path dir;

    private static SequenceModel model() {
        return SequenceModel.builder().features(2).cell(CellType.GRU).hiddenSize(5).head(Head.LAST_STEP).outputs(3).seed(7).build();
    }

    @Test
    void roundTripKeepsWeightsPreprocessingMetricsAndProvenance() {
        SequenceModel model = model();
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("window", 24L);
        preprocessing.put("columns", List.of("Passengers"));
        preprocessing.put("scaler", Map.of("center", 1.5, "scale", 0.25));
        Map<String, Object> metrics = Map.of("test", Map.of("rmse", 12.5));
        TrainingProvenance provenance = TrainingProvenance.now("rnn4j train forecast --csv a.csv", "{\"epochs\":3}", 42L, "sha256:ab");
        Path file = dir.resolve("m.rnn4j");
        BundleFile.save(new ModelBundle(model, "forecast", preprocessing, metrics, provenance), file);

        ModelBundle back = BundleFile.read(file);
        assertEquals("forecast", back.task());
        assertEquals(Json.write(preprocessing), Json.write(back.preprocessing()));
        assertEquals(Json.write(metrics), Json.write(back.metrics()));
        assertEquals(provenance, back.provenance());
        assertEquals(model.spec(), back.model().spec());
        List<NamedParameter> expected = model.namedParameters(), actual = back.model().namedParameters();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).parameter().value(), actual.get(i).parameter().value(), expected.get(i).name());
        }
        // and it is still a sequence model file
        assertEquals(model.spec(), SequenceModelFile.load(file).spec());
    }

    @Test
    void aPlainModelFileIsNotABundle() {
        Path file = dir.resolve("plain.rnn4j");
        SequenceModelFile.save(model(), file, null);
        ModelFileException e = assertThrows(ModelFileException.class, () -> BundleFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": a sequence model without a task bundle"), e.getMessage());
    }

    @Test
    void aNewerBundleVersionNamesTheVersionNeeded() throws Exception {
        Path file = dir.resolve("new.rnn4j");
        SequenceModelFile.writer(model(), file, null, null)
                .metadata(BundleFile.METADATA_KEY, "{\"bundle_version\":7,\"task\":\"forecast\",\"preprocessing\":{},\"metrics\":{}}")
                .write(file);
        ModelFileException e = assertThrows(ModelFileException.class, () -> BundleFile.read(file));
        assertTrue(e.getMessage().contains("bundle version 7 needs a newer rnn4j"), e.getMessage());
        assertTrue(e.getMessage().contains("reads bundle versions 1..1"), e.getMessage());

        Files.delete(file);
        SequenceModelFile.writer(model(), file, null, null).metadata(BundleFile.METADATA_KEY, "{\"bundle_version\":1,\"task\":\"\"}").write(file);
        e = assertThrows(ModelFileException.class, () -> BundleFile.read(file));
        assertTrue(e.getMessage().contains("'task' must be a non-empty string"), e.getMessage());
    }
}
