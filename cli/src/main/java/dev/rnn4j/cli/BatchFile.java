package dev.rnn4j.cli;

import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.Tensors;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.SequenceBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch for a model from a safetensors file, PyTorch's way: {@code input} F32 [T, B, input_size]
 * (time-major), optionally {@code h0} and {@code c0} (LSTM) F32 [num_layers * directions, B, hidden_size] and
 * {@code lengths} I64 [B], each in 1..T. Everything is checked before the network runs, so that a bad file is
 * reported as the file's fault, naming the tensor.
 */
final class BatchFile {
    static final List<String> TENSORS = List.of("input", "h0", "c0", "lengths");

    private BatchFile() {}

    /**
     * @param alsoAllowed tensors the file may hold besides the batch (a golden file's references); any other
     *                    tensor is reported, since it is most likely a misspelt h0, c0 or lengths
     */
    static SequenceBatch read(SafetensorsFile file, RecurrentConfig config, List<String> alsoAllowed) {
        String source = file.source();
        for (String name : file.names()) {
            if (!TENSORS.contains(name) && !alsoAllowed.contains(name)) {
                List<String> expected = new ArrayList<>(TENSORS);
                expected.addAll(alsoAllowed);
                throw new ModelFileException(source + ": unexpected tensor '" + name + "' (expected input and optionally "
                        + String.join(", ", expected.subList(1, expected.size())) + ")");
            }
        }
        if (!file.has("input")) throw new ModelFileException(source + ": missing tensor 'input'");
        long[] shape = file.shape("input");
        if (!file.dtype("input").equals("F32")) {
            throw new ModelFileException(source + ": tensor 'input' has dtype " + file.dtype("input") + ", expected F32");
        }
        if (shape.length != 3 || shape[2] != config.inputSize()) {
            throw new ModelFileException(source + ": tensor 'input' has shape " + Tensors.format(shape) + ", expected [T, B, "
                    + config.inputSize() + "] (time-major; the model's input_size is " + config.inputSize() + ")");
        }
        if (shape[0] < 1 || shape[1] < 1) {
            throw new ModelFileException(source + ": tensor 'input' has shape " + Tensors.format(shape)
                    + "; T and B must be at least 1");
        }
        float[] input = file.floats("input");
        Tensors.requireFinite(source, "input", input, shape);
        int steps = (int) shape[0];
        int batch = (int) shape[1];

        long[] stateShape = {(long) config.layers() * config.directions(), batch, config.hiddenSize()};
        float[] h0 = state(file, "h0", stateShape);
        if (file.has("c0") && !config.cellType().hasCellState()) {
            throw new ModelFileException(source + ": tensor 'c0' is given but the model is a " + config.cellType()
                    + ", which has no cell state (c0 is for LSTMs only)");
        }
        float[] c0 = state(file, "c0", stateShape);
        int[] lengths = file.has("lengths") ? lengths(file, steps, batch) : null;
        return new SequenceBatch(input, steps, batch, lengths, h0, c0);
    }

    private static float[] state(SafetensorsFile file, String name, long[] expectedShape) {
        if (!file.has(name)) return null;
        Tensors.requireF32(file, name, expectedShape);
        float[] values = file.floats(name);
        Tensors.requireFinite(file.source(), name, values, expectedShape);
        return values;
    }

    private static int[] lengths(SafetensorsFile file, int steps, int batch) {
        String source = file.source();
        String dtype = file.dtype("lengths");
        if (!dtype.equals("I64") && !dtype.equals("I32")) {
            throw new ModelFileException(source + ": tensor 'lengths' has dtype " + dtype + ", expected I64");
        }
        long[] shape = file.shape("lengths");
        if (shape.length != 1 || shape[0] != batch) {
            throw new ModelFileException(source + ": tensor 'lengths' has shape " + Tensors.format(shape) + ", expected ["
                    + batch + "] (one length per sequence of the batch)");
        }
        long[] values = file.longs("lengths");
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (values[b] < 1 || values[b] > steps) {
                throw new ModelFileException(source + ": tensor 'lengths' has " + values[b] + " at index [" + b
                        + "]; each length must be in 1.." + steps + " (T)");
            }
            lengths[b] = (int) values[b];
        }
        return lengths;
    }
}
