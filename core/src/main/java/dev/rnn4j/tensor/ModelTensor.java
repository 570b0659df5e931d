package dev.rnn4j.tensor;

import java.util.Arrays;

/**
 * A named tensor of a model's state, flat row-major: a trained {@link Parameter} or an untrained {@link Buffer}.
 * Names follow PyTorch ({@code weight_ih_l0}, {@code bias_hh_l1_reverse}) so state dicts map one to one.
 */
public abstract sealed class ModelTensor permits Parameter, Buffer {
    private final String name;
    private final int[] shape;
    private final float[] value; // [prod(shape)]

    ModelTensor(String name, int[] shape) {
        this.name = name;
        this.shape = shape.clone();
        this.value = new float[elementCount(name, shape)];
    }

    /** The number of elements of a tensor of {@code shape}; refuses negative dimensions and int overflow, naming the tensor. */
    static int elementCount(String name, int[] shape) {
        int size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            size = Math.multiplyExact(size, d);
        }
        return size;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    int rank() {
        return shape.length;
    }

    /** Dimension {@code i} of the shape, without copying it. */
    int dimension(int i) {
        return shape[i];
    }

    public int size() {
        return value.length;
    }

    /** The values, shared (not a copy): kernels read them in place, and update a buffer's. */
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
