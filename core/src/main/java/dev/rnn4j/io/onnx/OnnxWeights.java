package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.RecurrentConfig;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One layer's weights in ONNX's layout and gate order, from and to PyTorch's (which rnn4j's parameters follow).
 * ONNX W [D, G*H, I], R [D, G*H, H] and B [D, 2*G*H] stack the directions; each holds the gate blocks in ONNX's order:
 * LSTM i, o, f, c (PyTorch i, f, g, o: blocks 0, 3, 1, 2), GRU z, r, h (PyTorch r, z, n: blocks 1, 0, 2), RNN its one
 * block. B is the permuted bias_ih followed by the permuted bias_hh.
 */
final class OnnxWeights {
    private OnnxWeights() {}

    /** ONNX's W, R and B (null without biases) of one layer, with their dims. */
    record Layer(float[] w, long[] wDims, float[] r, long[] rDims, float[] b, long[] bDims) {}

    /** The ONNX operator of a cell: LSTM, GRU, RNN. */
    static String opType(CellType cell) {
        return switch (cell) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN -> "RNN";
        };
    }

    /** ONNX gate block j is PyTorch's block {@code order[j]}. */
    static int[] onnxOrder(CellType cell) {
        return switch (cell) {
            case LSTM -> new int[] {0, 3, 1, 2};
            case GRU -> new int[] {1, 0, 2};
            case RNN -> new int[] {0};
        };
    }

    /** Layer {@code layer}'s weights in ONNX's layout; {@code parameter} gives a PyTorch-named parameter's values. */
    static Layer toOnnx(RecurrentConfig c, int layer, Function<String, float[]> parameter) {
        int d = c.directions(), rows = c.gateRows(), in = c.layerInputSize(layer), h = c.hiddenSize();
        int[] order = onnxOrder(c.cellType());
        float[] w = new float[d * rows * in], r = new float[d * rows * h], b = c.bias() ? new float[d * 2 * rows] : null;
        for (int dir = 0; dir < d; dir++) {
            String s = RecurrentConfig.suffix(layer, dir);
            permute(parameter.apply("weight_ih" + s), 0, w, dir * rows * in, order, h * in, false);
            permute(parameter.apply("weight_hh" + s), 0, r, dir * rows * h, order, h * h, false);
            if (b != null) {
                permute(parameter.apply("bias_ih" + s), 0, b, dir * 2 * rows, order, h, false);
                permute(parameter.apply("bias_hh" + s), 0, b, dir * 2 * rows + rows, order, h, false);
            }
        }
        return new Layer(w, new long[] {d, rows, in}, r, new long[] {d, rows, h}, b, new long[] {d, 2L * rows});
    }

    /**
     * The inverse of {@link #toOnnx}: hands each PyTorch-named parameter of the layer to {@code set}. The arrays must
     * have the sizes of {@link #toOnnx}'s dims; {@code b} is null for a layer without biases.
     */
    static void fromOnnx(RecurrentConfig c, int layer, float[] w, float[] r, float[] b, BiConsumer<String, float[]> set) {
        int rows = c.gateRows(), in = c.layerInputSize(layer), h = c.hiddenSize();
        int[] order = onnxOrder(c.cellType());
        for (int dir = 0; dir < c.directions(); dir++) {
            String s = RecurrentConfig.suffix(layer, dir);
            set.accept("weight_ih" + s, permute(w, dir * rows * in, new float[rows * in], 0, order, h * in, true));
            set.accept("weight_hh" + s, permute(r, dir * rows * h, new float[rows * h], 0, order, h * h, true));
            if (b != null) {
                set.accept("bias_ih" + s, permute(b, dir * 2 * rows, new float[rows], 0, order, h, true));
                set.accept("bias_hh" + s, permute(b, dir * 2 * rows + rows, new float[rows], 0, order, h, true));
            }
        }
    }

    /**
     * Copies gate blocks of {@code block} values each: to ONNX order (block j of the target from block order[j] of the
     * source) or, {@code inverse}, back (block order[j] of the target from block j of the source).
     */
    private static float[] permute(float[] from, int fromOffset, float[] to, int toOffset, int[] order, int block, boolean inverse) {
        for (int j = 0; j < order.length; j++) {
            int source = inverse ? j : order[j];
            int target = inverse ? order[j] : j;
            System.arraycopy(from, fromOffset + source * block, to, toOffset + target * block, block);
        }
        return to;
    }
}
