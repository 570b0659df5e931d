package dev.rnn4j.tensor;

/**
 * A row-major view of a matrix inside a flat {@code float[]}: element (r, c) is
 * {@code data[offset + r * stride + c]}. Views are cheap records; kernels never copy them.
 */
public record Matrix(float[] data, int offset, int rows, int cols, int stride) {

    public Matrix {
        if (rows < 0 || cols < 0 || offset < 0 || stride < cols) {
            throw new IllegalArgumentException("bad view: offset " + offset + ", " + rows + "x" + cols + ", stride " + stride);
        }
        if (rows > 0 && cols > 0 && (long) offset + (long) (rows - 1) * stride + cols > data.length) {
            throw new IllegalArgumentException("view " + rows + "x" + cols + " at offset " + offset + " (stride " + stride
                    + ") runs past the array of length " + data.length);
        }
    }

    /** The whole array as a dense {@code rows x cols} matrix. */
    public static Matrix of(float[] data, int rows, int cols) {
        return new Matrix(data, 0, rows, cols, cols);
    }

    /** A dense {@code rows x cols} matrix starting at {@code offset}. */
    public static Matrix of(float[] data, int offset, int rows, int cols) {
        return new Matrix(data, offset, rows, cols, cols);
    }

    /** Rows {@code [from, from + count)} of this view. */
    public Matrix rows(int from, int count) {
        return new Matrix(data, offset + from * stride, count, cols, stride);
    }

    /** Columns {@code [from, from + count)} of this view. */
    public Matrix cols(int from, int count) {
        return new Matrix(data, offset + from, rows, count, stride);
    }

    public float get(int r, int c) {
        return data[offset + r * stride + c];
    }

    public void set(int r, int c, float v) {
        data[offset + r * stride + c] = v;
    }
}
