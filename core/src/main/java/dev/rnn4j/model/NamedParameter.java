package dev.rnn4j.model;

import dev.rnn4j.tensor.Parameter;

import java.util.Objects;

/**
 * A parameter under its qualified name in a model, e.g. {@code "rnn.weight_ih_l0"} or {@code "head.bias"}.
 * Qualified names are unique within a model and stable across runs: optimizer state and model files key by them.
 * {@link Parameter#name()} may differ (a {@link dev.rnn4j.layer.Recurrent}'s own parameters carry PyTorch's
 * unqualified names).
 */
public record NamedParameter(String name, Parameter parameter) {
    public NamedParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameter, "parameter");
    }
}
