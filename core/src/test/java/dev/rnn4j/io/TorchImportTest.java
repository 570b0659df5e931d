package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TorchImportTest {
    @TempDir
    Path dir;

    /** State dicts written by PyTorch itself (the weights of the layer tests' fixtures, see make_fixtures.py). */
    @Test
    void importsPyTorchStateDicts() {
        for (String name : List.of("lstm_bi2_lengths", "gru_nobias", "rnn_relu_basic", "rnn_tanh_bi2_lengths", "lstm_3layer")) {
            SafetensorsFile fixture = SafetensorsFile.read(Path.of("src/test/resources/torch", name + ".safetensors"));
            SafetensorsWriter stateDict = new SafetensorsWriter();
            for (String key : TorchImport.REQUIRED_KEYS) stateDict.metadata(key, fixture.metadata().get(key));
            for (String tensor : fixture.names()) {
                if (tensor.startsWith("weight_") || tensor.startsWith("bias_")) {
                    stateDict.putFloats(tensor, fixture.floats(tensor), fixture.shape(tensor));
                }
            }
            Path file = dir.resolve(name + ".safetensors");
            stateDict.write(file);

            Recurrent network = TorchImport.load(file);
            RecurrentConfig c = network.config();
            assertEquals(fixture.metadata().get("mode"), c.cellType() == CellType.RNN ? "RNN_" + c.nonlinearity() : c.cellType().name());
            assertEquals(Integer.parseInt(fixture.metadata().get("hidden_size")), c.hiddenSize(), name);
            for (Parameter p : network.parameters()) {
                assertArrayEquals(fixture.floats(p.name()), p.value(), name + " " + p.name());
            }
        }
    }

    @Test
    void copiesEveryParameterExactly() {
        Recurrent original = Lstm.builder().inputSize(3).hiddenSize(4).layers(2).bidirectional(true).seed(1).build();
        StateDict dict = new StateDict(original, "LSTM");
        Path file = dict.write(dir.resolve("lstm.safetensors"));
        Recurrent imported = TorchImport.load(file);
        assertEquals(original.config(), imported.config());
        ModelFileTest.assertSameParameters(original, imported);
    }

    @Test
    void readsEveryModeAndBooleanSpelling() {
        assertEquals(new RecurrentConfig(CellType.RNN, 3, 4, 2, true, false, Nonlinearity.RELU, GruVariant.RESET_AFTER),
                configOf(Map.of("mode", "RNN_RELU", "input_size", "3", "hidden_size", "4", "num_layers", "2",
                        "bidirectional", "True", "bias", "0")));
        assertEquals(new RecurrentConfig(CellType.RNN, 3, 4, 1, false, true, Nonlinearity.TANH, GruVariant.RESET_AFTER),
                configOf(Map.of("mode", "RNN_TANH", "input_size", "3", "hidden_size", "4", "num_layers", "1",
                        "bidirectional", "False", "bias", "1")));
        assertEquals(new RecurrentConfig(CellType.GRU, 3, 4, 1, true, true, Nonlinearity.TANH, GruVariant.RESET_AFTER),
                configOf(Map.of("mode", "GRU", "input_size", "3", "hidden_size", "4", "num_layers", "1",
                        "bidirectional", "true", "bias", "true", "proj_size", "0")));
    }

    private static RecurrentConfig configOf(Map<String, String> metadata) {
        SafetensorsWriter w = new SafetensorsWriter();
        metadata.forEach(w::metadata);
        return TorchImport.configOf(SafetensorsFile.parse("x", w.toBytes()));
    }

    @Test
    void reportsBadStateDicts() {
        assertImportError(d -> d.metadata.remove("hidden_size"),
                "metadata 'hidden_size' is missing (a PyTorch state dict needs mode, input_size, hidden_size, num_layers, bidirectional, bias)");
        assertImportError(d -> d.metadata.put("mode", "RNN"), "metadata 'mode' is 'RNN'; accepted: LSTM, GRU, RNN_TANH, RNN_RELU");
        assertImportError(d -> d.metadata.put("hidden_size", "4.0"), "metadata 'hidden_size' must be a positive integer, got '4.0'");
        assertImportError(d -> d.metadata.put("num_layers", "0"), "metadata 'num_layers' must be a positive integer, got '0'");
        assertImportError(d -> d.metadata.put("bias", "yes"), "metadata 'bias' must be true or false, got 'yes'");
        assertImportError(d -> d.metadata.put("proj_size", "2"),
                "metadata 'proj_size' is '2'; LSTMs with projections (proj_size > 0) are not supported");
        assertImportError(d -> d.tensors.remove("weight_hh_l0_reverse"),
                "missing tensor 'weight_hh_l0_reverse', which a 1-layer bidirectional LSTM needs");
        assertImportError(d -> d.metadata.put("bias", "false"),
                "unexpected tensor 'bias_ih_l0', not a parameter of a 1-layer bidirectional LSTM without bias");
        assertImportError(d -> d.metadata.put("hidden_size", "3"), "tensor 'weight_ih_l0' has shape [16, 2], expected [12, 2]");
        assertImportError(d -> d.tensors.get("weight_ih_l0_reverse")[9] = Float.NaN,
                "tensor 'weight_ih_l0_reverse' has NaN at index [4, 1]");
        assertImportError(d -> d.tensors.get("bias_hh_l0")[15] = Float.POSITIVE_INFINITY,
                "tensor 'bias_hh_l0' has Infinity at index [15]");
        assertImportError(d -> d.doubles.add("bias_hh_l0"), "tensor 'bias_hh_l0' has dtype F64, expected F32");
    }

    private void assertImportError(Consumer<StateDict> corruption, String message) {
        StateDict dict = new StateDict(Lstm.builder().inputSize(2).hiddenSize(4).bidirectional(true).seed(3).build(), "LSTM");
        corruption.accept(dict);
        Path file = dict.write(dir.resolve("bad.safetensors"));
        assertEquals(file + ": " + message, assertThrows(ModelFileException.class, () -> TorchImport.load(file)).getMessage());
    }

    /** A network written as a PyTorch state dict, editable before writing. */
    static final class StateDict {
        final Map<String, String> metadata = new LinkedHashMap<>();
        final Map<String, float[]> tensors = new LinkedHashMap<>();
        final Map<String, int[]> shapes = new LinkedHashMap<>();
        final java.util.Set<String> doubles = new java.util.HashSet<>();

        StateDict(Recurrent network, String mode) {
            RecurrentConfig c = network.config();
            metadata.put("mode", mode);
            metadata.put("input_size", Integer.toString(c.inputSize()));
            metadata.put("hidden_size", Integer.toString(c.hiddenSize()));
            metadata.put("num_layers", Integer.toString(c.layers()));
            metadata.put("bidirectional", Boolean.toString(c.bidirectional()));
            metadata.put("bias", Boolean.toString(c.bias()));
            for (Parameter p : network.parameters()) {
                tensors.put(p.name(), p.value().clone());
                shapes.put(p.name(), p.shape());
            }
        }

        Path write(Path file) {
            SafetensorsWriter w = new SafetensorsWriter();
            metadata.forEach(w::metadata);
            tensors.forEach((name, values) -> {
                if (doubles.contains(name)) {
                    double[] d = new double[values.length];
                    for (int i = 0; i < d.length; i++) d[i] = values[i];
                    w.putDoubles(name, d, shapes.get(name));
                } else {
                    w.putFloats(name, values, shapes.get(name));
                }
            });
            w.write(file);
            return file;
        }
    }
}
