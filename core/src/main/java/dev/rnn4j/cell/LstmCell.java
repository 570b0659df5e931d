package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import dev.rnn4j.cell.RowSplit.RowPass;
import dev.rnn4j.tensor.VectorMath;

import java.util.Arrays;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000), exactly
 * PyTorch's {@code nn.LSTM} without peepholes or projection:
 * <pre>
 *   i  = σ(W_ii x + b_ii + W_hi h + b_hi)
 *   f  = σ(W_if x + b_if + W_hf h + b_hf)
 *   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
 *   o  = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * Shapes: x [B, I], h and c [B, H]; W_ih [4H, I] and W_hh [4H, H] stack the gate blocks in the order i, f, g, o.
 * The cache row keeps the activated gates [i, f, g, o] (4H); c is kept by the recurrence.
 *
 * <p>With layer normalisation (LN-LSTM, Ba et al. 2016) the recurrence normalises W_ih x and W_hh h separately, each
 * over its 4H pre-activations with its own gain and bias, before b_ih and b_hh are added, and the output uses the
 * normalised cell: h' = o ⊙ tanh(LN_c(c')), LN_c over the H units with gain γ_c and bias β_c. With zoneout the
 * recurrence then mixes c' and h' with c and h (see {@link Recurrence}); this cell's h' uses the c' it computed.
 *
 * <p>With batch normalisation (BN-LSTM, Cooijmans et al. 2016) W_ih x and W_hh h are normalised over the batch, each
 * with its own gain and no shift, and h' = o ⊙ tanh(BN_c(c')) (see {@link RecurrenceBatchNorm}). BN_c's statistics
 * span the rows, so the step runs in three phases: the gates and c' of every row; BN_c; then each row's h'. Backward
 * mirrors it: do and dL/dBN_c(c') of every row; BN_c's backward into dc'; then each row's gate gradients.
 *
 * <p>Backward, with dh = dL/dh' and dc = dL/dc' from the step above:
 * <pre>
 *   dc' = dc + dh ⊙ o ⊙ (1 - tanh²(c'))
 *   di  = dc' ⊙ g ⊙ i(1-i)      df = dc' ⊙ c ⊙ f(1-f)
 *   dg  = dc' ⊙ i ⊙ (1-g²)      do = dh ⊙ tanh(c') ⊙ o(1-o)
 *   dc_prev = dc' ⊙ f           (dh_prev comes only through W_hh)
 * </pre>
 */
public final class LstmCell implements Cell {

    @Override
    public CellType type() {
        return CellType.LSTM;
    }

    @Override
    public int cacheWidth(int hidden) {
        return 4 * hidden;
    }

    // Each kernel is a sequence of short passes over a row, run through Recurrence.forActiveRows(t, RowPass[]) so
    // that each is compiled on its own: the JIT's first tier runs out of registers on one long vector expression and
    // then never hands the method to the optimising tier, and the optimising tier, given several passes in one unit,
    // runs out of its node budget; both leave the Vector API boxed on the heap (see VectorMath). For the same reason
    // no vector crosses a call: derivatives such as i(1 - i) are written inline.

    /** The pre-activations; i, f = σ; g = tanh; o = σ; c'; h' = o ⊙ tanh(c'): one activation per pass. */
    private static final RowPass[] FORWARD = {LstmCell::preActivations, LstmCell::inputAndForgetGates, LstmCell::candidate,
        LstmCell::outputGate, LstmCell::cell, LstmCell::output};
    /** The same with h' = o ⊙ tanh(LN_c(c')). */
    private static final RowPass[] LAYER_NORM_FORWARD = {LstmCell::preActivations, LstmCell::inputAndForgetGates,
        LstmCell::candidate, LstmCell::outputGate, LstmCell::cell, LstmCell::layerNormOutput};
    /** Batch normalisation's first phase: BN_c's statistics need every row's c' before any h'. */
    private static final RowPass[] GATES_AND_CELL = {LstmCell::preActivations, LstmCell::inputAndForgetGates,
        LstmCell::candidate, LstmCell::outputGate, LstmCell::cell};
    private static final RowPass[] BATCH_NORM_OUTPUT = {LstmCell::batchNormOutput};

