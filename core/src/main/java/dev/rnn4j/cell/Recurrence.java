package dev.rnn4j.cell;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.Arrays;

import static dev.rnn4j.tensor.VectorMath.SPECIES;

/**
 * One direction of one recurrent layer over a time-major sequence, forward and backward, for any {@link Cell}.
 *
 * <p>The schedule is cuDNN's: one GEMM projects the inputs of all T steps, then each step runs one recurrent
 * GEMM and one fused gate kernel; backward runs one GEMM per step for dL/dh_{t-1} and computes the weight
 * gradients as single GEMMs over all steps after the loop. W_ih and W_hh are packed into the GEMM's layout once
 * per pass ({@link #packWeights}), the gate kernels run over the batch rows split over {@link dev.rnn4j.tensor.Parallel}'s threads,
 * and workspaces are allocated when a larger (T, B) arrives and reused after that: nothing is allocated per step.
 *
 * <p>Sequences of different lengths share a batch with PyTorch's packed-sequence semantics: at step t only
 * the rows with {@code t < length[b]} advance, the others carry their state unchanged and output zero. The
 * reverse direction therefore starts each sequence at its own last valid step.
 *
 * <p>States are stored in slots: slot 0..T for the forward direction (slot t+1 holds h_t, slot 0 the initial
 * state); for the reverse direction slot t holds h_t and slot T the initial state. Either way the state before
 * step t of every step sits in T consecutive slots, so dW_hh is one GEMM.
 *
 * <p>Regularisation (all off by default, and then none of its code runs) lives beside the time loop: layer
 * normalisation in {@link RecurrenceLayerNorm}, batch normalisation in {@link RecurrenceBatchNorm}, variational recurrent
 * dropout and zoneout in {@link RecurrenceDropout}.
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
    float[] cellTanh = new float[0];   // [T, B, H] tanh(c̃_t), or tanh(LN_c(c̃_t)) (LSTM): h_t's factor, kept for backward
    float[] dGates = new float[0];     // [T, B, G*H] dL/d(W_ih x + b_ih)
    float[] dRecurrent = new float[0]; // [T, B, G*H] dL/d(W_hh h + b_hh); the same array as dGates unless the cell separates them
    float[] dh = new float[0];         // [B, H] dL/dh_t
    float[] dhPrev = new float[0];     // [B, H] dL/dh_{t-1}
    float[] dc = new float[0];         // [B, H] dL/dc_t
    float[] dcPrev = new float[0];     // [B, H] dL/dc_{t-1}
    float[] scratch = new float[0];    // [B, H] for cells that need a second GEMM per step
    float[] biasBlockSums = new float[0]; // [G*H] scratch of the bias gradients' column sums
    int[] activeRows = new int[0];     // [B] rows that have the current step
    private double[] gradientNorms = new double[0]; // [T] ||dL/dh_t|| of the last backward pass
    private RecurrenceObserver observer; // or null: then the passes do nothing more
    private final RecurrencePass lastPass = new RecurrencePass(this); // what the observer reads
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
    // For cells that multiply the last G-P gate blocks of W_hh themselves (the reset-before GRU):
    private final Matrix unprojectedWeightView;         // W_hh rows [P*H, G*H), or null when P = G
    private Matrix unprojectedHhView;                   // hh[:, P*H:G*H] as [B, (G-P)*H]
    private Matrix[] unprojectedInputViews = new Matrix[0]; // [T] cache[t, :, cacheWidth-H:cacheWidth] as [B, H]
    private Matrix[] unprojectedGradViews = new Matrix[0];  // [T] dRecurrentRaw[t, :, P*H:G*H] as [B, (G-P)*H]
    private Matrix scratchView;                          // scratch as [B, H]

    // W_hh packed for the per-step GEMMs (see Gemm.PackedMatrix): packed once per pass, not once per step. A pass
    // re-packs at its start because an optimizer step or a weight load may have changed W_hh since the last one.
    // W_ih is packed too, for streaming, whose one-step passes would otherwise re-pack it in every call.
    private final Gemm.PackedMatrix inputWeights;           // [I, G*H] W_ih^T, B of the input projection X · W_ih^T
    private final Gemm.PackedMatrix stepWeights;            // [H, P*H] W_hh[0:P*H]^T, B of h_{t-1} · W_hh^T
    private final Gemm.PackedMatrix unprojectedStepWeights; // [H, (G-P)*H] W_hh[P*H:G*H]^T, or null when P = G
    private Gemm.PackedMatrix stepWeightsBackward;            // [P*H, H] W_hh[0:P*H], B of dRecurrent · W_hh; made by the first backward pass
    private Gemm.PackedMatrix unprojectedStepWeightsBackward; // [(G-P)*H, H] W_hh[P*H:G*H], or null

    // ---- regularisation ----
    final boolean layerNorm;
    final RecurrenceLayerNorm norm; // or null without layer normalisation
    final boolean batchNorm;
    final RecurrenceBatchNorm bn;   // or null without batch normalisation
    final RecurrenceDropout dropout = new RecurrenceDropout(this);
    /** [T, B, G*H] dL/d(W_ih x): dGates through the normalisation backward; the same array as dGates without it. */
    float[] dGatesRaw = new float[0];
    /** [T, B, G*H] dL/d(W_hh h): dRecurrent through the normalisation backward; the same array as dRecurrent without it. */
    float[] dRecurrentRaw = new float[0];


    /**
     * @param cell     the gate kernel
     * @param reverse  whether this direction runs from each sequence's last valid step down to 0
     * @param weightIh W_ih [G*H, I]
     * @param weightHh W_hh [G*H, H]
     * @param biasIh   b_ih [G*H] or null
     * @param biasHh   b_hh [G*H] or null
     */
    public Recurrence(Cell cell, boolean reverse, Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh) {
        this(cell, reverse, weightIh, weightHh, biasIh, biasHh, null);
    }

    /**
     * A direction with layer or batch normalisation, or none when {@code normalization} is null.
     *
     * @throws IllegalArgumentException for layer normalisation of the simple RNN, batch normalisation of another cell
     *                                  than the LSTM, or tensors of the wrong shape
     */
    public Recurrence(Cell cell, boolean reverse, Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh,
                      Normalization normalization) {
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
        this.unprojectedWeightView = projectedRows < gateRows ? weightHh.matrix().rows(projectedRows, gateRows - projectedRows) : null;
        this.inputWeights = Gemm.pack(weightIhView, Op.T);
        this.stepWeights = Gemm.pack(projectedWeightView, Op.T);
        this.unprojectedStepWeights = unprojectedWeightView != null ? Gemm.pack(unprojectedWeightView, Op.T) : null;
        this.layerNorm = normalization instanceof Normalization.Layer;
        this.norm = normalization instanceof Normalization.Layer ln ? new RecurrenceLayerNorm(this, ln) : null;
        this.batchNorm = normalization instanceof Normalization.Batch;
        this.bn = normalization instanceof Normalization.Batch bnParameters ? new RecurrenceBatchNorm(this, bnParameters) : null;
    }

    /** Whether this direction normalises its pre-activations. */
    public boolean layerNorm() {
        return layerNorm;
    }

    /**
     * The position in the sequence of the first step of the following forward passes (0 until changed), by which
     * batch normalisation chooses its population statistics; nothing else reads it. A stream that runs one step per
     * pass sets it to the steps it has taken.
     */
    public void setFirstStep(int position) {
        if (batchNorm) bn.setFirstStep(position);
    }

    /**
     * Dropout and zoneout probabilities, in [0, 1), for the following passes.
     *
     * @param recurrentDropout variational dropout of h_{t-1} before W_hh (training only)
     * @param zoneoutHidden    zoneout of h (LSTM, GRU)
     * @param zoneoutCell      zoneout of c (LSTM)
     * @throws IllegalArgumentException for a probability outside [0, 1), or zoneout the cell does not have
     */
    public void setRegularization(float recurrentDropout, float zoneoutHidden, float zoneoutCell) {
        dropout.setRegularization(recurrentDropout, zoneoutHidden, zoneoutCell);
    }

    /**
     * Training mode (dropout and zoneout masks drawn from {@code maskKey} and each sequence's id in
     * {@code rowIds}, or its row when null, by the next forward pass) or inference (no dropout, zoneout by its
     * expectation; the keys are ignored). Stays until changed.
     */
    public void setTraining(boolean training, long maskKey, long[] rowIds) {
        dropout.setTraining(training, maskKey, rowIds);
    }

    /** The recurrent dropout mask [B, H] of the last forward pass (0 or 1 / (1 - p)), a copy; null if it had none. */
    public float[] recurrentDropoutMask() {
        return dropout.recurrentDropoutMask();
    }

    /** The zoneout mask of h [T, B, H] of the last forward pass (1 = keep h_{t-1}), a copy; null unless it drew one. */
    public float[] zoneoutHiddenMask() {
        return dropout.zoneoutHiddenMask();
    }

    /** The zoneout mask of c [T, B, H] of the last forward pass (1 = keep c_{t-1}), a copy; null unless it drew one. */
    public float[] zoneoutCellMask() {
        return dropout.zoneoutCellMask();
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
        if (cell.type().hasCellState() && cellTanh.length < rows * hidden) cellTanh = new float[rows * hidden];
        if (dh.length < b * hidden) {
            dh = new float[b * hidden];
            dhPrev = new float[b * hidden];
            dc = new float[b * hidden];
            dcPrev = new float[b * hidden];
            scratch = new float[b * hidden];
            activeRows = new int[b];
            grown = true;
        }
        if (layerNorm) norm.ensureWorkspace(t, b);
        if (grown || t != viewSteps || b != viewBatch) {
            viewSteps = t;
            viewBatch = b;
            projectionView = new Matrix(cache, 0, rows, gateRows, cacheWidth);
            hhStepView = new Matrix(hh, 0, b, projectedRows, gateRows);
            slotViews = new Matrix[t + 1];
            for (int slot = 0; slot <= t; slot++) slotViews[slot] = new Matrix(states, slot * b * hidden, b, hidden, hidden);
            dRecurrentStepViews = new Matrix[0]; // rebuilt by the next backward pass
            scratchView = Matrix.of(scratch, b, hidden);
            if (unprojectedWeightView != null) {
                unprojectedHhView = new Matrix(hh, projectedRows, b, gateRows - projectedRows, gateRows);
                unprojectedInputViews = new Matrix[t];
                for (int step = 0; step < t; step++) {
                    unprojectedInputViews[step] = new Matrix(cache, cacheOffset(step, 0) + cacheWidth - hidden, b, hidden, cacheWidth);
                }
            }
        }
    }

    private void ensureBackwardWorkspace() {
        int rows = steps * batch;
        if (gradientNorms.length < steps) gradientNorms = new double[steps];
        boolean grown = false;
        if (dGates.length < rows * gateRows) {
            dGates = new float[rows * gateRows];
            boolean normalized = layerNorm || batchNorm;
            dRecurrent = cell.separateRecurrentGradient() || normalized ? new float[rows * gateRows] : dGates;
            dGatesRaw = normalized ? new float[rows * gateRows] : dGates;
            dRecurrentRaw = normalized ? new float[rows * gateRows] : dRecurrent;
            grown = true;
        }
        if (biasBlockSums.length < gateRows) biasBlockSums = new float[gateRows];
        if (grown || dRecurrentStepViews.length != steps) {
            dRecurrentStepViews = new Matrix[steps];
            for (int t = 0; t < steps; t++) {
                dRecurrentStepViews[t] = new Matrix(dRecurrentRaw, gradOffset(t, 0), batch, projectedRows, gateRows);
            }
            if (unprojectedWeightView != null) {
                unprojectedGradViews = new Matrix[steps];
                for (int t = 0; t < steps; t++) {
                    unprojectedGradViews[t] = new Matrix(dRecurrentRaw, gradOffset(t, 0) + projectedRows, batch, gateRows - projectedRows, gateRows);
                }
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

    /** Offset of row b of step t in {@link #cellTanh}. */
    int cellTanhOffset(int t, int b) {
        return (t * batch + b) * hidden;
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

    /** dW_hh rows [from, from + count) as a matrix. */
    Matrix recurrentWeightGrads(int fromRow, int rowCount) {
        return weightHh.gradMatrix().rows(fromRow, rowCount);
    }

    /**
     * For cells with fewer projected gate blocks than gates: hh[:, P*H:G*H] = v_t · W_hh[P*H:G*H]^T for all B rows,
     * where v_t [B, H] is the last H columns of the cache rows of step t (the cell's input to that product).
     */
    void multiplyUnprojected(int t) {
        Gemm.multiply(1f, unprojectedInputViews[t], Op.N, unprojectedStepWeights, 0f, unprojectedHhView);
    }

    /** Its backward: scratch [B, H] = dRecurrentRaw[t, :, P*H:G*H] · W_hh[P*H:G*H]. */
    void multiplyUnprojectedBackward(int t) {
        Gemm.multiply(1f, unprojectedGradViews[t], Op.N, unprojectedStepWeightsBackward, 0f, scratchView);
    }

    /** h_{t-1} of all B rows, [B, H]. */
    Matrix previousStates(int t) {
        return slotViews[reverse ? t + 1 : t];
    }

    /** The array holding what W_hh multiplies at step t: h_{t-1}, or h_{t-1} ⊙ mask under recurrent dropout. */
    float[] recurrentInputArray() {
        return dropout.dropRecurrent ? dropout.droppedStates : states;
    }

    /** Offset of row b of step t in {@link #recurrentInputArray()}. */
    int recurrentInputOffset(int t, int b) {
        return dropout.dropRecurrent ? (t * batch + b) * hidden : prevStateOffset(t, b);
    }

    // ---- a step's rows split over threads ----

    final RowSplit rowSplit = new RowSplit(this);

    /** Runs {@code kernel} over the active rows of step t, split over the threads (see {@link RowSplit}). */
    void forActiveRows(int t, RowSplit.RowKernel kernel) {
        rowSplit.run(t, kernel, minRowsPerChunk());
    }

    /** Runs {@code passes} one after another on each active row of step t (see {@link RowSplit}). */
    void forActiveRows(int t, RowSplit.RowPass[] passes) {
        rowSplit.run(t, passes, minRowsPerChunk());
    }

    /** With layer normalisation a step's rows stay on the calling thread: the normalisations share one scratch array. */
    private int minRowsPerChunk() {
        return layerNorm ? activeCount : Math.max(1, RowSplit.MIN_GATE_VALUES_PER_CHUNK / cacheWidth);
    }

    private void selectActiveRows(int t) {
        activeCount = 0;
        for (int b = 0; b < batch; b++) {
            if (lengths == null || t < lengths[b]) activeRows[activeCount++] = b;
        }
    }

    boolean isActive(int t, int b) {
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
        packWeights();
        forwardWithPackedWeights(in, output, hN, cN);
    }

    /**
     * Packs W_ih and W_hh for the products of {@link #forwardWithPackedWeights}; {@link #forward} does it itself.
     * Call it again whenever they have changed. Allocates nothing.
     */
    public void packWeights() {
        inputWeights.repack(weightIhView, Op.T);
        stepWeights.repack(projectedWeightView, Op.T);
        if (unprojectedStepWeights != null) unprojectedStepWeights.repack(unprojectedWeightView, Op.T);
    }

    /**
     * {@link #forward} with W_ih and W_hh as of the last {@link #packWeights} (the biases are read as they are):
     * for many short passes over unchanged weights, such as one step per call in {@code RecurrentStream}, where
     * packing W_hh would cost more than the step.
     */
    public void forwardWithPackedWeights(DirectionInput in, Matrix output, Matrix hN, Matrix cN) {
        int t0 = in.steps(), b0 = in.batch();
        ensureWorkspace(t0, b0);
        lengths = in.lengths();
        input = in.input();
        int rows = steps * batch;
        boolean hasCell = cell.type().hasCellState();

        dropout.beginRegularizedPass();
        boolean zoneout = dropout.zoneout();
        if (batchNorm) bn.beginPass(steps, batch, dropout.training());

        Gemm.multiply(1f, input, Op.N, inputWeights, 0f, projectionView);
        if (layerNorm) norm.normalizeInputProjections();
        if (batchNorm) bn.normalizeInputProjections();
        loadRows(in.h0(), states, initialSlot());
        if (hasCell) loadRows(in.c0(), cells, initialSlot());

        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            selectActiveRows(t);
            Matrix previous = previousStates(t);
            if (dropout.dropRecurrent) previous = dropout.dropPreviousStates(t);
            Gemm.multiply(1f, previous, Op.N, stepWeights, 0f, hhStepView);
            if (layerNorm) {
                for (int k = 0; k < activeCount; k++) norm.normalizeRecurrent(t, activeRows[k], 0, projectedRows);
            }
            if (batchNorm) bn.normalizeRecurrent(t);
            cell.forwardStep(this, t);
            if (zoneout) dropout.zoneoutStep(t);
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
        storeRows(states, finalSlot(), hN);
        if (hasCell) storeRows(cells, finalSlot(), cN);
        if (observer != null) observer.afterForward(lastPass);
    }

    /** Copies the rows [B, H] of {@code from} (zeros when null) into block {@code slot} of {@code to} [.., B, H]. */
    private void loadRows(Matrix from, float[] to, int slot) {
        int base = slot * batch * hidden;
        if (from == null) {
            Arrays.fill(to, base, base + batch * hidden, 0f);
            return;
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from.data(), from.offset() + b * from.stride(), to, base + b * hidden, hidden);
        }
    }

    /** Copies block {@code slot} [B, H] of {@code from} into the rows of {@code to}. */
    private void storeRows(float[] from, int slot, Matrix to) {
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
        packBackwardWeights();
        int rows = steps * batch;
        boolean hasCell = cell.type().hasCellState();
        boolean zoneout = dropout.zoneout();
        loadRows(dHn, dh, 0);
        if (hasCell) loadRows(dCn, dc, 0);

        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            selectActiveRows(t);
            if (dOutput != null) {
                for (int k = 0; k < activeCount; k++) {
                    int b = activeRows[k];
                    VectorMath.add(dOutput.data(), dOutput.offset() + (t * batch + b) * dOutput.stride(), dh, b * hidden, hidden);
                }
            }
            gradientNorms[t] = Math.sqrt(VectorMath.sumOfSquares(dh, 0, batch * hidden));
            for (int b = 0; b < batch; b++) {
                if (isActive(t, b)) continue;
                // a carried state passes its gradient straight through and contributes nothing at this step
                System.arraycopy(dh, b * hidden, dhPrev, b * hidden, hidden);
                if (hasCell) System.arraycopy(dc, b * hidden, dcPrev, b * hidden, hidden);
                Arrays.fill(dGates, gradOffset(t, b), gradOffset(t, b) + gateRows, 0f);
                if (dRecurrent != dGates) Arrays.fill(dRecurrent, gradOffset(t, b), gradOffset(t, b) + gateRows, 0f);
                if (dRecurrentRaw != dRecurrent) Arrays.fill(dRecurrentRaw, gradOffset(t, b), gradOffset(t, b) + gateRows, 0f);
            }
            if (zoneout) dropout.splitZoneoutGradients(t);
            cell.backwardStep(this, t);
            if (layerNorm) norm.recurrentNormBackward(t);
            if (batchNorm) bn.recurrentBackward(t);
            if (zoneout) dropout.addZoneoutGradients();
            if (dropout.dropRecurrent) {
                dropout.addDroppedRecurrentGradient(dRecurrentStepViews[t], stepWeightsBackward, dhPrev);
            } else {
                Gemm.multiply(1f, dRecurrentStepViews[t], Op.N, stepWeightsBackward, 1f, dhPrevView);
            }
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
        storeRows(dh, 0, dH0);
        if (hasCell) storeRows(dc, 0, dC0);

        if (layerNorm) norm.normBackwardAfterLoop();
        if (batchNorm) bn.inputBackwardAfterLoop();
        Matrix allGates = Matrix.of(dGatesRaw, rows, gateRows);
        Matrix allRecurrent = new Matrix(dRecurrentRaw, 0, rows, projectedRows, gateRows);
        Matrix previous = dropout.dropRecurrent
                ? Matrix.of(dropout.droppedStates, rows, hidden)
                : new Matrix(states, (reverse ? batch : 0) * hidden, rows, hidden, hidden);
        Gemm.multiply(1f, allGates, Op.T, input, Op.N, 1f, weightIh.gradMatrix());
        Gemm.multiply(1f, allRecurrent, Op.T, previous, Op.N, 1f, recurrentWeightGrads(0, projectedRows));
        cell.accumulateExtraWeightGradients(this);
        if (biasIh != null) {
            VectorMath.addColumnSums(Matrix.of(dGates, rows, gateRows), biasBlockSums, biasIh.grad());
            VectorMath.addColumnSums(Matrix.of(dRecurrent, rows, gateRows), biasBlockSums, biasHh.grad());
        }
        Gemm.multiply(1f, allGates, Op.N, weightIhView, Op.N, 1f, dInput);
        if (observer != null) observer.afterBackward(lastPass);
    }

    /** Packs W_hh for the per-step products of the backward pass, allocating the packings on the first call. */
    private void packBackwardWeights() {
        if (stepWeightsBackward == null) {
            stepWeightsBackward = Gemm.pack(projectedWeightView, Op.N);
            if (unprojectedWeightView != null) unprojectedStepWeightsBackward = Gemm.pack(unprojectedWeightView, Op.N);
            return;
        }
        stepWeightsBackward.repack(projectedWeightView, Op.N);
        if (unprojectedStepWeightsBackward != null) unprojectedStepWeightsBackward.repack(unprojectedWeightView, Op.N);
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

    /**
     * ||dL/dh_t|| over the batch for t = 0..T-1, from the last backward pass: how much of the loss's gradient
     * reaches each step. Where it decays towards the early steps, the cell cannot learn dependencies that long
     * (the vanishing gradient of the simple RNN).
     */
    public double[] gradientNormsByStep() {
        return Arrays.copyOf(gradientNorms, steps);
    }

    // ---- observers ----

    /** Hands every following pass of this direction to {@code observer} (null to stop). */
    public void setObserver(RecurrenceObserver observer) {
        this.observer = observer;
    }

    /** Whether the last forward pass ran in training mode (dropout and zoneout masks drawn). */
    boolean lastPassTraining() {
        return dropout.training();
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
