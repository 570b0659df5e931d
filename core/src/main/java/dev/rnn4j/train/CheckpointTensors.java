package dev.rnn4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a checkpoint holds beside the model and the optimizer: the best validation's parameters and buffers
 * ({@code best/<qualified name>}), the parameters' moving averages ({@code average/<name>}) and the state carried
 * between truncated-BPTT chunks ({@code carry/h}, {@code carry/c}).
 */
final class CheckpointTensors {
    private CheckpointTensors() {}

    /**
     * The tensors to write: {@code best[i]} under {@code names[i]}, {@code averages[i]} under {@code averageNames[i]};
     * {@code best}, {@code averages}, {@code h} and {@code c} may each be null.
     */
    static Map<String, float[]> of(List<String> names, float[][] best, List<String> averageNames, float[][] averages, float[] h, float[] c) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        if (best != null) {
            for (int i = 0; i < names.size(); i++) tensors.put("best/" + names.get(i), best[i]);
        }
        if (averages != null) {
            for (int i = 0; i < averageNames.size(); i++) tensors.put("average/" + averageNames.get(i), averages[i]);
        }
        if (h != null) tensors.put("carry/h", h);
        if (c != null) tensors.put("carry/c", c);
        return tensors;
    }

    /** Copies of the values stored under {@code prefix} ("best", "average"), in the order of {@code names}, each of {@code sizes[i]} values. */
    static float[][] values(Map<String, float[]> tensors, String prefix, List<String> names, int[] sizes, String source) {
        float[][] values = new float[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            String name = prefix + "/" + names.get(i);
            float[] v = tensors.get(name);
            if (v == null || v.length != sizes[i]) {
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
