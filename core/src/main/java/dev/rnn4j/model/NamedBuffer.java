package dev.rnn4j.model;

import dev.rnn4j.tensor.Buffer;

import java.util.Objects;

/**
 * A buffer (state saved with a model but not trained, such as batch normalisation's population statistics) under its
 * qualified name in a model, e.g. {@code "rnn.bn_ih_running_mean_l0"}; files key it by that name, beside the
 * {@link NamedParameter}s.
 */
public record NamedBuffer(String name, Buffer buffer) {
    public NamedBuffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(buffer, "buffer");
    }
}
