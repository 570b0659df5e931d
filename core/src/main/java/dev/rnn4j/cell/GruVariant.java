package dev.rnn4j.cell;

/**
 * Where the GRU applies its reset gate.
 * <ul>
 *   <li>{@link #RESET_AFTER}: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), as PyTorch, cuDNN, Keras
 *       {@code reset_after=True} and ONNX {@code linear_before_reset=1}. The default.</li>
 *   <li>{@link #RESET_BEFORE}: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn), as Cho et al. 2014, Keras
 *       {@code reset_after=False} and ONNX {@code linear_before_reset=0}.</li>
 * </ul>
 */
public enum GruVariant {
    RESET_AFTER, RESET_BEFORE
}
