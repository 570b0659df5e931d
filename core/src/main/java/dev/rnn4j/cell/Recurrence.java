package dev.rnn4j.cell;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.Arrays;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * One direction of one recurrent layer over a time-major sequence, forward and backward, for any {@link Cell}.
 *
 * <p>The schedule is cuDNN's: one GEMM projects the inputs of all T steps, then each step runs one recurrent
 * GEMM and one fused gate kernel; backward runs one GEMM per step for dL/dh_{t-1} and computes the weight
 * gradients as single GEMMs over all steps after the loop. Workspaces are allocated when a larger (T, B)
 * arrives and reused after that: nothing is allocated per step.
 *
 * <p>Sequences of different lengths share a batch with PyTorch's packed-sequence semantics: at step t only
 * the rows with {@code t < length[b]} advance, the others carry their state unchanged and output zero. The
 * reverse direction therefore starts each sequence at its own last valid step.
 *
 * <p>States are stored in slots: slot 0..T for the forward direction (slot t+1 holds h_t, slot 0 the initial
 * state); for the reverse direction slot t holds h_t and slot T the initial state. Either way the state before
 * step t of every step sits in T consecutive slots, so dW_hh is one GEMM.
 */
public final class Recurrence {
    final Cell cell;
    final int inputSize;
    final int hidden;     // H
    final int gateRows;   // G*H
    final int projectedRows; // P*H: rows of W_hh multiplied by h_{t-1} before the cell step
    final int cacheWidth;
    final boolean reverse;

    final Parameter weightIh; // [G*H, I]
    final Parameter weightHh; // [G*H, H]
    final Parameter biasIh;   // [G*H] or null when the layer has no bias
    final Parameter biasHh;   // [G*H] or null
    final float[] bIh;        // [G*H] bias values, zeros without bias, so kernels have one code path
    final float[] bHh;        // [G*H]

    // Workspace for the current (T, B); arrays may be larger from an earlier call.
    int steps;
    int batch;
    int[] lengths;          // [B] or null when all sequences have T steps
    Matrix input;           // [T*B, I] the last forward pass's input, needed for dW_ih
    float[] cache = new float[0];      // [T, B, cacheWidth] input projection in, gate values out
    float[] hh = new float[0];         // [B, G*H] recurrent projection of the current step
    float[] states = new float[0];     // [T+1, B, H] hidden states by slot
    float[] cells = new float[0];      // [T+1, B, H] cell states by slot (LSTM)
    float[] dGates = new float[0];     // [T, B, G*H] dL/d(W_ih x + b_ih)
    float[] dRecurrent = new float[0]; // [T, B, G*H] dL/d(W_hh h + b_hh); the same array as dGates unless the cell separates them
    float[] dh = new float[0];         // [B, H] dL/dh_t
    float[] dhPrev = new float[0];     // [B, H] dL/dh_{t-1}
    float[] dc = new float[0];         // [B, H] dL/dc_t
    float[] dcPrev = new float[0];     // [B, H] dL/dc_{t-1}
    float[] scratch = new float[0];    // [B, H] for cells that need a second GEMM per step
    float[] ones = new float[0];       // [T*B] all ones: bias gradients are ones · dGates
    int[] activeRows = new int[0];     // [B] rows that have the current step
    int activeCount;

    // Views over the workspace, rebuilt only when (T, B) or an array changes, so the step loops allocate nothing.
    private final Matrix weightIhView;        // W_ih [G*H, I]
    private final Matrix projectedWeightView; // W_hh rows [0, P*H)
    private int viewSteps = -1;
    private int viewBatch = -1;
    private Matrix projectionView;            // cache[:, 0:G*H] as [T*B, G*H]
    private Matrix hhStepView;                // hh[:, 0:P*H] as [B, P*H]
    private Matrix[] slotViews = new Matrix[0];          // [T+1] states slot s as [B, H]
    private Matrix[] dRecurrentStepViews = new Matrix[0]; // [T] dRecurrent[t, :, 0:P*H] as [B, P*H]
    private Matrix dhView;                    // dh as [B, H]
    private Matrix dhPrevView;                // dhPrev as [B, H]

