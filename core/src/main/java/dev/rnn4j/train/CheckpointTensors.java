package dev.rnn4j.train;

import dev.rnn4j.model.NamedParameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a checkpoint holds beside the model and the optimizer: the best validation's parameters
 * ({@code best/<name>}) and the state carried between truncated-BPTT chunks ({@code carry/h}, {@code carry/c}).
 */
final class CheckpointTensors {
    private CheckpointTensors() {}

    /** The tensors to write; {@code best}, {@code h} and {@code c} may each be null. */
    static Map<String, float[]> of(List<NamedParameter> named, float[][] best, float[] h, float[] c) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        if (best != null) {
            for (int i = 0; i < named.size(); i++) tensors.put("best/" + named.get(i).name(), best[i]);
        }
        if (h != null) tensors.put("carry/h", h);
        if (c != null) tensors.put("carry/c", c);
        return tensors;
    }

    /** Copies of the best parameters, in the order of {@code named}. */
    static float[][] best(Map<String, float[]> tensors, List<NamedParameter> named, String source) {
        float[][] best = new float[named.size()][];
        for (int i = 0; i < named.size(); i++) {
            float[] v = tensors.get("best/" + named.get(i).name());
            if (v == null || v.length != named.get(i).parameter().size()) {
                throw new IllegalArgumentException(source + ": tensor 'training/best/" + named.get(i).name() + "' is missing or has the wrong size");
            }
            best[i] = v.clone();
        }
        return best;
    }

    /** Copies of {h, c} (c null for a cell without cell state). */
    static float[][] carry(Map<String, float[]> tensors, boolean hasCellState, String source) {
        float[] h = tensors.get("carry/h"), c = tensors.get("carry/c");
        if (h == null) throw new IllegalArgumentException(source + ": tensor 'training/carry/h' is missing");
        if (hasCellState && c == null) throw new IllegalArgumentException(source + ": tensor 'training/carry/c' is missing");
        return new float[][] {h.clone(), c == null ? null : c.clone()};
    }
}
