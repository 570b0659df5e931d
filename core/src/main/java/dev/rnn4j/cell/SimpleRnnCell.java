package dev.rnn4j.cell;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import dev.rnn4j.tensor.VectorMath;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * The simple (Elman) RNN, PyTorch's {@code nn.RNN}:
 * <pre>
 *   h' = act(W_ih x + b_ih + W_hh h + b_hh),   act = tanh (default) or relu
 * </pre>
 * Shapes: x [B, I], h [B, H]; W_ih [H, I], W_hh [H, H]. Backward: d(pre) = dh ⊙ act'(h'), with act' taken
 * from the output (1 - h'² for tanh, [h' &gt; 0] for relu); dh_prev comes only through W_hh. Repeated
 * multiplication by W_hh and act' is why its gradients vanish or explode over long spans.
 */
public final class SimpleRnnCell implements Cell {
    private final Nonlinearity nonlinearity;

    public SimpleRnnCell(Nonlinearity nonlinearity) {
        this.nonlinearity = nonlinearity;
    }

    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    public CellType type() {
        return CellType.RNN;
    }

    @Override
    public int cacheWidth(int hidden) {
        return hidden; // the input projection only: backward reads act' from h' itself
    }

    @Override
    public void forwardStep(Recurrence r, int t) {
        r.forActiveRows(t, forwardRows);
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        r.forActiveRows(t, backwardRows);
    }

    private final RowSplit.RowKernel forwardRows = this::forwardRows;
    private final RowSplit.RowKernel backwardRows = this::backwardRows;

    private void forwardRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            r.completePreActivation(t, b, 0, hidden);
            if (nonlinearity == Nonlinearity.TANH) {
                VectorMath.tanh(r.cache, row, r.states, r.stateOffset(t, b), hidden);
            } else {
                VectorMath.relu(r.cache, row, r.states, r.stateOffset(t, b), hidden);
            }
        }
    }

    private void backwardRows(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        boolean useTanh = nonlinearity == Nonlinearity.TANH;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int gradRow = r.gradOffset(t, b);
            int cur = r.stateOffset(t, b);
            int bh = b * hidden;
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector h = FloatVector.fromArray(SPECIES, r.states, cur + j, m);
                FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
                FloatVector derivative = useTanh ? h.mul(h).neg().add(1f) : FloatVector.zero(SPECIES).blend(1f, h.compare(VectorOperators.GT, 0f));
                dh.mul(derivative).intoArray(r.dGates, gradRow + j, m);
                FloatVector.zero(SPECIES).intoArray(r.dhPrev, bh + j, m);
            }
        }
    }
}
