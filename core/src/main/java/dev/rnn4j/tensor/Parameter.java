package dev.rnn4j.tensor;

import java.util.Arrays;

/**
 * A named trainable tensor: its values and the gradient accumulated for them, both flat row-major.
 */
public final class Parameter extends ModelTensor {
    private final float[] grad;  // [prod(shape)], accumulated by backward passes, cleared by zeroGrad()
    private boolean trainable = true;

    public Parameter(String name, int... shape) {
        super(name, shape);
        this.grad = new float[size()];
    }

    /** The accumulated gradient, shared (not a copy). */
    public float[] grad() {
        return grad;
    }

    /** The values as a matrix of {@code shape[0]} rows (a vector is one row). */
    public Matrix matrix() {
        return asMatrix(value());
    }

    /** The gradient as a matrix shaped like {@link #matrix()}. */
    public Matrix gradMatrix() {
        return asMatrix(grad);
    }

    private Matrix asMatrix(float[] data) {
        int rows = dimension(0);
        return rank() == 1 ? Matrix.of(data, 1, rows) : Matrix.of(data, rows, data.length / Math.max(1, rows));
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
}
