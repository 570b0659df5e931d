package dev.rnn4j.spark;

import dev.rnn4j.tensor.Parameter;

import java.util.List;

/** A model's parameters as one flat vector, concatenated in parameter order: what a step broadcasts and aggregates. */
final class ParameterVectors {
    private ParameterVectors() {}

    static int size(List<Parameter> parameters) {
        int n = 0;
        for (Parameter p : parameters) n += p.size();
        return n;
    }

    static float[] values(List<Parameter> parameters) {
        float[] all = new float[size(parameters)];
        int offset = 0;
        for (Parameter p : parameters) {
            System.arraycopy(p.value(), 0, all, offset, p.size());
            offset += p.size();
        }
        return all;
    }

    /** The grads, concatenated in parameter order, into {@code all} (of {@link #size} values). */
    static void copyGrads(List<Parameter> parameters, float[] all) {
        int offset = 0;
        for (Parameter p : parameters) {
            System.arraycopy(p.grad(), 0, all, offset, p.size());
            offset += p.size();
        }
    }

    static void setValues(List<Parameter> parameters, float[] values) {
        copyInto(parameters, values, false);
    }

    static void setGrads(List<Parameter> parameters, float[] grads) {
        copyInto(parameters, grads, true);
    }

    private static void copyInto(List<Parameter> parameters, float[] all, boolean grads) {
        if (all.length != size(parameters)) {
            throw new IllegalArgumentException("a vector of " + all.length + " values for " + size(parameters) + " parameter values");
        }
        int offset = 0;
        for (Parameter p : parameters) {
            System.arraycopy(all, offset, grads ? p.grad() : p.value(), 0, p.size());
            offset += p.size();
        }
    }
}