    /**
     * @param cell     the gate kernel
     * @param reverse  whether this direction runs from each sequence's last valid step down to 0
     * @param weightIh W_ih [G*H, I]
     * @param weightHh W_hh [G*H, H]
     * @param biasIh   b_ih [G*H] or null
     * @param biasHh   b_hh [G*H] or null
     */
    public Recurrence(Cell cell, boolean reverse, Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh) {
        this.cell = cell;
        this.reverse = reverse;
        this.weightIh = weightIh;
        this.weightHh = weightHh;
        this.biasIh = biasIh;
        this.biasHh = biasHh;
        this.gateRows = weightIh.shape()[0];
        this.inputSize = weightIh.shape()[1];
        this.hidden = weightHh.shape()[1];
        if (gateRows != cell.type().gateCount() * hidden || weightHh.shape()[0] != gateRows) {
            throw new IllegalArgumentException(cell.type() + " with hidden size " + hidden + " needs " + cell.type().gateCount() * hidden
                    + " gate rows, got " + weightIh + " and " + weightHh);
        }
        this.projectedRows = cell.projectedGates() * hidden;
        this.cacheWidth = cell.cacheWidth(hidden);
        this.bIh = biasIh != null ? biasIh.value() : new float[gateRows];
        this.bHh = biasHh != null ? biasHh.value() : new float[gateRows];
        this.weightIhView = weightIh.matrix();
        this.projectedWeightView = weightHh.matrix().rows(0, projectedRows);
    }

    public int hiddenSize() {
        return hidden;
    }

    public int inputSize() {
        return inputSize;
    }

    private void ensureWorkspace(int t, int b) {
        steps = t;
        batch = b;
        int rows = t * b;
        boolean grown = false;
        if (cache.length < rows * cacheWidth) {
            cache = new float[rows * cacheWidth];
            grown = true;
        }
        if (hh.length < b * gateRows) {
            hh = new float[b * gateRows];
            grown = true;
        }
        if (states.length < (rows + b) * hidden) {
            states = new float[(rows + b) * hidden];
            if (cell.type().hasCellState()) cells = new float[(rows + b) * hidden];
            grown = true;
        }
        if (dh.length < b * hidden) {
            dh = new float[b * hidden];
            dhPrev = new float[b * hidden];
            dc = new float[b * hidden];
            dcPrev = new float[b * hidden];
            scratch = new float[b * hidden];
            activeRows = new int[b];
            grown = true;
        }
        if (grown || t != viewSteps || b != viewBatch) {
            viewSteps = t;
            viewBatch = b;
            projectionView = new Matrix(cache, 0, rows, gateRows, cacheWidth);
            hhStepView = new Matrix(hh, 0, b, projectedRows, gateRows);
            slotViews = new Matrix[t + 1];
            for (int slot = 0; slot <= t; slot++) slotViews[slot] = new Matrix(states, slot * b * hidden, b, hidden, hidden);
            dRecurrentStepViews = new Matrix[0]; // rebuilt by the next backward pass
        }
    }

    private void ensureBackwardWorkspace() {
        int rows = steps * batch;
        boolean grown = false;
        if (dGates.length < rows * gateRows) {
            dGates = new float[rows * gateRows];
            dRecurrent = cell.separateRecurrentGradient() ? new float[rows * gateRows] : dGates;
            grown = true;
        }
        if (ones.length < rows) {
            ones = new float[rows];
            Arrays.fill(ones, 1f);
        }
        if (grown || dRecurrentStepViews.length != steps) {
            dRecurrentStepViews = new Matrix[steps];
            for (int t = 0; t < steps; t++) {
                dRecurrentStepViews[t] = new Matrix(dRecurrent, gradOffset(t, 0), batch, projectedRows, gateRows);
            }
        }
        dhView = Matrix.of(dh, batch, hidden);
        dhPrevView = Matrix.of(dhPrev, batch, hidden);
    }

    // ---- layout helpers used by the cells ----

    /** Offset of row b of step t in {@link #cache}. */
    int cacheOffset(int t, int b) {
        return (t * batch + b) * cacheWidth;
    }

    /** Offset of row b of step t in {@link #dGates} and {@link #dRecurrent}. */
    int gradOffset(int t, int b) {
        return (t * batch + b) * gateRows;
    }

    /** Offset of row b of h_{t-1} (and c_{t-1}) in {@link #states} ({@link #cells}). */
    int prevStateOffset(int t, int b) {
        return ((reverse ? t + 1 : t) * batch + b) * hidden;
    }

    /** Offset of row b of h_t (and c_t) in {@link #states} ({@link #cells}). */
    int stateOffset(int t, int b) {
        return ((reverse ? t : t + 1) * batch + b) * hidden;
    }

    private int initialSlot() {
        return reverse ? steps : 0;
    }

    private int finalSlot() {
        return reverse ? 0 : steps;
    }

