package dev.rnn4j.tensor;

import java.util.Arrays;

/**
 * A named tensor that is part of a model's state but is not trained: PyTorch's buffers ({@code register_buffer}),
 * such as batch normalisation's population statistics. The forward passes update it (in training mode), files save and
 * load it beside the parameters, and it has no gradient: optimizers, clipping and gradient checks never see it.
 */
public final class Buffer {
    private final String name;
    private final int[] shape;
    private final float[] value; // [prod(shape)]

    public Buffer(String name, int... shape) {
        this.name = name;
        this.shape = shape.clone();
        this.value = new float[Parameter.elementCount(name, shape)];
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return value.length;
    }

    /** The values, shared (not a copy): kernels read and update them in place. */
    public float[] value() {
        return value;
    }

    /** Copies values in, checking the length. */
    public void set(float[] values) {
        if (values.length != value.length) {
            throw new IllegalArgumentException(name + ": expected " + value.length + " values, got " + values.length);
        }
        System.arraycopy(values, 0, value, 0, value.length);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
