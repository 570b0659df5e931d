package dev.rnn4j.tensor;

/** Whether a GEMM operand is used as stored ({@link #N}) or transposed ({@link #T}), as in BLAS. */
public enum Op {
    N, T;

    /** Rows of op(m). */
    int rows(Matrix m) {
        return this == N ? m.rows() : m.cols();
    }

    /** Columns of op(m). */
    int cols(Matrix m) {
        return this == N ? m.cols() : m.rows();
    }
}
