package dev.rnn4j.train;

import dev.rnn4j.model.NamedParameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a checkpoint holds beside the model and the optimizer: the best validation's parameters
 * ({@code best/<name>}), the parameters' moving averages ({@code average/<name>}) and the state carried between
 * truncated-BPTT chunks ({@code carry/h}, {@code carry/c}).
 */
final class CheckpointTensors {
    private CheckpointTensors() {}

    /** The tensors to write; {@code best}, {@code averages}, {@code h} and {@code c} may each be null. */
    static Map<String, float[]> of(List<NamedParameter> named, float[][] best, float[][] averages, float[] h, float[] c) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        if (best != null) {
            for (int i = 0; i < named.size(); i++) tensors.put("best/" + named.get(i).name(), best[i]);
        }
        if (averages != null) {
            for (int i = 0; i < named.size(); i++) tensors.put("average/" + named.get(i).name(), averages[i]);
        }
        if (h != null) tensors.put("carry/h", h);
        if (c != null) tensors.put("carry/c", c);
        return tensors;
    }

    /** Copies of the parameter values stored under {@code prefix} ("best", "average"), in the order of {@code named}. */
    static float[][] parameters(Map<String, float[]> tensors, String prefix, List<NamedParameter> named, String source) {
        float[][] values = new float[named.size()][];
        for (int i = 0; i < named.size(); i++) {
            String name = prefix + "/" + named.get(i).name();
            float[] v = tensors.get(name);
            if (v == null || v.length != named.get(i).parameter().size()) {
                throw new IllegalArgumentException(source + ": tensor 'training/" + name + "' is missing or has the wrong size");
            }
            values[i] = v.clone();
        }
        return values;
    }

    /** Copies of {h, c} (c null for a cell without cell state). */
    static float[][] carry(Map<String, float[]> tensors, boolean hasCellState, String source) {
        float[] h = tensors.get("carry/h"), c = tensors.get("carry/c");
        if (h == null) throw new IllegalArgumentException(source + ": tensor 'training/carry/h' is missing");
        if (hasCellState && c == null) throw new IllegalArgumentException(source + ": tensor 'training/carry/c' is missing");
        return new float[][] {h.clone(), c == null ? null : c.clone()};
    }
}
