package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import dev.rnn4j.tensor.VectorMath;

import java.util.Arrays;

import static dev.rnn4j.tensor.VectorMath.SPECIES;
import static dev.rnn4j.tensor.VectorMath.sigmoidDerivativeFromOutput;
import static dev.rnn4j.tensor.VectorMath.tanhDerivativeFromOutput;

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

    // Each kernel is split into short passes over a row, each in its own small method: the JIT's first tier
    // runs out of registers on one long vector expression and then never hands the method to the optimising
    // tier, which leaves the Vector API boxed on the heap.

    @Override
    public void forwardStep(Recurrence r, int t) {
        if (r.batchNorm) {
            r.forActiveRows(t, LstmCell::gatesAndCellRows); // BN_c's statistics need every row's c' first
            r.bn.normalizeCell(t);                           // cellTanh = BN_c(c')
            r.forActiveRows(t, LstmCell::normalizedOutputRows);
            return;
        }
        r.forActiveRows(t, LstmCell::forwardRows);
    }

    private static void forwardRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int cur = r.stateOffset(t, b);
            gatesAndCell(r, t, b);
            int tanhAt = r.cellTanhOffset(t, b);
            if (r.layerNorm) {
                r.norm.normalizeCell(t, b, r.cellTanh, tanhAt);                                // LN_c(c')
                VectorMath.tanh(r.cellTanh, tanhAt, r.cellTanh, tanhAt, hidden);
            } else {
                VectorMath.tanh(r.cells, cur, r.cellTanh, tanhAt, hidden);
            }
            VectorMath.product(r.cache, r.cacheOffset(t, b) + 3 * hidden, r.cellTanh, tanhAt, r.states, cur, hidden); // h' = o ⊙ tanh(c')
        }
    }

    /** The gates i, f, g, o of row b, in its cache row, and c' = f ⊙ c + i ⊙ g. */
    private static void gatesAndCell(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b);
        float[] cache = r.cache;
        r.completePreActivation(t, b, 0, 4 * hidden);
        VectorMath.sigmoid(cache, row, cache, row, 2 * hidden);                       // i, f
        VectorMath.tanh(cache, row + 2 * hidden, cache, row + 2 * hidden, hidden);     // g
        VectorMath.sigmoid(cache, row + 3 * hidden, cache, row + 3 * hidden, hidden);  // o
        updateCell(cache, row, r.cells, r.prevStateOffset(t, b), r.stateOffset(t, b), hidden);
    }

    private static void gatesAndCellRows(Recurrence r, int t, int from, int to) {
        for (int k = from; k < to; k++) gatesAndCell(r, t, r.activeRows[k]);
    }

    /** h' = o ⊙ tanh(BN_c(c')), from BN_c(c') in cellTanh, which then keeps the tanh for backward. */
    private static void normalizedOutputRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k], tanhAt = r.cellTanhOffset(t, b);
            VectorMath.tanh(r.cellTanh, tanhAt, r.cellTanh, tanhAt, hidden);
            VectorMath.product(r.cache, r.cacheOffset(t, b) + 3 * hidden, r.cellTanh, tanhAt, r.states, r.stateOffset(t, b), hidden);
        }
    }

    /** c' = f ⊙ c + i ⊙ g. */
    private static void updateCell(float[] gates, int row, float[] cells, int prev, int cur, int hidden) {
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector i = FloatVector.fromArray(SPECIES, gates, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, gates, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, gates, row + 2 * hidden + j, m);
            f.mul(FloatVector.fromArray(SPECIES, cells, prev + j, m)).add(i.mul(g)).intoArray(cells, cur + j, m);
        }
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        if (r.batchNorm) {
            r.forActiveRows(t, LstmCell::outputGradientRows); // do, and dL/dBN_c(c') of every row
            r.bn.normalizeCellBackward(t);                    // dc' += dL/dc' through BN_c, over the rows
            r.forActiveRows(t, LstmCell::gateGradientRows);   // di, df, dg, dc_prev
            return;
        }
        r.forActiveRows(t, LstmCell::backwardRows);
    }

    private static void outputGradientRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k], bh = b * hidden, row = r.cacheOffset(t, b), tanhAt = r.cellTanhOffset(t, b);
            outputGateGradient(r, row, r.gradOffset(t, b), bh, tanhAt);
            Arrays.fill(r.bn.cellGrad, bh, bh + hidden, 0f);
            addGradientThroughOutput(r, row, bh, tanhAt, r.bn.cellGrad); // dL/dBN_c(c')
        }
    }

    private static void gateGradientRows(Recurrence r, int t, int from, int to) {
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k], row = r.cacheOffset(t, b), gradRow = r.gradOffset(t, b), bh = b * r.hidden;
            inputAndForgetGradients(r, row, gradRow, r.prevStateOffset(t, b), bh);
            candidateAndPreviousCellGradients(r, row, gradRow, bh);
        }
    }

    private static void backwardRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            int bh = b * hidden;
            int tanhAt = r.cellTanhOffset(t, b); // tanh(c') as the forward step computed it
            outputGateGradient(r, row, gradRow, bh, tanhAt);
            if (r.layerNorm) {
                Arrays.fill(r.norm.lnGrad, bh, bh + hidden, 0f);
                addGradientThroughOutput(r, row, bh, tanhAt, r.norm.lnGrad); // dL/d LN_c(c')
                r.norm.normalizeCellBackward(t, b);                          // adds dL/dc' through LN_c into dc
            } else {
                addGradientThroughOutput(r, row, bh, tanhAt, r.dc);     // dc' = dc + dL/dc' through h'
            }
            inputAndForgetGradients(r, row, gradRow, r.prevStateOffset(t, b), bh);
            candidateAndPreviousCellGradients(r, row, gradRow, bh);
        }
    }

    /** do = dh ⊙ tanh(c') ⊙ o(1-o), with tanh(LN_c(c')) for tanh(c') under layer normalisation. */
    private static void outputGateGradient(Recurrence r, int row, int gradRow, int bh, int tanhAt) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector o = FloatVector.fromArray(SPECIES, r.cache, row + 3 * hidden + j, m);
            FloatVector tanhC = FloatVector.fromArray(SPECIES, r.cellTanh, tanhAt + j, m);
            FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
            dh.mul(tanhC).mul(sigmoidDerivativeFromOutput(o)).intoArray(r.dGates, gradRow + 3 * hidden + j, m);
        }
    }

    /**
     * dst += dh ⊙ o ⊙ (1 - tanh²(x)), the gradient that reaches x = c' (or LN_c(c')) through h' = o ⊙ tanh(x);
     * dst is row b of dc, or of lnGrad (cellGrad) under layer (batch) normalisation.
     */
    private static void addGradientThroughOutput(Recurrence r, int row, int bh, int tanhAt, float[] dst) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector o = FloatVector.fromArray(SPECIES, r.cache, row + 3 * hidden + j, m);
            FloatVector tanhC = FloatVector.fromArray(SPECIES, r.cellTanh, tanhAt + j, m);
            FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
            FloatVector.fromArray(SPECIES, dst, bh + j, m).add(dh.mul(o).mul(tanhDerivativeFromOutput(tanhC))).intoArray(dst, bh + j, m);
        }
    }

    /** di = dc' ⊙ g ⊙ i(1-i);  df = dc' ⊙ c ⊙ f(1-f). */
    private static void inputAndForgetGradients(Recurrence r, int row, int gradRow, int prev, int bh) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector dc = FloatVector.fromArray(SPECIES, r.dc, bh + j, m);
            FloatVector i = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            dc.mul(g).mul(sigmoidDerivativeFromOutput(i)).intoArray(r.dGates, gradRow + j, m);
            dc.mul(FloatVector.fromArray(SPECIES, r.cells, prev + j, m)).mul(sigmoidDerivativeFromOutput(f))
                    .intoArray(r.dGates, gradRow + hidden + j, m);
        }
    }

    /** dg = dc' ⊙ i ⊙ (1-g²);  dc_prev = dc' ⊙ f;  dh_prev gets nothing outside W_hh. */
    private static void candidateAndPreviousCellGradients(Recurrence r, int row, int gradRow, int bh) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector dc = FloatVector.fromArray(SPECIES, r.dc, bh + j, m);
            FloatVector i = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector f = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector g = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            dc.mul(i).mul(tanhDerivativeFromOutput(g)).intoArray(r.dGates, gradRow + 2 * hidden + j, m);
            dc.mul(f).intoArray(r.dcPrev, bh + j, m);
            FloatVector.zero(SPECIES).intoArray(r.dhPrev, bh + j, m);
        }
    }
}
