package dev.rnn4j.layer;

/**
 * What a forward pass returns, as PyTorch does. The arrays are owned by the network's workspace and are
 * overwritten by its next forward pass: copy them to keep them.
 *
 * @param output [T, B, D * H] the last layer's hidden state at each step, zero past each sequence's length
 * @param hN     [L * D, B, H] final hidden state of each layer and direction (at each sequence's last valid step)
 * @param cN     [L * D, B, H] final cell state (LSTM), else null
 */
public record RecurrentOutput(float[] output, float[] hN, float[] cN, int steps, int batch, int outputSize) {
}
