package dev.rnn4j.model;

/**
 * Shared helpers of the model tests: dense and embedding forward passes in double. Random data and widening to double
 * are dev.rnn4j.layer.ReferenceFixtures', and the gradient-check recipe is dev.rnn4j.layer.GradientAssertions.
 */
final class ModelTestSupport {
    private ModelTestSupport() {}

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** y [N, K] = x [N, F] W^T + b in double, PyTorch's nn.Linear. */
    static double[] denseForward(double[] x, int n, int f, double[] w, double[] b, int k) {
        double[] y = new double[n * k];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < k; o++) {
                double s = b[o];
                for (int i = 0; i < f; i++) s += x[r * f + i] * w[o * f + i];
                y[r * k + o] = s;
            }
        }
        return y;
    }

    /** rows [N, E] = table[ids[i]] in double, PyTorch's nn.Embedding. */
    static double[] embeddingForward(int[] ids, double[] table, int e) {
        double[] rows = new double[ids.length * e];
        for (int i = 0; i < ids.length; i++) System.arraycopy(table, ids[i] * e, rows, i * e, e);
        return rows;
    }
}
