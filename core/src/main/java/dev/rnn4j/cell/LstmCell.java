package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.rnn4j.tensor.VectorMath.SPECIES;
import static dev.rnn4j.tensor.VectorMath.sigmoid;
import static dev.rnn4j.tensor.VectorMath.sigmoidDerivativeFromOutput;
import static dev.rnn4j.tensor.VectorMath.tanh;
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

    @Override
    public void forwardStep(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, hh = r.hh, bIh = r.bIh, bHh = r.bHh, states = r.states, cells = r.cells;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int hhRow = b * r.gateRows;
            int prev = r.prevStateOffset(t, b);
            int cur = r.stateOffset(t, b);
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector i = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, j, m));
                FloatVector f = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, hidden + j, m));
                FloatVector g = tanh(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, 2 * hidden + j, m));
                FloatVector o = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, 3 * hidden + j, m));
                FloatVector cPrev = FloatVector.fromArray(SPECIES, cells, prev + j, m);
                FloatVector c = f.mul(cPrev).add(i.mul(g));
                FloatVector h = o.mul(tanh(c));
                i.intoArray(cache, row + j, m);
                f.intoArray(cache, row + hidden + j, m);
                g.intoArray(cache, row + 2 * hidden + j, m);
                o.intoArray(cache, row + 3 * hidden + j, m);
                c.intoArray(cells, cur + j, m);
                h.intoArray(states, cur + j, m);
            }
        }
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, cells = r.cells, dGates = r.dGates;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            int prev = r.prevStateOffset(t, b);
            int cur = r.stateOffset(t, b);
            int bh = b * hidden;
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector i = FloatVector.fromArray(SPECIES, cache, row + j, m);
                FloatVector f = FloatVector.fromArray(SPECIES, cache, row + hidden + j, m);
                FloatVector g = FloatVector.fromArray(SPECIES, cache, row + 2 * hidden + j, m);
                FloatVector o = FloatVector.fromArray(SPECIES, cache, row + 3 * hidden + j, m);
                FloatVector cPrev = FloatVector.fromArray(SPECIES, cells, prev + j, m);
                FloatVector tanhC = tanh(FloatVector.fromArray(SPECIES, cells, cur + j, m));
                FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
                FloatVector dc = FloatVector.fromArray(SPECIES, r.dc, bh + j, m)
                        .add(dh.mul(o).mul(tanhDerivativeFromOutput(tanhC)));
                FloatVector di = dc.mul(g).mul(sigmoidDerivativeFromOutput(i));
                FloatVector df = dc.mul(cPrev).mul(sigmoidDerivativeFromOutput(f));
                FloatVector dg = dc.mul(i).mul(tanhDerivativeFromOutput(g));
                FloatVector dO = dh.mul(tanhC).mul(sigmoidDerivativeFromOutput(o));
                di.intoArray(dGates, gradRow + j, m);
                df.intoArray(dGates, gradRow + hidden + j, m);
                dg.intoArray(dGates, gradRow + 2 * hidden + j, m);
                dO.intoArray(dGates, gradRow + 3 * hidden + j, m);
                dc.mul(f).intoArray(r.dcPrev, bh + j, m);
                FloatVector.zero(SPECIES).intoArray(r.dhPrev, bh + j, m);
            }
        }
    }
}