    private static final RowPass[] BACKWARD = {LstmCell::outputGateGradient, LstmCell::cellGradientThroughOutput,
        LstmCell::inputAndForgetGradients, LstmCell::candidateAndPreviousCellGradients};
    private static final RowPass[] LAYER_NORM_BACKWARD = {LstmCell::outputGateGradient, LstmCell::cellGradientThroughLayerNorm,
        LstmCell::inputAndForgetGradients, LstmCell::candidateAndPreviousCellGradients};
    /** Batch normalisation's backward phases, before and after BN_c's backward over the rows. */
    private static final RowPass[] BATCH_NORM_OUTPUT_GRADIENTS = {LstmCell::outputGateGradient, LstmCell::batchNormCellGradient};
    private static final RowPass[] GATE_GRADIENTS = {LstmCell::inputAndForgetGradients, LstmCell::candidateAndPreviousCellGradients};

    @Override
    public void forwardStep(Recurrence r, int t) {
        if (r.batchNorm) {
            r.forActiveRows(t, GATES_AND_CELL);
            r.bn.normalizeCell(t);                        // cellTanh = BN_c(c')
            r.forActiveRows(t, BATCH_NORM_OUTPUT);
        } else {
            r.forActiveRows(t, r.layerNorm ? LAYER_NORM_FORWARD : FORWARD);
        }
    }

    /** W_ih x + b_ih + W_hh h + b_hh of row b, in its cache row [i, f, g, o]. */
    private static void preActivations(Recurrence r, int t, int b) {
        r.completePreActivation(t, b, 0, 4 * r.hidden);
    }

    private static void inputAndForgetGates(Recurrence r, int t, int b) {
        int row = r.cacheOffset(t, b);
        VectorMath.sigmoid(r.cache, row, r.cache, row, 2 * r.hidden);
    }

    private static void candidate(Recurrence r, int t, int b) {
        int at = r.cacheOffset(t, b) + 2 * r.hidden;
        VectorMath.tanh(r.cache, at, r.cache, at, r.hidden);
    }

    private static void outputGate(Recurrence r, int t, int b) {
        int at = r.cacheOffset(t, b) + 3 * r.hidden;
        VectorMath.sigmoid(r.cache, at, r.cache, at, r.hidden);
    }