    /** W_hh rows [from, from + count) as a matrix. */
    Matrix recurrentWeights(int fromRow, int rowCount) {
        return weightHh.matrix().rows(fromRow, rowCount);
    }

    /** dW_hh rows [from, from + count) as a matrix. */
    Matrix recurrentWeightGrads(int fromRow, int rowCount) {
        return weightHh.gradMatrix().rows(fromRow, rowCount);
    }

    /** h_{t-1} of all B rows, [B, H]. */
    Matrix previousStates(int t) {
        return slotViews[reverse ? t + 1 : t];
    }

    private void selectActiveRows(int t) {
        activeCount = 0;
        for (int b = 0; b < batch; b++) {
            if (lengths == null || t < lengths[b]) activeRows[activeCount++] = b;
        }
    }

    private boolean isActive(int t, int b) {
        return lengths == null || t < lengths[b];
    }

    /**
     * Runs this direction over a sequence.
     *
     * @param in      the inputs, lengths and this direction's initial state
     * @param output  [T*B, H] where h_t goes (zero past each length); may be a column slice of a wider output
     * @param hN      [B, H] final hidden state
     * @param cN      [B, H] final cell state (LSTM), else null
     */
    public void forward(DirectionInput in, Matrix output, Matrix hN, Matrix cN) {
        int t0 = in.steps(), b0 = in.batch();
        ensureWorkspace(t0, b0);
        lengths = in.lengths();
        input = in.input();
        int rows = steps * batch;
        boolean hasCell = cell.type().hasCellState();

        Gemm.multiply(1f, input, Op.N, weightIhView, Op.T, 0f, projectionView);
        loadState(in.h0(), states, initialSlot());
        if (hasCell) loadState(in.c0(), cells, initialSlot());

        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            selectActiveRows(t);
            Gemm.multiply(1f, previousStates(t), Op.N, projectedWeightView, Op.T, 0f, hhStepView);
            cell.forwardStep(this, t);
            for (int b = 0; b < batch; b++) {
                int outRow = output.offset() + (t * batch + b) * output.stride();
                if (isActive(t, b)) {
                    System.arraycopy(states, stateOffset(t, b), output.data(), outRow, hidden);
                } else {
                    // a finished (or, in reverse, not yet started) sequence carries its state unchanged
                    System.arraycopy(states, prevStateOffset(t, b), states, stateOffset(t, b), hidden);
                    if (hasCell) System.arraycopy(cells, prevStateOffset(t, b), cells, stateOffset(t, b), hidden);
                    Arrays.fill(output.data(), outRow, outRow + hidden, 0f);
                }
            }
        }
        storeState(states, finalSlot(), hN);
        if (hasCell) storeState(cells, finalSlot(), cN);
    }

    private void loadState(Matrix from, float[] to, int slot) {
        int base = slot * batch * hidden;
        if (from == null) {
            Arrays.fill(to, base, base + batch * hidden, 0f);
            return;
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from.data(), from.offset() + b * from.stride(), to, base + b * hidden, hidden);
        }
    }

    private void storeState(float[] from, int slot, Matrix to) {
        int base = slot * batch * hidden;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from, base + b * hidden, to.data(), to.offset() + b * to.stride(), hidden);
        }
    }

    /**
     * Backpropagation through time over the last forward pass. Weight and bias gradients are added to the
     * parameters' gradients.
     *
     * @param dOutput [T*B, H] dL/d output (a column slice is fine), or null
     * @param dHn     [B, H] dL/d h_n, or null
     * @param dCn     [B, H] dL/d c_n (LSTM), or null
     * @param dInput  [T*B, I] dL/d input is ADDED here, so two directions can share it
     * @param dH0     [B, H] receives dL/d h0
     * @param dC0     [B, H] receives dL/d c0 (LSTM), else null
     */
    public void backward(Matrix dOutput, Matrix dHn, Matrix dCn, Matrix dInput, Matrix dH0, Matrix dC0) {
        if (input == null) throw new IllegalStateException("backward needs a forward pass first");
        ensureBackwardWorkspace();
        int rows = steps * batch;
        boolean hasCell = cell.type().hasCellState();
        int n = batch * hidden;
        loadGradient(dHn, dh);
        if (hasCell) loadGradient(dCn, dc);

        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            selectActiveRows(t);
            if (dOutput != null) {
                for (int k = 0; k < activeCount; k++) {
                    int b = activeRows[k];
                    addInto(dOutput.data(), dOutput.offset() + (t * batch + b) * dOutput.stride(), dh, b * hidden, hidden);
                }
            }
            for (int b = 0; b < batch; b++) {
                if (isActive(t, b)) continue;
                // a carried state passes its gradient straight through and contributes nothing at this step
                System.arraycopy(dh, b * hidden, dhPrev, b * hidden, hidden);
                if (hasCell) System.arraycopy(dc, b * hidden, dcPrev, b * hidden, hidden);
                Arrays.fill(dGates, gradOffset(t, b), gradOffset(t, b) + gateRows, 0f);
                if (dRecurrent != dGates) Arrays.fill(dRecurrent, gradOffset(t, b), gradOffset(t, b) + gateRows, 0f);
            }
            cell.backwardStep(this, t);
            Gemm.multiply(1f, dRecurrentStepViews[t], Op.N, projectedWeightView, Op.N, 1f, dhPrevView);
            float[] swap = dh;
            dh = dhPrev;
            dhPrev = swap;
            Matrix swapView = dhView;
            dhView = dhPrevView;
            dhPrevView = swapView;
            if (hasCell) {
                swap = dc;
                dc = dcPrev;
                dcPrev = swap;
            }
        }
        storeGradient(dh, dH0);
        if (hasCell) storeGradient(dc, dC0);

        Matrix allGates = Matrix.of(dGates, rows, gateRows);
        Matrix allRecurrent = new Matrix(dRecurrent, 0, rows, projectedRows, gateRows);
        Matrix previous = new Matrix(states, (reverse ? batch : 0) * hidden, rows, hidden, hidden);
        Gemm.multiply(1f, allGates, Op.T, input, Op.N, 1f, weightIh.gradMatrix());
        Gemm.multiply(1f, allRecurrent, Op.T, previous, Op.N, 1f, recurrentWeightGrads(0, projectedRows));
        cell.accumulateExtraWeightGradients(this);
        if (biasIh != null) {
            Matrix onesRow = Matrix.of(ones, 1, rows);
            Gemm.multiply(1f, onesRow, Op.N, allGates, Op.N, 1f, biasIh.gradMatrix());
            Gemm.multiply(1f, onesRow, Op.N, Matrix.of(dRecurrent, rows, gateRows), Op.N, 1f, biasHh.gradMatrix());
        }
        Gemm.multiply(1f, allGates, Op.N, weightIhView, Op.N, 1f, dInput);
    }

    private void loadGradient(Matrix from, float[] to) {
        if (from == null) {
            Arrays.fill(to, 0, batch * hidden, 0f);
            return;
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from.data(), from.offset() + b * from.stride(), to, b * hidden, hidden);
        }
    }

    private void storeGradient(float[] from, Matrix to) {
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from, b * hidden, to.data(), to.offset() + b * to.stride(), hidden);
        }
    }

    /**
     * Completes the pre-activations of gate columns [col, col + count) of row b at step t in place:
     * cache = W_ih x + b_ih + W_hh h + b_hh.
     *
     * <p>The gate kernels work in passes over a row (this sum, then the array forms of {@code VectorMath}),
     * not one vector expression per column: a vector that crosses a call the JIT does not inline is boxed on
     * the heap, and the exp behind sigmoid and tanh is too large to inline into a kernel.
     */
    void completePreActivation(int t, int b, int col, int count) {
        int row = cacheOffset(t, b) + col, hhRow = b * gateRows + col;
        for (int j = 0; j < count; j += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(j, count);
            FloatVector.fromArray(SPECIES, cache, row + j, m)
                    .add(FloatVector.fromArray(SPECIES, bIh, col + j, m))
                    .add(FloatVector.fromArray(SPECIES, hh, hhRow + j, m))
                    .add(FloatVector.fromArray(SPECIES, bHh, col + j, m))
                    .intoArray(cache, row + j, m);
        }
    }

    /** dst[dstOff + i] += src[srcOff + i] for i in [0, n). */
    static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector.fromArray(SPECIES, dst, dstOff + i, m)
                    .add(FloatVector.fromArray(SPECIES, src, srcOff + i, m))
                    .intoArray(dst, dstOff + i, m);
        }
    }

    /**
     * What one direction reads.
     *
     * @param input   [T*B, I]
     * @param lengths [B] or null
     * @param h0      [B, H] or null for zeros
     * @param c0      [B, H] or null for zeros
     */
    public record DirectionInput(Matrix input, int steps, int batch, int[] lengths, Matrix h0, Matrix c0) {}
}
