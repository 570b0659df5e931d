package dev.rnn4j.cell;

/** The activation of the simple RNN, as PyTorch's {@code nonlinearity} argument. */
public enum Nonlinearity {
    TANH, RELU
}
