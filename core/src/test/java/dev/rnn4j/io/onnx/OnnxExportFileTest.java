package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxExportFileTest {
    @TempDir
    Path dir;

    private static SequenceModel classifier() {
        return SequenceModel.builder().features(2).cell(CellType.LSTM).hiddenSize(3).bidirectional(true).head(Head.MAX).outputs(4).seed(2).build();
    }

    @Test
    void aBundleKeepsItsPreprocessingInTheMetadataAndAClassifierEndsInSoftmax() {
        Path bundle = dir.resolve("c.rnn4j");
        Map<String, Object> preprocessing = Map.of("classes", List.of("a", "b", "c", "d"), "alphabet", "ACGT");
        BundleFile.save(new ModelBundle(classifier(), "classify", preprocessing, Map.of("accuracy", 0.5), null), bundle);
        Path onnx = dir.resolve("c.onnx");
        Onnx.Model model = OnnxExport.export(bundle, onnx, OnnxExport.Options.defaults());

        Onnx.Model read = OnnxCodec.read(onnx);
        Map<String, Object> document = Json.parseObject(read.metadata().get("bundle"));
        assertEquals("classify", document.get("task"));
        assertEquals(List.of("a", "b", "c", "d"), ((Map<?, ?>) document.get("preprocessing")).get("classes"));
        assertEquals(SequenceModelFile.FORMAT, read.metadata().get("format"));
        assertTrue(read.metadata().containsKey("config"));
        assertEquals(Map.of("opset", 14L, "batch_first", false, "lengths_input", true, "initial_state_inputs", true,
                "model", List.of("head MAX", "softmax")), Json.parseObject(read.metadata().get(OnnxExport.EXPORT_METADATA_KEY)));
        assertEquals(List.of("predictions", "probabilities", "h_n", "c_n"), read.graph().outputs().stream().map(Onnx.ValueInfo::name).toList());
        assertEquals(model.graph().nodes().size(), read.graph().nodes().size());
    }

    @Test
    void aForecasterHasNoSoftmax() {
        Path bundle = dir.resolve("f.rnn4j");
        BundleFile.save(new ModelBundle(classifier(), "forecast", Map.of(), Map.of(), null), bundle);
        Onnx.Model model = OnnxExport.ofFile(bundle, OnnxExport.Options.defaults().withInitialState(false).withLengths(false));
        assertEquals(List.of("predictions", "h_n", "c_n"), model.graph().outputs().stream().map(Onnx.ValueInfo::name).toList());
        assertEquals(List.of("input"), model.graph().inputs().stream().map(Onnx.ValueInfo::name).toList());
    }

    @Test
    void aPyTorchStateDictExportsAsItsNetwork() {
        Onnx.Model model = OnnxExport.ofFile(Path.of("../examples/torch/lstm-2x16-bi.safetensors"), OnnxExport.Options.defaults());
        assertEquals("LSTM", model.metadata().get("mode"));
        assertEquals(List.of("output", "h_n", "c_n"), model.graph().outputs().stream().map(Onnx.ValueInfo::name).toList());
        assertEquals(2, model.graph().nodes().stream().filter(n -> n.opType().equals("LSTM")).count());
    }

    @Test
    void layerNormalisationCannotBeExportedAndNoFileIsLeft() {
        SequenceModel normalised = SequenceModel.builder().features(2).cell(CellType.GRU).hiddenSize(3)
                .regularization(Regularization.builder().layerNorm(true).build()).head(Head.LAST_STEP).outputs(1).build();
        Path file = dir.resolve("ln.rnn4j");
        SequenceModelFile.save(normalised, file, null);
        Path onnx = dir.resolve("ln.onnx");
        ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxExport.export(file, onnx, OnnxExport.Options.defaults()));
        assertEquals(file + ": layer-normalised cells cannot be exported: ONNX's LSTM and GRU operators have no layer normalisation", e.getMessage());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void batchNormalisationCannotBeExportedAndNoFileIsLeft() {
        SequenceModel normalised = SequenceModel.builder().features(2).cell(CellType.LSTM).hiddenSize(3)
                .regularization(Regularization.builder().batchNorm(4).build()).head(Head.LAST_STEP).outputs(1).build();
        Path file = dir.resolve("bn.rnn4j");
        SequenceModelFile.save(normalised, file, null);
        Path onnx = dir.resolve("bn.onnx");
        ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxExport.export(file, onnx, OnnxExport.Options.defaults()));
        assertEquals(file + ": batch-normalised cells cannot be exported: ONNX's LSTM operator has no normalisation of its gates or cell",
                e.getMessage());
        assertFalse(Files.exists(onnx));
    }
}
