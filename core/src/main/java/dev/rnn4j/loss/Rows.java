package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

import java.util.Arrays;

/** Shape checks and helpers shared by the losses. */
final class Rows {
    private Rows() {}

    /** Checks the gradient's shape against the prediction's, and the mask's and class ids' lengths against N. */
    static void checkShapes(Loss loss, Matrix prediction, Targets targets, Matrix gradient) {
        String name = loss.getClass().getSimpleName();
        if (prediction == null) throw new IllegalArgumentException(name + ": prediction is null");
        if (targets == null) throw new IllegalArgumentException(name + ": targets is null");
        int n = prediction.rows();
        if (gradient != null && (gradient.rows() != n || gradient.cols() != prediction.cols())) {
            throw new IllegalArgumentException(name + ": the gradient is " + gradient.rows() + " x " + gradient.cols()
                    + " but the prediction is " + n + " x " + prediction.cols());
        }
        if (targets.rowMask() != null && targets.rowMask().length != n) {
            throw new IllegalArgumentException(name + ": the row mask has " + targets.rowMask().length
                    + " entries but the prediction has " + n + " rows");
        }
        if (targets.classes() != null && targets.classes().length != n) {
            throw new IllegalArgumentException(name + ": Targets.classes has " + targets.classes().length
                    + " entries but the prediction has " + n + " rows");
        }
    }

    static void fillZero(Matrix m) {
        if (m == null) return;
        for (int r = 0; r < m.rows(); r++) {
            int base = m.offset() + r * m.stride();
            Arrays.fill(m.data(), base, base + m.cols(), 0f);
        }
    }
}
