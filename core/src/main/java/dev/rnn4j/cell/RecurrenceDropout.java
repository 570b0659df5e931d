package dev.rnn4j.cell;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import dev.rnn4j.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.Arrays;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * The regularisers of one {@link Recurrence} that draw masks (all off by default, and then none of their code runs):
 * <ul>
 *   <li>Variational recurrent dropout: h_{t-1} ⊙ m, one mask [B, H] per pass, is what W_hh multiplies; the masked
 *       states of all steps are kept, so dW_hh stays one GEMM.</li>
 *   <li>Zoneout: after the cell step, h_t = m ⊙ h_{t-1} + (1 - m) ⊙ h̃_t (and c for the LSTM) with a fresh mask
 *       [T, B, H] per pass in training, m = p at inference.</li>
 * </ul>
 * Masks are drawn from the key given to {@link #setTraining} by {@link DropoutMasks}, all at the start of the
 * forward pass; the backward pass uses the masks and mode of the last forward pass.
 */
final class RecurrenceDropout {
    static final int ZONEOUT_OFF = 0, ZONEOUT_MASK = 1, ZONEOUT_EXPECTATION = 2;
    /** Sub-streams of the mask key of a pass. */
    private static final int STREAM_RECURRENT = 0, STREAM_ZONEOUT_HIDDEN = 1, STREAM_ZONEOUT_CELL = 2;

    private final Recurrence r;
    private float recurrentDropout, zoneoutHidden, zoneoutCell;
    private boolean training;
    private long maskKey;
    private long[] maskRows; // [B] the sequences' ids that key their masks (DropoutMasks.fillRows), or null for row positions
    // how the last forward pass ran (the backward pass follows it)
    boolean dropRecurrent;  // W_hh multiplied h_{t-1} ⊙ recurrentMask
    int zoneHidden = ZONEOUT_OFF, zoneCell = ZONEOUT_OFF;
    float zoneHiddenP, zoneCellP;
    float[] recurrentMask = new float[0];  // [B, H] 0 or 1 / (1 - p)
    float[] droppedStates = new float[0];  // [T, B, H] row (t, b) = h_{t-1} ⊙ mask, what W_hh multiplied at step t
    float[] zoneHiddenMask = new float[0]; // [T, B, H] 1 where h keeps its previous value
    float[] zoneCellMask = new float[0];   // [T, B, H] 1 where c keeps its previous value
    float[] zoneDh = new float[0];         // [B, H] the part of dL/dh_t that zoneout passes to h_{t-1}
    float[] zoneDc = new float[0];         // [B, H] the same for c
    float[] recurrentGrad = new float[0];  // [B, H] dL/d(h_{t-1} ⊙ mask) of one step
    private Matrix[] droppedStateViews = new Matrix[0]; // [T] droppedStates rows of step t as [B, H]
    private Matrix recurrentGradView;
    private int dropViewSteps = -1, dropViewBatch = -1;

    RecurrenceDropout(Recurrence r) {
        this.r = r;
    }

    /** See {@link Recurrence#setRegularization}. */
    void setRegularization(float recurrentDropout, float zoneoutHidden, float zoneoutCell) {
        checkProbability("recurrentDropout", recurrentDropout);
        checkProbability("zoneoutHidden", zoneoutHidden);
        checkProbability("zoneoutCell", zoneoutCell);
        if (zoneoutHidden > 0 && r.cell.type() == CellType.RNN) {
            throw new IllegalArgumentException("zoneout is implemented for the LSTM and the GRU, not the simple RNN");
        }
        if (zoneoutCell > 0 && !r.cell.type().hasCellState()) {
            throw new IllegalArgumentException("zoneoutCell needs an LSTM: a " + r.cell.type() + " has no cell state");
        }
        this.recurrentDropout = recurrentDropout;
        this.zoneoutHidden = zoneoutHidden;
        this.zoneoutCell = zoneoutCell;
    }

    private static void checkProbability(String name, float p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
    }

    /** See {@link Recurrence#setTraining}. */
    void setTraining(boolean training, long maskKey, long[] rowIds) {
        this.training = training;
        this.maskKey = maskKey;
        this.maskRows = rowIds;
    }

    boolean training() {
        return training;
    }

    float[] recurrentDropoutMask() {
        return dropRecurrent ? Arrays.copyOf(recurrentMask, r.batch * r.hidden) : null;
    }

    float[] zoneoutHiddenMask() {
        return zoneHidden == ZONEOUT_MASK ? Arrays.copyOf(zoneHiddenMask, r.steps * r.batch * r.hidden) : null;
    }

    float[] zoneoutCellMask() {
        return zoneCell == ZONEOUT_MASK ? Arrays.copyOf(zoneCellMask, r.steps * r.batch * r.hidden) : null;
    }

    /** Whether the last forward pass mixed h (or c) with the previous state. */
    boolean zoneout() {
        return zoneHidden != ZONEOUT_OFF || zoneCell != ZONEOUT_OFF;
    }

    /**
     * Decides how this pass regularises, from the settings and the mode, draws its masks and sizes their buffers.
     * Allocates only when a buffer must grow.
     */
    void beginRegularizedPass() {
        int steps = r.steps, batch = r.batch, hidden = r.hidden;
        dropRecurrent = training && recurrentDropout > 0;
        zoneHidden = zoneoutHidden == 0 ? ZONEOUT_OFF : training ? ZONEOUT_MASK : ZONEOUT_EXPECTATION;
        zoneCell = zoneoutCell == 0 ? ZONEOUT_OFF : training ? ZONEOUT_MASK : ZONEOUT_EXPECTATION;
        zoneHiddenP = zoneoutHidden;
        zoneCellP = zoneoutCell;
        int rows = steps * batch, n = batch * hidden;
        if (dropRecurrent) {
            boolean grown = false;
            if (recurrentMask.length < n) {
                recurrentMask = new float[n];
                recurrentGrad = new float[n];
                grown = true;
            }
            if (droppedStates.length < rows * hidden) {
                droppedStates = new float[rows * hidden];
                grown = true;
            }
            if (grown || dropViewSteps != steps || dropViewBatch != batch) {
                dropViewSteps = steps;
                dropViewBatch = batch;
                droppedStateViews = new Matrix[steps];
                for (int t = 0; t < steps; t++) droppedStateViews[t] = Matrix.of(droppedStates, t * n, batch, hidden);
                recurrentGradView = Matrix.of(recurrentGrad, batch, hidden);
            }
            DropoutMasks.fillRows(DropoutMasks.streamKey(maskKey, STREAM_RECURRENT), maskRows, recurrentDropout, 0f,
                    (float) (1.0 / (1.0 - recurrentDropout)), recurrentMask, 1, batch, hidden);
        }
        if (zoneHidden != ZONEOUT_OFF || zoneCell != ZONEOUT_OFF) {
            if (zoneDh.length < n) {
                zoneDh = new float[n];
                zoneDc = new float[n];
            }
        }
        if (zoneHidden == ZONEOUT_MASK) {
            if (zoneHiddenMask.length < rows * hidden) zoneHiddenMask = new float[rows * hidden];
            DropoutMasks.fillRows(DropoutMasks.streamKey(maskKey, STREAM_ZONEOUT_HIDDEN), maskRows, zoneoutHidden, 1f, 0f, zoneHiddenMask,
                    steps, batch, hidden);
        }
        if (zoneCell == ZONEOUT_MASK) {
            if (zoneCellMask.length < rows * hidden) zoneCellMask = new float[rows * hidden];
            DropoutMasks.fillRows(DropoutMasks.streamKey(maskKey, STREAM_ZONEOUT_CELL), maskRows, zoneoutCell, 1f, 0f, zoneCellMask,
                    steps, batch, hidden);
        }
    }

    /** Row (t, b) of {@link #droppedStates} = h_{t-1} ⊙ mask, for every row b (inactive rows are ignored later); returns step t's rows. */
    Matrix dropPreviousStates(int t) {
        int batch = r.batch, hidden = r.hidden;
        for (int b = 0; b < batch; b++) {
            VectorMath.product(r.states, r.prevStateOffset(t, b), recurrentMask, b * hidden, droppedStates, (t * batch + b) * hidden, hidden);
        }
        return droppedStateViews[t];
    }

    /** h_t = m ⊙ h_{t-1} + (1 - m) ⊙ h̃_t (and c_t likewise) for the active rows of step t. */
    void zoneoutStep(int t) {
        int hidden = r.hidden;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            int prev = r.prevStateOffset(t, b), cur = r.stateOffset(t, b), maskRow = (t * r.batch + b) * hidden;
            if (zoneCell != ZONEOUT_OFF) {
                if (zoneCell == ZONEOUT_MASK) zoneoutBlend(r.cells, prev, cur, zoneCellMask, maskRow, hidden);
                else zoneoutBlend(r.cells, prev, cur, zoneCellP, hidden);
            }
            if (zoneHidden == ZONEOUT_MASK) zoneoutBlend(r.states, prev, cur, zoneHiddenMask, maskRow, hidden);
            else if (zoneHidden == ZONEOUT_EXPECTATION) zoneoutBlend(r.states, prev, cur, zoneHiddenP, hidden);
        }
    }

    /** Before the cell's backward step t: splits dL/dh_t and dL/dc_t between the cell and the previous state. */
    void splitZoneoutGradients(int t) {
        if (zoneHidden != ZONEOUT_OFF) zoneoutGradientSplit(t, r.dh, zoneDh, zoneHidden, zoneHiddenMask, zoneHiddenP);
        if (zoneCell != ZONEOUT_OFF) zoneoutGradientSplit(t, r.dc, zoneDc, zoneCell, zoneCellMask, zoneCellP);
    }

    /** After the cell's backward step: adds the kept parts to dL/dh_{t-1} and dL/dc_{t-1}. */
    void addZoneoutGradients() {
        if (zoneHidden != ZONEOUT_OFF) addZoneoutGradient(zoneDh, r.dhPrev);
        if (zoneCell != ZONEOUT_OFF) addZoneoutGradient(zoneDc, r.dcPrev);
    }

    /**
     * Backward of zoneout at step t for the active rows: the part m ⊙ dL/dx_t of the gradient goes to x_{t-1}
     * (kept in {@code kept}, added after the cell step), the part (1 - m) ⊙ dL/dx_t to the cell's x̃_t.
     */
    private void zoneoutGradientSplit(int t, float[] grad, float[] kept, int mode, float[] mask, float p) {
        int hidden = r.hidden;
        for (int k = 0; k < r.activeCount; k++) {
            int b = r.activeRows[k];
            if (mode == ZONEOUT_MASK) zoneoutSplit(grad, kept, b * hidden, mask, (t * r.batch + b) * hidden, hidden);
            else zoneoutSplit(grad, kept, b * hidden, p, hidden);
        }
    }

    private void addZoneoutGradient(float[] kept, float[] prevGrad) {
        for (int k = 0; k < r.activeCount; k++) {
            int bh = r.activeRows[k] * r.hidden;
            VectorMath.add(kept, bh, prevGrad, bh, r.hidden);
        }
    }

    /** dL/dh_{t-1} += (dRecurrent_t · W_hh) ⊙ mask. */
    void addDroppedRecurrentGradient(Matrix dRecurrentStep, Gemm.PackedMatrix weightsBackward, float[] dhPrev) {
        Gemm.multiply(1f, dRecurrentStep, Op.N, weightsBackward, 0f, recurrentGradView);
        for (int b = 0; b < r.batch; b++) addProduct(recurrentGrad, recurrentMask, b * r.hidden, dhPrev, b * r.hidden, r.hidden);
    }

    /** dst[off + i] += a[off + i] * b[off + i] for i in [0, n) (a, b and dst share the layout). */
    static void addProduct(float[] a, float[] b, int off, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector product = FloatVector.fromArray(SPECIES, a, off + i, m).mul(FloatVector.fromArray(SPECIES, b, off + i, m));
            FloatVector.fromArray(SPECIES, dst, dstOff + i, m).add(product).intoArray(dst, dstOff + i, m);
        }
    }

    /** x[cur + i] = m[mOff + i] * x[prev + i] + (1 - m[mOff + i]) * x[cur + i] for i in [0, n). */
    static void zoneoutBlend(float[] x, int prev, int cur, float[] mask, int mOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector keep = FloatVector.fromArray(SPECIES, mask, mOff + i, m);
            FloatVector kept = keep.mul(FloatVector.fromArray(SPECIES, x, prev + i, m));
            keep.neg().add(1f).mul(FloatVector.fromArray(SPECIES, x, cur + i, m)).add(kept).intoArray(x, cur + i, m);
        }
    }

    /** x[cur + i] = p * x[prev + i] + (1 - p) * x[cur + i] for i in [0, n): zoneout's expectation. */
    static void zoneoutBlend(float[] x, int prev, int cur, float p, int n) {
        float q = 1f - p;
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector kept = FloatVector.fromArray(SPECIES, x, prev + i, m).mul(p);
            FloatVector.fromArray(SPECIES, x, cur + i, m).mul(q).add(kept).intoArray(x, cur + i, m);
        }
    }

    /** kept[off + i] = m * g[off + i];  g[off + i] *= 1 - m, with m = mask[mOff + i]. */
    static void zoneoutSplit(float[] g, float[] kept, int off, float[] mask, int mOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector keep = FloatVector.fromArray(SPECIES, mask, mOff + i, m);
            FloatVector grad = FloatVector.fromArray(SPECIES, g, off + i, m);
            grad.mul(keep).intoArray(kept, off + i, m);
            grad.mul(keep.neg().add(1f)).intoArray(g, off + i, m);
        }
    }

    /** kept[off + i] = p * g[off + i];  g[off + i] *= 1 - p. */
    static void zoneoutSplit(float[] g, float[] kept, int off, float p, int n) {
        float q = 1f - p;
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector grad = FloatVector.fromArray(SPECIES, g, off + i, m);
            grad.mul(p).intoArray(kept, off + i, m);
            grad.mul(q).intoArray(g, off + i, m);
        }
    }
}
