package dev.rnn4j.cell;

import dev.rnn4j.tensor.Parameter;

import java.util.Arrays;

/**
 * The layer normalisation (Ba et al. 2016) of one {@link Recurrence}: W_ih x is normalised row by row after the
 * projection GEMM, W_hh h row by row after each recurrent GEMM, each over the cell's gate pre-activations, before
 * the biases are added; the LSTM also normalises c before its output tanh. Fixed at construction; the recurrence
 * holds one only when its layer has layer normalisation.
 */
final class RecurrenceLayerNorm {
    private final Recurrence r;
    final Normalization.Layer layerNormParameters;
    final float[] lnIhGain, lnIhBias, lnHhGain, lnHhBias; // [G*H] values
    final float[] lnCellGain, lnCellBias;              // [H] values (LSTM), or null
    float[] lnIh = new float[0];       // [T, B, G*H] x̂ of W_ih x
    float[] lnIhRstd = new float[0];   // [T, B] 1 / sqrt(σ² + ε) of each row of W_ih x
    float[] lnHh = new float[0];       // [T, B, G*H] x̂ of W_hh h (the reset-before GRU normalises [0, 2H) and [2H, 3H) apart)
    float[] lnHhRstd = new float[0];   // [T, B, 2] per segment of W_hh h
    float[] lnCell = new float[0];     // [T, B, H] x̂ of the LSTM's new cell value
    float[] lnCellRstd = new float[0]; // [T, B]
    float[] lnGrad = new float[0];     // [B, H] dL/d LN(c) (LSTM)
    private final float[] lnPartials = new float[LayerNorm.PARTIALS]; // scratch of the row reductions

    /**
     * @throws IllegalArgumentException for layer normalisation of the simple RNN, or parameters of the wrong shape
     */
    RecurrenceLayerNorm(Recurrence r, Normalization.Layer layerNorm) {
        this.r = r;
        this.layerNormParameters = layerNorm;
        if (r.cell.type() == CellType.RNN) {
            throw new IllegalArgumentException("layer normalisation is implemented for the LSTM and the GRU, not the simple RNN");
        }
        boolean lstm = r.cell.type() == CellType.LSTM;
        checkSize(layerNorm.ihWeight(), r.gateRows);
        checkSize(layerNorm.ihBias(), r.gateRows);
        checkSize(layerNorm.hhWeight(), r.gateRows);
        checkSize(layerNorm.hhBias(), r.gateRows);
        if (lstm) {
            checkSize(layerNorm.cellWeight(), r.hidden);
            checkSize(layerNorm.cellBias(), r.hidden);
        }
        lnIhGain = layerNorm.ihWeight().value();
        lnIhBias = layerNorm.ihBias().value();
        lnHhGain = layerNorm.hhWeight().value();
        lnHhBias = layerNorm.hhBias().value();
        lnCellGain = lstm ? layerNorm.cellWeight().value() : null;
        lnCellBias = lstm ? layerNorm.cellBias().value() : null;
    }

    private static void checkSize(Parameter p, int size) {
        if (p == null) throw new IllegalArgumentException("layer normalisation needs every gain and bias, one is missing");
        if (p.size() != size) throw new IllegalArgumentException(p + " must have " + size + " values, has " + p.size());
    }

    /** Sizes the buffers for t steps of b rows; allocates only when they must grow. */
    void ensureWorkspace(int t, int b) {
        int rows = t * b, gateRows = r.gateRows, hidden = r.hidden;
        if (lnIh.length < rows * gateRows) {
            lnIh = new float[rows * gateRows];
            lnIhRstd = new float[rows];
            lnHh = new float[rows * gateRows];
            lnHhRstd = new float[2 * rows];
            if (r.cell.type().hasCellState()) {
                lnCell = new float[rows * hidden];
                lnCellRstd = new float[rows];
            }
        }
        if (lnGrad.length < b * hidden) lnGrad = new float[b * hidden];
    }

    /** LN of W_ih x, in place in the cache, for every row that has its step (rows past a length are never read). */
    void normalizeInputProjections() {
        for (int t = 0; t < r.steps; t++) {
            for (int b = 0; b < r.batch; b++) {
                if (!r.isActive(t, b)) continue;
                int row = t * r.batch + b;
                lnIhRstd[row] = LayerNorm.forward(r.cache, r.cacheOffset(t, b), r.cache, r.cacheOffset(t, b), r.gateRows, lnIhGain,
                        lnIhBias, 0, lnIh, row * r.gateRows, lnPartials);
            }
        }
    }

