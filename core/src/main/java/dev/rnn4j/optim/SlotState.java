package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-parameter buffers ("slots", PyTorch's state entries such as {@code exp_avg}) of one optimizer, keyed by
 * parameter name, created on first use, copied out for checkpoints and back in.
 */
final class SlotState {
    private final String owner;        // for messages: "Adam(amsgrad=true)"
    private final List<String> slots;  // slot names in a fixed order
    private final Map<String, float[][]> byParameter = new LinkedHashMap<>();

    SlotState(String owner, List<String> slots) {
        this.owner = owner;
        this.slots = List.copyOf(slots);
    }

    /** The position of {@code slot} in the buffers {@link #get} returns, or -1 if this optimizer does not use it. */
    int index(String slot) {
        return slots.indexOf(slot);
    }

    /** The slot buffers of {@code p} in slot order, or {@code null} if it has none yet. */
    float[][] get(Parameter p) {
        float[][] buffers = byParameter.get(p.name());
        if (buffers == null) return null;
        for (int s = 0; s < buffers.length; s++) {
            if (buffers[s].length != p.size()) {
                throw new IllegalArgumentException(owner + ": state '" + p.name() + "/" + slots.get(s) + "' has "
                        + buffers[s].length + " values but parameter " + p + " has " + p.size());
            }
        }
        return buffers;
    }

    /** The slot buffers of {@code p} in slot order, new zero ones on its first step. */
    float[][] getOrCreate(Parameter p) {
        float[][] buffers = get(p);
        return buffers != null ? buffers : create(p);
    }

    /** New zero buffers for {@code p}, registered. */
    float[][] create(Parameter p) {
        float[][] buffers = new float[slots.size()][p.size()];
        byParameter.put(p.name(), buffers);
        return buffers;
    }

    Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : byParameter.entrySet()) {
            for (int s = 0; s < slots.size(); s++) {
                out.put(e.getKey() + "/" + slots.get(s), e.getValue()[s].clone());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    void load(Map<String, float[]> state) {
        if (state == null) throw new IllegalArgumentException(owner + ": state is null");
        Map<String, float[][]> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            String key = e.getKey();
            int slash = key == null ? -1 : key.lastIndexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException(owner + ": state key '" + key
                        + "' is not '<parameter name>/<slot>'; slots are " + slots);
            }
            int s = slots.indexOf(key.substring(slash + 1));
            if (s < 0) {
                throw new IllegalArgumentException(owner + ": state key '" + key + "' names slot '"
                        + key.substring(slash + 1) + "', which this optimizer does not use; its slots are " + slots);
            }
            if (e.getValue() == null) throw new IllegalArgumentException(owner + ": state '" + key + "' is null");
            float[][] buffers = loaded.computeIfAbsent(key.substring(0, slash), k -> new float[slots.size()][]);
            buffers[s] = e.getValue().clone();
        }
        for (Map.Entry<String, float[][]> e : loaded.entrySet()) {
            List<String> missing = new ArrayList<>();
            for (int s = 0; s < slots.size(); s++) {
                if (e.getValue()[s] == null) missing.add(e.getKey() + "/" + slots.get(s));
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(owner + ": state for '" + e.getKey() + "' lacks " + missing);
            }
            for (int s = 1; s < slots.size(); s++) {
                if (e.getValue()[s].length != e.getValue()[0].length) {
                    throw new IllegalArgumentException(owner + ": the slots of '" + e.getKey() + "' differ in size: "
                            + slots.get(0) + " has " + e.getValue()[0].length + " values, " + slots.get(s) + " has "
                            + e.getValue()[s].length);
                }
            }
        }
        byParameter.clear();
        byParameter.putAll(loaded);
    }

    /** Throws if two parameters share a name: their state would be mixed up. */
    static void checkUniqueNames(List<Parameter> parameters) {
        if (parameters == null) throw new IllegalArgumentException("parameters is null");
        Set<String> seen = new HashSet<>(parameters.size() * 2);
        for (Parameter p : parameters) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("two parameters are named '" + p.name()
                        + "'; optimizer state is keyed by name, so names must be unique");
            }
        }
    }
}
