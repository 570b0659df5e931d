package dev.rnn4j.model;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import dev.rnn4j.tensor.Parameter;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fully connected layer over rows, PyTorch's {@code nn.Linear}: {@code y = x W^T + b} for x [N, F], with
 * W [K, F] and b [K], giving y [N, K].
 *
 * <p>Call order: {@link #forward} then, for training, {@link #backward} once with dL/dy; W's and b's gradients
 * accumulate until {@link #zeroGrad()}. {@link #backward} reads the input of the last forward pass in place, so
 * that input must not change in between. Results live in workspaces owned by this layer, reused (not
 * reallocated) while N stays the same and overwritten by the next call of the same method.
 */
public final class Dense {
    private final int inputSize;  // F
    private final int outputSize; // K
    private final Parameter weight; // [K, F]
    private final Parameter bias;   // [K]

    private Matrix input;                    // x of the last forward pass, [N, F]
    private float[] output = new float[0];   // [N, K]
    private float[] inputGrad = new float[0]; // [N, F]
    private float[] ones = new float[0];     // [N] all ones: db += ones · dY

    /**
     * @param name       prefix of the parameter names: {@code name + ".weight"} and {@code name + ".bias"}, or
     *                   {@code "weight"} and {@code "bias"} when empty
     * @param inputSize  F, features of each input row
     * @param outputSize K, values of each output row
     */
    public Dense(String name, int inputSize, int outputSize) {
        Objects.requireNonNull(name, "name");
        if (inputSize < 1) throw new IllegalArgumentException("dense input size must be at least 1, got " + inputSize);
        if (outputSize < 1) throw new IllegalArgumentException("dense output size must be at least 1, got " + outputSize);
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        String prefix = name.isEmpty() ? "" : name + ".";
        this.weight = new Parameter(prefix + "weight", outputSize, inputSize);
        this.bias = new Parameter(prefix + "bias", outputSize);
    }

    /**
     * A layer whose weight is another layer's parameter (tied weights, e.g. a language model's output matrix being its
     * embedding table, Press &amp; Wolf 2017): both add their gradients into the one {@link Parameter#grad()}. The bias
     * is this layer's own.
     *
     * @param sharedWeight W [K, F], kept by reference
     */
    public Dense(String name, Parameter sharedWeight) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sharedWeight, "sharedWeight");
        int[] shape = sharedWeight.shape();
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
            throw new IllegalArgumentException("a shared dense weight must be a [K, F] matrix, got " + sharedWeight);
        }
        this.outputSize = shape[0];
        this.inputSize = shape[1];
        this.weight = sharedWeight;
        this.bias = new Parameter(name.isEmpty() ? "bias" : name + ".bias", outputSize);
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** W [K, F]. */
    public Parameter weight() {
        return weight;
    }

    /** b [K]. */
    public Parameter bias() {
        return bias;
    }

    /** [weight, bias], nn.Linear's state_dict order. */
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    public void zeroGrad() {
        weight.zeroGrad();
        bias.zeroGrad();
    }

    /**
     * @param x [N, F], any view (strided rows are fine); kept by reference for {@link #backward}
     * @return y = x W^T + b, [N, K] over a workspace of exactly N * K floats
     */
    public Matrix forward(Matrix x) {
        Objects.requireNonNull(x, "x");
        if (x.cols() != inputSize) {
            throw new IllegalArgumentException("dense input has " + x.cols() + " columns but the layer reads " + inputSize);
        }
        int n = x.rows();
        if (output.length != n * outputSize) output = new float[n * outputSize];
        float[] b = bias.value();
        for (int row = 0; row < n; row++) System.arraycopy(b, 0, output, row * outputSize, outputSize);
        Matrix y = Matrix.of(output, n, outputSize);
        Gemm.multiply(1f, x, Op.N, weight.matrix(), Op.T, 1f, y);
        input = x;
        return y;
    }

    /**
     * Adds dL/dW = dY^T x and dL/db = column sums of dY to the gradients.
     *
     * @param dY [N, K] dL/dy for the last forward pass
     * @return dL/dx = dY W, [N, F] over a workspace of exactly N * F floats
     */
    public Matrix backward(Matrix dY) {
        Objects.requireNonNull(dY, "dY");
        if (input == null) throw new IllegalStateException("backward needs a forward pass first");
        int n = input.rows();
        if (dY.rows() != n || dY.cols() != outputSize) {
            throw new IllegalArgumentException("dY is " + dY.rows() + "x" + dY.cols() + " but the last forward pass gave "
                    + n + "x" + outputSize);
        }
        if (inputGrad.length != n * inputSize) inputGrad = new float[n * inputSize];
        if (ones.length != n) {
            ones = new float[n];
            Arrays.fill(ones, 1f);
        }
        Gemm.multiply(1f, dY, Op.T, input, Op.N, 1f, weight.gradMatrix());
        Gemm.multiply(1f, Matrix.of(ones, 1, n), Op.N, dY, Op.N, 1f, bias.gradMatrix());
        Matrix dX = Matrix.of(inputGrad, n, inputSize);
        Gemm.multiply(1f, dY, Op.N, weight.matrix(), Op.N, 0f, dX);
        return dX;
    }
}
