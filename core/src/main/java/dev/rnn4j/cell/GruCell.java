package dev.rnn4j.cell;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.rnn4j.tensor.VectorMath.SPECIES;
import static dev.rnn4j.tensor.VectorMath.sigmoid;
import static dev.rnn4j.tensor.VectorMath.sigmoidDerivativeFromOutput;
import static dev.rnn4j.tensor.VectorMath.tanh;
import static dev.rnn4j.tensor.VectorMath.tanhDerivativeFromOutput;

/**
 * Gated recurrent unit (Cho et al. 2014), PyTorch's {@code nn.GRU} by default:
 * <pre>
 *   r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))        reset-after (PyTorch, cuDNN)
 *   n  = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)        reset-before (Cho et al.; option)
 *   h' = (1 - z) ⊙ n + z ⊙ h
 * </pre>
 * Shapes: x [B, I], h [B, H]; W_ih [3H, I] and W_hh [3H, H] stack the blocks in the order r, z, n.
 * The cache row keeps [r, z, n, a] where a = W_hn h + b_hn (reset-after) or a = r ⊙ h (reset-before).
 *
 * <p>Reset-after needs only one recurrent GEMM per step, which is why cuDNN and PyTorch chose it. Reset-before
 * must know r before it can multiply by W_hn, so it runs a second, H-wide GEMM inside the step.
 *
 * <p>Backward, with dh = dL/dh':
 * <pre>
 *   dn = dh ⊙ (1 - z) ⊙ (1 - n²)     dz = dh ⊙ (h - n) ⊙ z(1 - z)     dh_prev = dh ⊙ z + ...
 *   reset-after:  dr = dn ⊙ a ⊙ r(1-r);  dL/d(W_hn h + b_hn) = dn ⊙ r
 *   reset-before: d(r⊙h) = dn · W_hn;  dr = d(r⊙h) ⊙ h ⊙ r(1-r);  dh_prev += d(r⊙h) ⊙ r;  dW_hn += dn^T (r⊙h)
 * </pre>
 */
public final class GruCell implements Cell {
    private final GruVariant variant;

    public GruCell(GruVariant variant) {
        this.variant = variant;
    }

    public GruVariant variant() {
        return variant;
    }

    @Override
    public CellType type() {
        return CellType.GRU;
    }

    @Override
    public int cacheWidth(int hidden) {
        return 4 * hidden;
    }

    @Override
    public int projectedGates() {
        return variant == GruVariant.RESET_AFTER ? 3 : 2;
    }

    @Override
    public boolean separateRecurrentGradient() {
        return variant == GruVariant.RESET_AFTER;
    }

    @Override
    public void forwardStep(Recurrence r, int t) {
        if (variant == GruVariant.RESET_AFTER) {
            forwardResetAfter(r, t);
        } else {
            forwardResetBefore(r, t);
        }
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        if (variant == GruVariant.RESET_AFTER) {
            backwardResetAfter(r, t);
        } else {
            backwardResetBefore(r, t);
        }
    }

