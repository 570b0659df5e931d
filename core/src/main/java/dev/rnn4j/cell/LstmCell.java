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
        r.forActiveRows(t, LstmCell::forwardRows);
    }

    private static void forwardRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        float[] cache = r.cache;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int cur = r.stateOffset(t, b);
            r.completePreActivation(t, b, 0, 4 * hidden);
            VectorMath.sigmoid(cache, row, cache, row, 2 * hidden);                       // i, f
            VectorMath.tanh(cache, row + 2 * hidden, cache, row + 2 * hidden, hidden);     // g
            VectorMath.sigmoid(cache, row + 3 * hidden, cache, row + 3 * hidden, hidden);  // o
            updateCell(cache, row, r.cells, r.prevStateOffset(t, b), cur, hidden);
            int tanhAt = r.cellTanhOffset(t, b);
            if (r.layerNorm) {
                r.norm.normalizeCell(t, b, r.cellTanh, tanhAt);                                // LN_c(c')
                VectorMath.tanh(r.cellTanh, tanhAt, r.cellTanh, tanhAt, hidden);
            } else {
                VectorMath.tanh(r.cells, cur, r.cellTanh, tanhAt, hidden);
            }
            VectorMath.product(cache, row + 3 * hidden, r.cellTanh, tanhAt, r.states, cur, hidden); // h' = o ⊙ tanh(c')
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
        r.forActiveRows(t, LstmCell::backwardRows);
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
     * dst is row b of dc, or of lnGrad under layer normalisation.
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
