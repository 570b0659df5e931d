package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a PyTorch {@code nn.LSTM}, {@code nn.GRU} or {@code nn.RNN} saved as a safetensors state dict:
 * <pre>{@code
 * from safetensors.torch import save_file
 * save_file(lstm.state_dict(), "lstm.safetensors", metadata={"mode": "LSTM", "input_size": "8",
 *           "hidden_size": "16", "num_layers": "2", "bidirectional": "true", "bias": "true"})
 * }</pre>
 * The tensors keep PyTorch's names ({@code weight_ih_l0}, ..., {@code bias_hh_l1_reverse}), F32. rnn4j's
 * parameters have PyTorch's exact layout (gate order i, f, g, o and r, z, n; both biases), so importing is a
 * checked copy: every tensor present with its exact shape, none unexpected, all finite.
 */
public final class TorchImport {
    /** PyTorch's {@code mode} strings, as in {@code torch.nn.RNNBase}. */
    public static final List<String> MODES = List.of("LSTM", "GRU", "RNN_TANH", "RNN_RELU");
    /** The metadata keys a state dict file must carry. */
    public static final List<String> REQUIRED_KEYS = List.of("mode", "input_size", "hidden_size", "num_layers",
            "bidirectional", "bias");

    private TorchImport() {}

    /** Reads and checks the file; see the class comment for what it must hold. */
    public static Recurrent load(Path weights) {
        return load(SafetensorsFile.read(weights));
    }

    /** Builds the network a state dict describes and copies its weights in. */
    public static Recurrent load(SafetensorsFile file) {
        Recurrent network = new Recurrent(configOf(file));
        Tensors.copyParameters(file, network, Set.of());
        return network;
    }

    /** The network configuration described by the state dict's metadata. */
    public static RecurrentConfig configOf(SafetensorsFile file) {
        String source = file.source();
        Map<String, String> meta = file.metadata();
        for (String key : REQUIRED_KEYS) {
            if (!meta.containsKey(key)) {
                throw new ModelFileException(source + ": metadata '" + key + "' is missing (a PyTorch state dict needs "
                        + String.join(", ", REQUIRED_KEYS) + ")");
            }
        }
        String mode = meta.get("mode");
        CellType cellType;
        Nonlinearity nonlinearity = Nonlinearity.TANH;
        switch (mode) {
            case "LSTM" -> cellType = CellType.LSTM;
            case "GRU" -> cellType = CellType.GRU;
            case "RNN_TANH" -> cellType = CellType.RNN;
            case "RNN_RELU" -> {
                cellType = CellType.RNN;
                nonlinearity = Nonlinearity.RELU;
            }
            default -> throw new ModelFileException(source + ": metadata 'mode' is '" + mode + "'; accepted: "
                    + String.join(", ", MODES));
        }
        String projSize = meta.get("proj_size");
        if (projSize != null && !projSize.equals("0")) {
            throw new ModelFileException(source + ": metadata 'proj_size' is '" + projSize
                    + "'; LSTMs with projections (proj_size > 0) are not supported");
        }
        int inputSize = positiveInt(source, meta, "input_size");
        int hiddenSize = positiveInt(source, meta, "hidden_size");
        int layers = positiveInt(source, meta, "num_layers");
        boolean bidirectional = bool(source, meta, "bidirectional");
        boolean bias = bool(source, meta, "bias");
        // PyTorch's GRU applies the reset gate after the matrix product
        return new RecurrentConfig(cellType, inputSize, hiddenSize, layers, bidirectional, bias, nonlinearity,
                GruVariant.RESET_AFTER);
    }

    private static int positiveInt(String source, Map<String, String> meta, String key) {
        String text = meta.get(key);
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelFileException(source + ": metadata '" + key + "' must be a positive integer, got '" + text + "'");
    }

    private static boolean bool(String source, Map<String, String> meta, String key) {
        String text = meta.get(key);
        return switch (text.strip()) {
            case "true", "True", "1" -> true;
            case "false", "False", "0" -> false;
            default -> throw new ModelFileException(source + ": metadata '" + key + "' must be true or false, got '" + text + "'");
        };
    }
}
