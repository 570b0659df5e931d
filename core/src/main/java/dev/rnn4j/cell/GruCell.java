package dev.rnn4j.cell;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import dev.rnn4j.tensor.VectorMath;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

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
 *
 * <p>With layer normalisation (Ba et al. 2016) the recurrence normalises W_ih x over its 3H pre-activations and
 * W_hh h likewise, each with its own gain and bias, before b_ih and b_hh are added. Reset-after normalises the
 * whole W_hh h, so a = LN(W_hh h)_n + b_hn is what r multiplies. Reset-before cannot (W_hn (r ⊙ h) needs r, which
 * needs the r and z blocks): it normalises [W_hr h, W_hz h] (2H) and, after the second GEMM, W_hn (r ⊙ h) (H) as two
 * separate rows, with the matching parts of the same gain and bias [3H]. With recurrent dropout the h inside
 * W_hh (and inside r ⊙ h) is h ⊙ m; h in z ⊙ h is the state itself. Zoneout is applied by the recurrence.
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
            r.forActiveRows(t, GruCell::forwardResetAfter);
        } else {
            // r and z first: W_hn multiplies r ⊙ h, so r must be known before the second GEMM
            r.forActiveRows(t, GruCell::resetStatesBefore);
            // hh[:, 2H:3H] = (r ⊙ h) · W_hn^T for all rows (r ⊙ h is the cache's last block); inactive rows are ignored
            r.multiplyUnprojected(t);
            r.forActiveRows(t, GruCell::candidateAndStateBefore);
        }
    }

    @Override
    public void backwardStep(Recurrence r, int t) {
        if (variant == GruVariant.RESET_AFTER) {
            r.forActiveRows(t, GruCell::backwardResetAfter);
        } else {
            backwardResetBefore(r, t);
        }
    }

    private static void forwardResetAfter(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        float[] cache = r.cache, hh = r.hh, bIh = r.bIh, bHh = r.bHh;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int hhRow = b * r.gateRows;
            r.completePreActivation(t, b, 0, 2 * hidden);
            VectorMath.sigmoid(cache, row, cache, row, 2 * hidden); // r, z
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                int nCol = 2 * hidden + j;
                FloatVector reset = FloatVector.fromArray(SPECIES, cache, row + j, m);
                FloatVector a = FloatVector.fromArray(SPECIES, hh, hhRow + nCol, m).add(FloatVector.fromArray(SPECIES, bHh, nCol, m));
                FloatVector.fromArray(SPECIES, cache, row + nCol, m)
                        .add(FloatVector.fromArray(SPECIES, bIh, nCol, m))
                        .add(reset.mul(a))
                        .intoArray(cache, row + nCol, m);
                a.intoArray(cache, row + 3 * hidden + j, m);
            }
            VectorMath.tanh(cache, row + 2 * hidden, cache, row + 2 * hidden, hidden); // n
            blendNewState(r, t, b);
        }
    }

    /** h' = (1 - z) n + z h, from the cached z and n. */
    private static void blendNewState(Recurrence r, int t, int b) {
        int hidden = r.hidden, row = r.cacheOffset(t, b), prev = r.prevStateOffset(t, b), cur = r.stateOffset(t, b);
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector update = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector n = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            FloatVector hPrev = FloatVector.fromArray(SPECIES, r.states, prev + j, m);
            n.add(update.mul(hPrev.sub(n))).intoArray(r.states, cur + j, m);
        }
    }

    private static void backwardResetAfter(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int gradRow = r.gradOffset(t, b);
            candidateAndUpdateGradients(r, row, gradRow, r.prevStateOffset(t, b), b * hidden);
            System.arraycopy(r.dGates, gradRow + hidden, r.dRecurrent, gradRow + hidden, hidden); // dz
            resetGradientsAfter(r, row, gradRow);
        }
    }

    /**
     * dn = dh ⊙ (1-z) ⊙ (1-n²);  dz = dh ⊙ (h - n) ⊙ z(1-z);  dh_prev = dh ⊙ z (the part outside W_hh).
     * Shared by both variants: they differ only in how r enters n.
     */
    private static void candidateAndUpdateGradients(Recurrence r, int row, int gradRow, int prev, int bh) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector update = FloatVector.fromArray(SPECIES, r.cache, row + hidden + j, m);
            FloatVector n = FloatVector.fromArray(SPECIES, r.cache, row + 2 * hidden + j, m);
            FloatVector dh = FloatVector.fromArray(SPECIES, r.dh, bh + j, m);
            FloatVector hPrev = FloatVector.fromArray(SPECIES, r.states, prev + j, m);
            dh.mul(update.neg().add(1f)).mul(n.mul(n).neg().add(1f)).intoArray(r.dGates, gradRow + 2 * hidden + j, m);
            dh.mul(hPrev.sub(n)).mul(update.mul(update.neg().add(1f))).intoArray(r.dGates, gradRow + hidden + j, m);
            dh.mul(update).intoArray(r.dhPrev, bh + j, m);
        }
    }

    /** dr = dn ⊙ a ⊙ r(1-r) with a = W_hn h + b_hn;  dL/d(W_hn h + b_hn) = dn ⊙ r. */
    private static void resetGradientsAfter(Recurrence r, int row, int gradRow) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector reset = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector a = FloatVector.fromArray(SPECIES, r.cache, row + 3 * hidden + j, m);
            FloatVector dn = FloatVector.fromArray(SPECIES, r.dGates, gradRow + 2 * hidden + j, m);
            FloatVector dr = dn.mul(a).mul(reset.mul(reset.neg().add(1f)));
            dr.intoArray(r.dGates, gradRow + j, m);
            dr.intoArray(r.dRecurrent, gradRow + j, m);
            dn.mul(reset).intoArray(r.dRecurrent, gradRow + 2 * hidden + j, m);
        }
    }

    /** Reset-before, first part: r, z = σ(...), and r ⊙ h into the cache's last block, the input of W_hn. */
    private static void resetStatesBefore(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        float[] cache = r.cache, states = r.recurrentInputArray(); // h, or h ⊙ m under recurrent dropout
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            int prev = r.recurrentInputOffset(t, b);
            r.completePreActivation(t, b, 0, 2 * hidden);
            VectorMath.sigmoid(cache, row, cache, row, 2 * hidden); // r, z
            for (int j = 0; j < hidden; j += SPECIES.length()) {
                VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
                FloatVector reset = FloatVector.fromArray(SPECIES, cache, row + j, m);
                reset.mul(FloatVector.fromArray(SPECIES, states, prev + j, m)).intoArray(cache, row + 3 * hidden + j, m);
            }
        }
    }

    /** Reset-before, second part: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn), then h'. */
    private static void candidateAndStateBefore(Recurrence r, int t, int from, int to) {
        int hidden = r.hidden;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            int row = r.cacheOffset(t, b);
            if (r.layerNorm) r.norm.normalizeRecurrent(t, b, 2 * hidden, hidden);
            r.completePreActivation(t, b, 2 * hidden, hidden);
            VectorMath.tanh(r.cache, row + 2 * hidden, r.cache, row + 2 * hidden, hidden); // n
            blendNewState(r, t, b);
        }
    }

    private static void backwardResetBefore(Recurrence r, int t) {
        int hidden = r.hidden;
        r.forActiveRows(t, GruCell::candidateAndUpdateGradientRows);
        if (r.layerNorm) {
            // dL/d(W_hn (r ⊙ h)) through the normalisation of its own segment
            for (int k = 0; k < r.activeCount; k++) {
                int b = r.activeRows[k], at = r.gradOffset(t, b) + 2 * hidden;
                System.arraycopy(r.dGates, at, r.dRecurrent, at, hidden);
                r.norm.normalizeRecurrentBackward(t, b, 2 * hidden, hidden);
            }
        }
        // scratch = d(r ⊙ h) = dn · W_hn for all rows (inactive rows have dn = 0), dn from dRecurrentRaw (dGates
        // without normalisation)
        r.multiplyUnprojectedBackward(t);
        r.forActiveRows(t, GruCell::resetGradientRowsBefore);
    }

    private static void candidateAndUpdateGradientRows(Recurrence r, int t, int from, int to) {
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            candidateAndUpdateGradients(r, r.cacheOffset(t, b), r.gradOffset(t, b), r.prevStateOffset(t, b), b * r.hidden);
        }
    }

    private static void resetGradientRowsBefore(Recurrence r, int t, int from, int to) {
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            if (r.dropout.dropRecurrent) {
                resetGradientsBeforeDropped(r, r.cacheOffset(t, b), r.gradOffset(t, b), r.recurrentInputOffset(t, b), b * r.hidden);
            } else {
                resetGradientsBefore(r, r.cacheOffset(t, b), r.gradOffset(t, b), r.prevStateOffset(t, b), b * r.hidden);
            }
        }
    }

    /**
     * Under recurrent dropout, with h̄ = h ⊙ m the state W_hn saw: dr = d(r⊙h̄) ⊙ h̄ ⊙ r(1-r);
     * dh_prev += d(r⊙h̄) ⊙ r ⊙ m.
     */
    private static void resetGradientsBeforeDropped(Recurrence r, int row, int gradRow, int dropped, int bh) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector reset = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector hDropped = FloatVector.fromArray(SPECIES, r.dropout.droppedStates, dropped + j, m);
            FloatVector dResetState = FloatVector.fromArray(SPECIES, r.scratch, bh + j, m);
            dResetState.mul(hDropped).mul(reset.mul(reset.neg().add(1f))).intoArray(r.dGates, gradRow + j, m);
            FloatVector toPrevious = dResetState.mul(reset).mul(FloatVector.fromArray(SPECIES, r.dropout.recurrentMask, bh + j, m));
            FloatVector.fromArray(SPECIES, r.dhPrev, bh + j, m).add(toPrevious).intoArray(r.dhPrev, bh + j, m);
        }
    }

    /** dr = d(r⊙h) ⊙ h ⊙ r(1-r);  dh_prev += d(r⊙h) ⊙ r, with d(r⊙h) in scratch. */
    private static void resetGradientsBefore(Recurrence r, int row, int gradRow, int prev, int bh) {
        int hidden = r.hidden;
        for (int j = 0; j < hidden; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, hidden);
            FloatVector reset = FloatVector.fromArray(SPECIES, r.cache, row + j, m);
            FloatVector hPrev = FloatVector.fromArray(SPECIES, r.states, prev + j, m);
            FloatVector dResetState = FloatVector.fromArray(SPECIES, r.scratch, bh + j, m);
            dResetState.mul(hPrev).mul(reset.mul(reset.neg().add(1f))).intoArray(r.dGates, gradRow + j, m);
            FloatVector.fromArray(SPECIES, r.dhPrev, bh + j, m).add(dResetState.mul(reset)).intoArray(r.dhPrev, bh + j, m);
        }
    }

    @Override
    public void accumulateExtraWeightGradients(Recurrence r) {
        if (variant == GruVariant.RESET_AFTER) return;
        int hidden = r.hidden, rows = r.steps * r.batch;
        // dW_hn += dn^T · (r ⊙ h) over all steps
        Matrix dn = new Matrix(r.dRecurrentRaw, 2 * hidden, rows, hidden, r.gateRows);
        Matrix resetStates = new Matrix(r.cache, 3 * hidden, rows, hidden, r.cacheWidth);
        Gemm.multiply(1f, dn, Op.T, resetStates, Op.N, 1f, r.recurrentWeightGrads(2 * hidden, hidden));
    }
}
