package dev.rnn4j.layer;

/**
 * Gradients of a loss with respect to a forward pass's inputs. Parameter gradients are accumulated
 * into each {@link dev.rnn4j.tensor.Parameter#grad()} instead. Arrays are owned by the network's workspace.
 *
 * @param dInput [T, B, I]
 * @param dH0    [L * D, B, H]
 * @param dC0    [L * D, B, H] for the LSTM, else null
 */
public record RecurrentGradients(float[] dInput, float[] dH0, float[] dC0) {
}