    /**
     * LN of W_hh h, columns [col, col + count) of row b of step t, in place in {@link Recurrence#hh}; a segment of
     * its own (the reset-before GRU normalises [0, 2H) and, after its second GEMM, [2H, 3H)).
     */
    void normalizeRecurrent(int t, int b, int col, int count) {
        int row = t * r.batch + b, gateRows = r.gateRows;
        lnHhRstd[2 * row + (col == 0 ? 0 : 1)] = LayerNorm.forward(r.hh, b * gateRows + col, r.hh, b * gateRows + col, count,
                lnHhGain, lnHhBias, col, lnHh, row * gateRows + col, lnPartials);
    }

    /** dRecurrentRaw = LN backward of dRecurrent over columns [col, col + count) of row b of step t. */
    void normalizeRecurrentBackward(int t, int b, int col, int count) {
        int row = t * r.batch + b, gateRows = r.gateRows;
        LayerNorm.backward(r.dRecurrent, row * gateRows + col, count, lnHhGain, col, lnHh, row * gateRows + col,
                lnHhRstd[2 * row + (col == 0 ? 0 : 1)], r.dRecurrentRaw, row * gateRows + col, false, lnPartials);
    }

    /** LSTM: LN(c̃_t) of row b of step t, from the cell states into {@code dst[dstOff..]}. */
    void normalizeCell(int t, int b, float[] dst, int dstOff) {
        int row = t * r.batch + b;
        lnCellRstd[row] = LayerNorm.forward(r.cells, r.stateOffset(t, b), dst, dstOff, r.hidden, lnCellGain, lnCellBias, 0,
                lnCell, row * r.hidden, lnPartials);
    }

    /** LSTM: given dL/d LN(c̃_t) in {@link #lnGrad}, accumulates dγ_c, dβ_c and adds dL/dc̃_t to {@link Recurrence#dc}. */
    void normalizeCellBackward(int t, int b) {
        int hidden = r.hidden, row = t * r.batch + b, bh = b * hidden;
        LayerNorm.accumulateParameterGradients(lnGrad, bh, lnCell, row * hidden, hidden,
                layerNormParameters.cellWeight().grad(), layerNormParameters.cellBias().grad(), 0);
        LayerNorm.backward(lnGrad, bh, hidden, lnCellGain, 0, lnCell, row * hidden, lnCellRstd[row], r.dc, bh, true, lnPartials);
    }

    /**
     * After a cell's backward step: dRecurrent (dL/d(LN(W_hh h) + b_hh)) of the projected columns, which the LSTM
     * and the reset-before GRU leave equal to dGates, through the normalisation into dRecurrentRaw, for the active
     * rows.
     */
    void recurrentNormBackward(int t) {
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            if (!r.cell.separateRecurrentGradient()) System.arraycopy(r.dGates, r.gradOffset(t, b), r.dRecurrent, r.gradOffset(t, b), r.projectedRows);
            normalizeRecurrentBackward(t, b, 0, r.projectedRows);
        }
    }

    /**
     * After the backward loop: dGatesRaw = LN backward of dGates (zero on rows past a length), and the gains' and
     * biases' gradients of both normalisations, rows in (t, b) order.
     */
    void normBackwardAfterLoop() {
        Normalization.Layer p = layerNormParameters;
        float[] ihGain = p.ihWeight().grad(), ihBias = p.ihBias().grad(), hhGain = p.hhWeight().grad(), hhBias = p.hhBias().grad();
        int gateRows = r.gateRows;
        for (int t = 0; t < r.steps; t++) {
            for (int b = 0; b < r.batch; b++) {
                int row = t * r.batch + b, at = row * gateRows;
                if (!r.isActive(t, b)) {
                    Arrays.fill(r.dGatesRaw, at, at + gateRows, 0f);
                    continue;
                }
                LayerNorm.backward(r.dGates, at, gateRows, lnIhGain, 0, lnIh, at, lnIhRstd[row], r.dGatesRaw, at, false, lnPartials);
                LayerNorm.accumulateParameterGradients(r.dGates, at, lnIh, at, gateRows, ihGain, ihBias, 0);
                LayerNorm.accumulateParameterGradients(r.dRecurrent, at, lnHh, at, gateRows, hhGain, hhBias, 0);
            }
        }
    }
}
