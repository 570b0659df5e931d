package dev.rnn4j.train;

import dev.rnn4j.model.NamedBuffer;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The values that make a model what it is, as early stopping keeps the best one: every parameter, then every buffer
 * (batch normalisation's population statistics, which belong with the weights they were gathered under), in the
 * model's order, under their qualified names.
 */
final class ModelState {
    private final List<NamedParameter> parameters;
    private final List<NamedBuffer> buffers;

    ModelState(SequenceModel model) {
        this.parameters = model.namedParameters();
        this.buffers = model.namedBuffers();
    }

    /** A copy of every value, parameters first. */
    float[][] copy() {
        float[][] state = new float[parameters.size() + buffers.size()][];
        for (int i = 0; i < parameters.size(); i++) state[i] = parameters.get(i).parameter().value().clone();
        for (int i = 0; i < buffers.size(); i++) state[parameters.size() + i] = buffers.get(i).buffer().value().clone();
        return state;
    }

    /** Puts {@link #copy()}'s values back. */
    void set(float[][] state) {
        for (int i = 0; i < parameters.size(); i++) parameters.get(i).parameter().set(state[i]);
        for (int i = 0; i < buffers.size(); i++) buffers.get(i).buffer().set(state[parameters.size() + i]);
    }

    /** The qualified names of {@link #copy()}'s arrays, in its order. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (NamedParameter p : parameters) names.add(p.name());
        for (NamedBuffer b : buffers) names.add(b.name());
        return names;
    }

    /** The lengths of {@link #copy()}'s arrays. */
    int[] sizes() {
        int[] sizes = new int[parameters.size() + buffers.size()];
        for (int i = 0; i < parameters.size(); i++) sizes[i] = parameters.get(i).parameter().size();
        for (int i = 0; i < buffers.size(); i++) sizes[parameters.size() + i] = buffers.get(i).buffer().size();
        return sizes;
    }

    /** Copies another model's values (of the same spec) into this one's. */
    void setFrom(SequenceModel other) {
        set(new ModelState(other).copy());
    }
}
