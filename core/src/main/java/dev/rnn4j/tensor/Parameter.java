package dev.rnn4j.tensor;

import java.util.Arrays;

/**
 * A named trainable tensor: its values and the gradient accumulated for them, both flat row-major.
 * Names follow PyTorch ({@code weight_ih_l0}, {@code bias_hh_l1_reverse}) so state dicts map one to one.
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final float[] value; // [prod(shape)]
    private final float[] grad;  // [prod(shape)], accumulated by backward passes, cleared by zeroGrad()
    private boolean trainable = true;

    public Parameter(String name, int... shape) {
        this.name = name;
        this.shape = shape.clone();
        int size = elementCount(name, shape);
        this.value = new float[size];
        this.grad = new float[size];
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

    public int size() {
        return value.length;
    }

    /** The values, shared (not a copy): kernels read them in place. */
    public float[] value() {
        return value;
    }

    /** The accumulated gradient, shared (not a copy). */
    public float[] grad() {
        return grad;
    }

    /** The values as a matrix of {@code shape[0]} rows (a vector is one row). */
    public Matrix matrix() {
        return shape.length == 1 ? Matrix.of(value, 1, shape[0]) : Matrix.of(value, shape[0], value.length / Math.max(1, shape[0]));
    }

    /** The gradient as a matrix shaped like {@link #matrix()}. */
    public Matrix gradMatrix() {
        return shape.length == 1 ? Matrix.of(grad, 1, shape[0]) : Matrix.of(grad, shape[0], grad.length / Math.max(1, shape[0]));
    }

    /**
     * Whether training updates this parameter (PyTorch's {@code requires_grad}). A frozen parameter still gets its
     * gradient from backward passes, but {@link dev.rnn4j.train.Trainer} leaves it out of clipping and of the
     * optimizer's steps, so its values stay as they are (pretrained embeddings kept fixed, say). True by default.
     */
    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes this parameter; see {@link #trainable()}. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    public void zeroGrad() {
        // a language model's tables are millions of floats: clear them on every kernel thread
        Parallel.forRange(grad.length, 1 << 16, (from, to) -> Arrays.fill(grad, from, to, 0f));
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