    /** c' = f ⊙ c + i ⊙ g. */
    private static void cell(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), prev = r.prevStateOffset(t, b), cur = r.stateOffset(t, b);
        float[] gates = r.cache, cells = r.cells;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector i = FloatVector.fromArray(SPECIES, gates, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, gates, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, gates, row + 2 * hidden + j, m);
            f.mul(FloatVector.fromArray(SPECIES, cells, prev + j, m)).add(i.mul(g)).intoArray(cells, cur + j, m);
        }
    }

    /** h' = o ⊙ tanh(c'), keeping tanh(c') for backward. */
    private static void output(Recurrence r, int t, int b) {
        int tanhAt = r.cellTanhOffset(t, b);
        VectorMath.tanh(r.cells, r.stateOffset(t, b), r.cellTanh, tanhAt, r.hidden);
        outputFromCellTanh(r, t, b, tanhAt);
    }

    /** h' = o ⊙ tanh(LN_c(c')). */
    private static void layerNormOutput(Recurrence r, int t, int b) {
        int tanhAt = r.cellTanhOffset(t, b);
        r.norm.normalizeCell(t, b, r.cellTanh, tanhAt);                                  // LN_c(c')
        VectorMath.tanh(r.cellTanh, tanhAt, r.cellTanh, tanhAt, r.hidden);
        outputFromCellTanh(r, t, b, tanhAt);
    }

    /** h' = o ⊙ tanh(BN_c(c')), from BN_c(c') in cellTanh, which then keeps the tanh for backward. */
    private static void batchNormOutput(Recurrence r, int t, int b) {
        int tanhAt = r.cellTanhOffset(t, b);
        VectorMath.tanh(r.cellTanh, tanhAt, r.cellTanh, tanhAt, r.hidden);
        outputFromCellTanh(r, t, b, tanhAt);
    }

    private static void outputFromCellTanh(Recurrence r, int t, int b, int tanhAt) {
        int hidden = r.hidden;
        VectorMath.product(r.cache, r.cacheOffset(t, b) + 3 * hidden, r.cellTanh, tanhAt, r.states, r.stateOffset(t, b), hidden);
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        if (r.batchNorm) {
            r.forActiveRows(t, BATCH_NORM_OUTPUT_GRADIENTS); // do, and dL/dBN_c(c') of every row
            r.bn.normalizeCellBackward(t);                    // dc' += dL/dc' through BN_c, over the rows
            r.forActiveRows(t, GATE_GRADIENTS);               // di, df, dg, dc_prev
        } else {
            r.forActiveRows(t, r.layerNorm ? LAYER_NORM_BACKWARD : BACKWARD);
        }
    }

    /** do = dh ⊙ tanh(c') ⊙ o(1-o), with tanh(LN_c(c')) (tanh(BN_c(c'))) for tanh(c') under normalisation. */
    private static void outputGateGradient(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), gradRow = r.gradOffset(t, b), bh = b * hidden, tanhAt = r.cellTanhOffset(t, b);
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector o = FloatVector.fromArray(SPECIES, r.cache, row + 3 * hidden + j, m);
            FloatVector tanhC = FloatVector.fromArray(SPECIES, r.cellTanh, tanhAt + j, m);
            FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
            dh.mul(tanhC).mul(o.mul(o.neg().add(1f))).intoArray(r.dGates, gradRow + 3 * hidden + j, m);
        }
    }

    /** dc' = dc + dL/dc' through h'. */
    private static void cellGradientThroughOutput(Recurrence r, int t, int b) {
        addGradientThroughOutput(r, t, b, r.dc);
    }

    /** dL/d LN_c(c') through h', then LN_c's backward adds dL/dc' into dc. */
    private static void cellGradientThroughLayerNorm(Recurrence r, int t, int b) {
        int bh = b * r.hidden;
        Arrays.fill(r.norm.lnGrad, bh, bh + r.hidden, 0f);
        addGradientThroughOutput(r, t, b, r.norm.lnGrad);
        r.norm.normalizeCellBackward(t, b);
    }

    /** dL/dBN_c(c') through h', for BN_c's backward over the rows. */
    private static void batchNormCellGradient(Recurrence r, int t, int b) {
        int bh = b * r.hidden;
        Arrays.fill(r.bn.cellGrad, bh, bh + r.hidden, 0f);
        addGradientThroughOutput(r, t, b, r.bn.cellGrad);
    }

    /**
     * dst += dh ⊙ o ⊙ (1 - tanh²(x)), the gradient that reaches x = c' (or LN_c(c'), BN_c(c')) through
     * h' = o ⊙ tanh(x); dst is row b of dc, or of lnGrad (cellGrad) under layer (batch) normalisation.
     */
    private static void addGradientThroughOutput(Recurrence r, int t, int b, float[] dst) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), bh = b * hidden, tanhAt = r.cellTanhOffset(t, b);
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector o = FloatVector.fromArray(SPECIES, r.cache, row + 3 * hidden + j, m);
            FloatVector tanhC = FloatVector.fromArray(SPECIES, r.cellTanh, tanhAt + j, m);
            FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
            FloatVector.fromArray(SPECIES, dst, bh + j, m).add(dh.mul(o).mul(tanhC.mul(tanhC).neg().add(1f))).intoArray(dst, bh + j, m);
        }
    }

    /** di = dc' ⊙ g ⊙ i(1-i);  df = dc' ⊙ c ⊙ f(1-f). */
    private static void inputAndForgetGradients(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), gradRow = r.gradOffset(t, b), prev = r.prevStateOffset(t, b), bh = b * hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector dc = FloatVector.fromArray(SPECIES, r.dc, bh + j, m);
            FloatVector i = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            dc.mul(g).mul(i.mul(i.neg().add(1f))).intoArray(r.dGates, gradRow + j, m);
            dc.mul(FloatVector.fromArray(SPECIES, r.cells, prev + j, m)).mul(f.mul(f.neg().add(1f)))
                    .intoArray(r.dGates, gradRow + hidden + j, m);
        }
    }

    /** dg = dc' ⊙ i ⊙ (1-g²);  dc_prev = dc' ⊙ f;  dh_prev gets nothing outside W_hh. */
    private static void candidateAndPreviousCellGradients(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), gradRow = r.gradOffset(t, b), bh = b * hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector dc = FloatVector.fromArray(SPECIES, r.dc, bh + j, m);
            FloatVector i = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            dc.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(r.dGates, gradRow + 2 * hidden + j, m);
            dc.mul(f).intoArray(r.dcPrev, bh + j, m);
            FloatVector.zero(SPECIES).intoArray(r.dhPrev, bh + j, m);
        }
    }
}
