package dev.rnn4j.tensor;

/**
 * A named tensor that is part of a model's state but is not trained: PyTorch's buffers ({@code register_buffer}),
 * such as batch normalisation's population statistics. The forward passes update it (in training mode), files save and
 * load it beside the parameters, and it has no gradient: optimizers, clipping and gradient checks never see it.
 */
public final class Buffer extends ModelTensor {
    public Buffer(String name, int... shape) {
        super(name, shape);
    }
}
