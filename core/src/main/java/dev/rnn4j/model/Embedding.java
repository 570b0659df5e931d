package dev.rnn4j.model;

import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;

import java.util.List;
import java.util.Objects;

/**
 * A lookup table of learned vectors, PyTorch's {@code nn.Embedding}: token ids [N] become rows [N, E] of the
 * table W [V, E] (row i of the result is row {@code ids[i]} of W).
 *
 * <p>Call order: {@link #forward} then, for training, {@link #backward} once with dL/d rows; each row's gradient
 * is added to the gradient of the table row it came from (so repeated ids accumulate), until {@link #zeroGrad()}.
 * The ids are copied, so the caller may reuse its array. Results live in a workspace owned by this layer,
 * reused while N stays the same.
 */
public final class Embedding {
    private final int vocabulary; // V
    private final int size;       // E
    private final Parameter weight; // [V, E]

    private int count = -1;                // N of the last forward pass
    private int[] ids = new int[0];        // [N] ids of the last forward pass
    private float[] output = new float[0]; // [N, E]

    /**
     * @param name       prefix of the parameter name: {@code name + ".weight"}, or {@code "weight"} when empty
     * @param vocabulary V, the number of ids: valid ids are 0 .. V-1
     * @param size       E, values per embedded id
     */
    public Embedding(String name, int vocabulary, int size) {
        Objects.requireNonNull(name, "name");
        if (vocabulary < 1) throw new IllegalArgumentException("vocabulary must be at least 1, got " + vocabulary);
        if (size < 1) throw new IllegalArgumentException("embedding size must be at least 1, got " + size);
        this.vocabulary = vocabulary;
        this.size = size;
        this.weight = new Parameter(name.isEmpty() ? "weight" : name + ".weight", vocabulary, size);
    }

    public int vocabulary() {
        return vocabulary;
    }

    public int size() {
        return size;
    }

    /** The table W [V, E]. */
    public Parameter weight() {
        return weight;
    }

    public List<Parameter> parameters() {
        return List.of(weight);
    }

    public void zeroGrad() {
        weight.zeroGrad();
    }

    /**
     * @param tokenIds [N] ids, each in 0 .. V-1
     * @return [N, E] the table's rows, over a workspace of exactly N * E floats
     * @throws IllegalArgumentException naming the first position whose id is out of range, and that id
     */
    public Matrix forward(int[] tokenIds) {
        Objects.requireNonNull(tokenIds, "tokenIds");
        int n = tokenIds.length;
        for (int i = 0; i < n; i++) {
            int id = tokenIds[i];
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is out of range: the vocabulary has ids 0.."
                        + (vocabulary - 1));
            }
        }
        if (ids.length != n) ids = new int[n];
        System.arraycopy(tokenIds, 0, ids, 0, n);
        if (output.length != n * size) output = new float[n * size];
        float[] table = weight.value();
        for (int i = 0; i < n; i++) System.arraycopy(table, ids[i] * size, output, i * size, size);
        count = n;
        return Matrix.of(output, n, size);
    }

    /**
     * Scatter-adds dL/d rows into the table's gradient: {@code grad[ids[i]] += dRows[i]}.
     *
     * @param dRows [N, E] for the last forward pass, any view
     */
    public void backward(Matrix dRows) {
        Objects.requireNonNull(dRows, "dRows");
        if (count < 0) throw new IllegalStateException("backward needs a forward pass first");
        if (dRows.rows() != count || dRows.cols() != size) {
            throw new IllegalArgumentException("dRows is " + dRows.rows() + "x" + dRows.cols() + " but the last forward pass gave "
                    + count + "x" + size);
        }
        float[] grad = weight.grad(), d = dRows.data();
        int stride = dRows.stride(), offset = dRows.offset();
        for (int i = 0; i < count; i++) {
            int to = ids[i] * size, from = offset + i * stride;
            for (int j = 0; j < size; j++) grad[to + j] += d[from + j];
        }
    }
}