    private static void forwardResetAfter(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, hh = r.hh, bIh = r.bIh, bHh = r.bHh, states = r.states;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int hhRow = b * r.gateRows;
            int prev = r.prevStateOffset(t, b);
            int cur = r.stateOffset(t, b);
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                int nCol = 2 * hidden + j;
                FloatVector reset = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, j, m));
                FloatVector update = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, hidden + j, m));
                FloatVector a = FloatVector.fromArray(SPECIES, hh, hhRow + nCol, m).add(FloatVector.fromArray(SPECIES, bHh, nCol, m));
                FloatVector n = tanh(FloatVector.fromArray(SPECIES, cache, row + nCol, m)
                        .add(FloatVector.fromArray(SPECIES, bIh, nCol, m))
                        .add(reset.mul(a)));
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                FloatVector h = n.add(update.mul(hPrev.sub(n))); // (1 - z) n + z h
                reset.intoArray(cache, row + j, m);
                update.intoArray(cache, row + hidden + j, m);
                n.intoArray(cache, row + nCol, m);
                a.intoArray(cache, row + 3 * hidden + j, m);
                h.intoArray(states, cur + j, m);
            }
        }
    }

    private static void backwardResetAfter(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, states = r.states, dGates = r.dGates, dRecurrent = r.dRecurrent;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            int prev = r.prevStateOffset(t, b);
            int bh = b * hidden;
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                int nCol = 2 * hidden + j;
                FloatVector reset = FloatVector.fromArray(SPECIES, cache, row + j, m);
                FloatVector update = FloatVector.fromArray(SPECIES, cache, row + hidden + j, m);
                FloatVector n = FloatVector.fromArray(SPECIES, cache, row + nCol, m);
                FloatVector a = FloatVector.fromArray(SPECIES, cache, row + 3 * hidden + j, m);
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
                FloatVector dn = dh.mul(update.neg().add(1f)).mul(tanhDerivativeFromOutput(n));
                FloatVector dz = dh.mul(hPrev.sub(n)).mul(sigmoidDerivativeFromOutput(update));
                FloatVector dr = dn.mul(a).mul(sigmoidDerivativeFromOutput(reset));
                dr.intoArray(dGates, gradRow + j, m);
                dz.intoArray(dGates, gradRow + hidden + j, m);
                dn.intoArray(dGates, gradRow + nCol, m);
                dr.intoArray(dRecurrent, gradRow + j, m);
                dz.intoArray(dRecurrent, gradRow + hidden + j, m);
                dn.mul(reset).intoArray(dRecurrent, gradRow + nCol, m);
                dh.mul(update).intoArray(r.dhPrev, bh + j, m);
            }
        }
    }

    private static void forwardResetBefore(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, hh = r.hh, bIh = r.bIh, bHh = r.bHh, states = r.states;
        // r and z first: W_hn multiplies r ⊙ h, so r must be known before the second GEMM
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int hhRow = b * r.gateRows;
            int prev = r.prevStateOffset(t, b);
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector reset = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, j, m));
                FloatVector update = sigmoid(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, hidden + j, m));
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                reset.intoArray(cache, row + j, m);
                update.intoArray(cache, row + hidden + j, m);
                reset.mul(hPrev).intoArray(cache, row + 3 * hidden + j, m);
            }
        }
        // hh[:, 2H:3H] = (r ⊙ h) · W_hn^T for all rows; rows that are not active are ignored below
        Matrix resetStates = new Matrix(cache, r.cacheOffset(t, 0) + 3 * hidden, r.batch, hidden, r.cacheWidth);
        Matrix hhN = new Matrix(hh, 2 * hidden, r.batch, hidden, r.gateRows);
        Gemm.multiply(1f, resetStates, Op.N, r.recurrentWeights(2 * hidden, hidden), Op.T, 0f, hhN);
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int hhRow = b * r.gateRows;
            int prev = r.prevStateOffset(t, b);
            int cur = r.stateOffset(t, b);
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                int nCol = 2 * hidden + j;
                FloatVector n = tanh(Recurrence.preActivation(cache, row, hh, hhRow, bIh, bHh, nCol, m));
                FloatVector update = FloatVector.fromArray(SPECIES, cache, row + hidden + j, m);
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                n.intoArray(cache, row + nCol, m);
                n.add(update.mul(hPrev.sub(n))).intoArray(states, cur + j, m);
            }
        }
    }

    private static void backwardResetBefore(Recurrence r, int t) {
        int hidden = r.hidden;
        float[] cache = r.cache, states = r.states, dGates = r.dGates;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            int prev = r.prevStateOffset(t, b);
            int bh = b * hidden;
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                int nCol = 2 * hidden + j;
                FloatVector update = FloatVector.fromArray(SPECIES, cache, row + hidden + j, m);
                FloatVector n = FloatVector.fromArray(SPECIES, cache, row + nCol, m);
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
                FloatVector dn = dh.mul(update.neg().add(1f)).mul(tanhDerivativeFromOutput(n));
                FloatVector dz = dh.mul(hPrev.sub(n)).mul(sigmoidDerivativeFromOutput(update));
                dz.intoArray(dGates, gradRow + hidden + j, m);
                dn.intoArray(dGates, gradRow + nCol, m);
                dh.mul(update).intoArray(r.dhPrev, bh + j, m);
            }
        }
        // d(r ⊙ h) = dn · W_hn for all rows (inactive rows have dn = 0)
        Matrix dn = new Matrix(dGates, r.gradOffset(t, 0) + 2 * hidden, r.batch, hidden, r.gateRows);
        Matrix dResetStates = Matrix.of(r.scratch, r.batch, hidden);
        Gemm.multiply(1f, dn, Op.N, r.recurrentWeights(2 * hidden, hidden), Op.N, 0f, dResetStates);
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            int prev = r.prevStateOffset(t, b);
            int bh = b * hidden;
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector reset = FloatVector.fromArray(SPECIES, cache, row + j, m);
                FloatVector hPrev = FloatVector.fromArray(SPECIES, states, prev + j, m);
                FloatVector dRh = FloatVector.fromArray(SPECIES, r.scratch, bh + j, m);
                dRh.mul(hPrev).mul(sigmoidDerivativeFromOutput(reset)).intoArray(dGates, gradRow + j, m);
                FloatVector.fromArray(SPECIES, r.dhPrev, bh + j, m).add(dRh.mul(reset)).intoArray(r.dhPrev, bh + j, m);
            }
        }
    }

    @Override
    public void accumulateExtraWeightGradients(Recurrence r) {
        if (variant == GruVariant.RESET_AFTER) return;
        int hidden = r.hidden, rows = r.steps * r.batch;
        // dW_hn += dn^T · (r ⊙ h) over all steps
        Matrix dn = new Matrix(r.dGates, 2 * hidden, rows, hidden, r.gateRows);
        Matrix resetStates = new Matrix(r.cache, 3 * hidden, rows, hidden, r.cacheWidth);
        Gemm.multiply(1f, dn, Op.T, resetStates, Op.N, 1f, r.recurrentWeightGrads(2 * hidden, hidden));
    }
}
