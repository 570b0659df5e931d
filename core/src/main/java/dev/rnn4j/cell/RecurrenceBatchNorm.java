package dev.rnn4j.cell;

import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.tensor.VectorMath;

import java.util.Arrays;

/**
 * The batch normalisation of one LSTM {@link Recurrence} (BN-LSTM, Cooijmans et al. 2016, "Recurrent Batch
 * Normalization"): W_ih x and W_hh h are normalised apart, each over the batch at each step, and so is the cell before
 * its output tanh:
 * <pre>
 *   gates = BN(W_hh h_{t-1}; γ_hh, 0) + BN(W_ih x_t; γ_ih, 0) + b_ih + b_hh
 *   c_t   = f ⊙ c_{t-1} + i ⊙ g
 *   h_t   = o ⊙ tanh(BN(c_t; γ_c, β_c))
 * </pre>
 * (the two gate normalisations have no shift: the LSTM's biases are it). The kernels and the backward formulas are in
 * {@link BatchNorm}.
 *
 * <p><b>Statistics.</b> In training mode each step t is normalised with the statistics of that step's batch, taken
 * over the rows that have step t (a padded row, past its sequence's length, never counts). Each normalisation also
 * keeps population statistics per time step, {@code maxSteps} (T_max) rows of them: a training pass moves row
 * min(t, T_max - 1) of the running mean and variance towards step t's batch mean and unbiased variance,
 * {@code running = (1 - 0.1) running + 0.1 batch} (PyTorch's momentum, 0.1), so steps t &gt;= T_max - 1 share the last
 * row, which takes their statistics one after the other in the order the direction runs. A step with fewer than two
 * valid rows, or a non-finite statistic, leaves the population as it is. Inference mode normalises step t with row
 * min(t, T_max - 1) of the population, and its backward treats those as constants.
 * The position t counts from the first step of the pass ({@link Recurrence#setFirstStep}), for both directions: under
 * truncated BPTT each chunk starts again at 0, and a stream that takes one step per pass sets it to its step count.
 *
 * <p>The cell normalisation needs every row's c_t before any row's h_t, so the LSTM runs its step in three phases
 * with this in between ({@link LstmCell}). Each normalisation is computed column by column, so a step's columns are
 * split over {@link Parallel}'s threads, as the cell's rows are.
 */
final class RecurrenceBatchNorm {
    /** The weight of a batch's statistics in the running ones (PyTorch's default momentum). */
    static final float MOMENTUM = 0.1f;
    /** Columns per unit of work when a step's columns are split over threads (four vectors of a row). */
    private static final int COLUMN_GROUP = 64;
    /** Least values (rows x columns) per thread, as the gate kernels' (a few microseconds of work). */
    private static final int MIN_VALUES_PER_CHUNK = 8192;

    private final Recurrence r;
    final int maxSteps; // T_max: rows of population statistics
    private final Site ih, hh, cell;
    private int firstStep;     // the position of step 0 of the next passes
    private boolean training;  // whether the last forward pass normalised with batch statistics
    private int passFirstStep; // firstStep as the last forward pass read it
    float[] cellGrad = new float[0];   // [B, H] dL/dBN(c_t) of the step being backpropagated
    private int[] rows = new int[0];   // [B] the valid rows of one step
    private float[] mean = new float[0], variance = new float[0]; // [4H] one step's batch statistics
    private float[] meanG = new float[0], meanGx = new float[0];  // [4H] mean_b(dy ⊙ γ), mean_b(dy ⊙ γ ⊙ x̂) of one step

    /** @throws IllegalArgumentException for a GRU or simple RNN, or tensors of the wrong shape */
    RecurrenceBatchNorm(Recurrence r, Normalization.Batch p) {
        this.r = r;
        if (r.cell.type() != CellType.LSTM) {
            throw new IllegalArgumentException("batch normalisation is implemented for the LSTM, not the " + r.cell.type()
                    + " (use layer normalisation)");
        }
        if (p.maxSteps() < 1) throw new IllegalArgumentException("batch normalisation needs at least 1 step of statistics, got " + p.maxSteps());
        this.maxSteps = p.maxSteps();
        this.ih = new Site(r.gateRows, p.ihWeight(), null, p.ihMean(), p.ihVar());
        this.hh = new Site(r.gateRows, p.hhWeight(), null, p.hhMean(), p.hhVar());
        this.cell = new Site(r.hidden, p.cellWeight(), p.cellBias(), p.cellMean(), p.cellVar());
    }

    /** See {@link Recurrence#setFirstStep}. */
    void setFirstStep(int position) {
        if (position < 0) throw new IllegalArgumentException("the first step's position must be at least 0, got " + position);
        firstStep = position;
    }

    /** Sizes the buffers for t steps of b rows (allocating only when they must grow) and fixes the pass's mode. */
    void beginPass(int t, int b, boolean trainingPass) {
        training = trainingPass;
        passFirstStep = firstStep;
        ih.ensure(t, b);
        hh.ensure(t, b);
        cell.ensure(t, b);
        if (cellGrad.length < b * r.hidden) {
            cellGrad = new float[b * r.hidden];
            rows = new int[b];
        }
        if (mean.length < r.gateRows) {
            mean = new float[r.gateRows];
            variance = new float[r.gateRows];
            meanG = new float[r.gateRows];
            meanGx = new float[r.gateRows];
        }
    }

    /**
     * BN(W_ih x) in place in the cache, every step (the projection of all steps is one GEMM before the loop), in the
     * order the direction runs its steps, as its shared population row sees them.
     */
    void normalizeInputProjections() {
        for (int s = 0; s < r.steps; s++) {
            int t = r.reverse ? r.steps - 1 - s : s;
            int count = validRows(t);
            ih.forward(t, rows, count, r.cache, r.cacheOffset(t, 0), r.cacheWidth, r.cache, r.cacheOffset(t, 0), r.cacheWidth);
        }
    }

    /** BN(W_hh h_{t-1}) in place in {@link Recurrence#hh}, for the active rows of step t. */
    void normalizeRecurrent(int t) {
        hh.forward(t, r.activeRows, r.activeCount, r.hh, 0, r.gateRows, r.hh, 0, r.gateRows);
    }

    /** BN(c_t) of the active rows of step t, from the cell states into {@link Recurrence#cellTanh}, which tanh then maps. */
    void normalizeCell(int t) {
        cell.forward(t, r.activeRows, r.activeCount, r.cells, r.stateOffset(t, 0), r.hidden, r.cellTanh, r.cellTanhOffset(t, 0), r.hidden);
    }

    /** Given dL/dBN(c_t) in {@link #cellGrad} for the active rows: adds dL/dc_t through BN_c to {@link Recurrence#dc}. */
    void normalizeCellBackward(int t) {
        cell.backward(t, r.activeRows, r.activeCount, cellGrad, 0, r.hidden, r.dc, 0, r.hidden, true);
    }

    /**
     * After the cell's backward step t: dRecurrent = dL/d(BN(W_hh h) + b_hh), which equals the LSTM's dGates, and
     * through the normalisation dRecurrentRaw = dL/d(W_hh h) for the active rows, before dL/dh_{t-1} = dRecurrentRaw · W_hh.
     */
    void recurrentBackward(int t) {
        for (int k = 0; k < r.activeCount; k++) {
            int at = r.gradOffset(t, r.activeRows[k]);
            System.arraycopy(r.dGates, at, r.dRecurrent, at, r.gateRows);
        }
        hh.backward(t, r.activeRows, r.activeCount, r.dRecurrent, r.gradOffset(t, 0), r.gateRows, r.dRecurrentRaw, r.gradOffset(t, 0),
                r.gateRows, false);
    }

    /** After the backward loop: dGatesRaw = dL/d(W_ih x) through the normalisation, zero on rows past a length. */
    void inputBackwardAfterLoop() {
        for (int t = 0; t < r.steps; t++) {
            int count = validRows(t);
            for (int b = 0; b < r.batch; b++) {
                if (!r.isActive(t, b)) Arrays.fill(r.dGatesRaw, r.gradOffset(t, b), r.gradOffset(t, b) + r.gateRows, 0f);
            }
            ih.backward(t, rows, count, r.dGates, r.gradOffset(t, 0), r.gateRows, r.dGatesRaw, r.gradOffset(t, 0), r.gateRows, false);
        }
    }

    /** Fills {@link #rows} with the rows that have step t and returns how many. */
    private int validRows(int t) {
        int count = 0;
        for (int b = 0; b < r.batch; b++) {
            if (r.isActive(t, b)) rows[count++] = b;
        }
        return count;
    }

    /** Row t of the population statistics: min(position, T_max - 1). */
    private int slot(int t) {
        return (int) Math.min((long) passFirstStep + t, maxSteps - 1);
    }

    /**
     * One normalised quantity (W_ih x, W_hh h or c) over n columns: its gain (and shift), its population statistics,
     * and what the last forward pass kept for backward. Rows are addressed as (array, base, stride): row b at
     * base + b * stride.
     */
    private final class Site {
        final int n;
        final Parameter gain;              // γ [n]
        final Parameter shift;             // β [n], or null (zero)
        final float[] runningMean;         // [T_max, n]
        final float[] runningVar;          // [T_max, n]
        float[] xhat = new float[0];       // [T, B, n] x̂ of the valid rows
        float[] rstd = new float[0];       // [T, n] 1 / sqrt(σ² + ε) of each step

        Site(int n, Parameter gain, Parameter shift, Buffer runningMean, Buffer runningVar) {
            this.n = n;
            this.gain = checkSize(gain, n);
            this.shift = shift == null ? null : checkSize(shift, n);
            this.runningMean = checkSize(runningMean, n);
            this.runningVar = checkSize(runningVar, n);
            this.forwardRange = (from, to) -> forwardColumns(from * COLUMN_GROUP, Math.min(n, to * COLUMN_GROUP));
            this.backwardRange = (from, to) -> backwardColumns(from * COLUMN_GROUP, Math.min(n, to * COLUMN_GROUP));
        }

        private Parameter checkSize(Parameter p, int size) {
            if (p == null) throw new IllegalArgumentException("batch normalisation needs every gain and shift, one is missing");
            if (p.size() != size) throw new IllegalArgumentException(p + " must have " + size + " values, has " + p.size());
            return p;
        }

        private float[] checkSize(Buffer b, int size) {
            if (b == null) throw new IllegalArgumentException("batch normalisation needs every population statistic, one is missing");
            if (b.size() != maxSteps * size) {
                throw new IllegalArgumentException(b + " must have " + maxSteps + " x " + size + " values, has " + b.size());
            }
            return b.value();
        }

        void ensure(int t, int b) {
            if (xhat.length < t * b * n) xhat = new float[t * b * n];
            if (rstd.length < t * n) rstd = new float[t * n];
        }

        // The call being run: its arguments, set by forward or backward, read by the column ranges that Parallel runs
        // (each column is normalised on its own, so the columns split over threads with the same results).
        private int step, count;                    // t, and m: the valid rows rows[0..m)
        private int[] rows;
        private float[] in, out;                    // x and y (forward) or dy and dx (backward), row b at base + b * stride
        private int inBase, inStride, outBase, outStride;
        private boolean accumulate;                 // backward: dx += (true) or dx = (false)
        private final Parallel.RangeBody forwardRange;  // forwardColumns over column groups [from, to)
        private final Parallel.RangeBody backwardRange; // backwardColumns likewise

        private void set(int t, int[] validRows, int m, float[] src, int srcBase, int srcStride, float[] dst, int dstBase, int dstStride) {
            step = t;
            rows = validRows;
            count = m;
            in = src;
            inBase = srcBase;
            inStride = srcStride;
            out = dst;
            outBase = dstBase;
            outStride = dstStride;
        }

        /** Column groups of {@link #COLUMN_GROUP} over the n columns, and the least per thread for m rows. */
        private void splitColumns(Parallel.RangeBody range) {
            int groups = (n + COLUMN_GROUP - 1) / COLUMN_GROUP;
            Parallel.forRange(groups, Math.max(1, MIN_VALUES_PER_CHUNK / (COLUMN_GROUP * count)), range);
        }

        /** y = γ x̂ (+ β) for the m rows {@code rows[0..m)} of step t, from the batch's statistics or the population's. */
        void forward(int t, int[] rows, int m, float[] x, int xBase, int xStride, float[] y, int yBase, int yStride) {
            if (m == 0) return;
            set(t, rows, m, x, xBase, xStride, y, yBase, yStride);
            splitColumns(forwardRange);
        }

        /** {@link #forward} of columns [c0, c1). */
        private void forwardColumns(int c0, int c1) {
            int t = step, m = count, w = c1 - c0, slot = slot(t), batch = r.batch;
            float[] mu, var;
            int statsOff;
            if (training) {
                // μ = mean_b(x), σ² = mean_b((x - μ)²) over the valid rows
                Arrays.fill(mean, c0, c1, 0f);
                Arrays.fill(variance, c0, c1, 0f);
                for (int k = 0; k < m; k++) VectorMath.add(in, inBase + rows[k] * inStride + c0, mean, c0, w);
                BatchNorm.divide(mean, c0, w, m);
                for (int k = 0; k < m; k++) BatchNorm.addSquaredDeviation(in, inBase + rows[k] * inStride + c0, mean, variance, c0, w);
                BatchNorm.divide(variance, c0, w, m);
                updatePopulation(slot, m, c0, c1);
                mu = mean;
                var = variance;
                statsOff = 0;
            } else {
                mu = runningMean;
                var = runningVar;
                statsOff = slot * n;
            }
            for (int j = c0; j < c1; j++) rstd[t * n + j] = (float) (1.0 / Math.sqrt(var[statsOff + j] + BatchNorm.EPS));
            float[] beta = shift == null ? null : shift.value();
            for (int k = 0; k < m; k++) {
                int b = rows[k], at = (t * batch + b) * n + c0;
                BatchNorm.normalize(in, inBase + b * inStride + c0, mu, statsOff + c0, rstd, t * n + c0, xhat, at, w);
                BatchNorm.affine(xhat, at, gain.value(), beta, c0, out, outBase + b * outStride + c0, w);
            }
        }

        /**
         * running = (1 - momentum) running + momentum batch, for row {@code slot} and columns [c0, c1); the variance
         * unbiased, m / (m - 1) σ².
         */
        private void updatePopulation(int slot, int m, int c0, int c1) {
            if (m < 2) return;
            float unbiased = (float) m / (m - 1);
            for (int j = c0; j < c1; j++) {
                float mu = mean[j], var = variance[j] * unbiased;
                if (!Float.isFinite(mu) || !Float.isFinite(var)) continue;
                int at = slot * n + j;
                runningMean[at] = (1f - MOMENTUM) * runningMean[at] + MOMENTUM * mu;
                runningVar[at] = (1f - MOMENTUM) * runningVar[at] + MOMENTUM * var;
            }
        }

        /**
         * dx from dy for the m rows of step t (written, or added when {@code accumulate}); adds dγ (and dβ). dy and dx
         * are addressed like the forward pass's x and y.
         */
        void backward(int t, int[] rows, int m, float[] dy, int dyBase, int dyStride, float[] dx, int dxBase, int dxStride, boolean accumulate) {
            if (m == 0) return;
            set(t, rows, m, dy, dyBase, dyStride, dx, dxBase, dxStride);
            this.accumulate = accumulate;
            splitColumns(backwardRange);
        }

        /** {@link #backward} of columns [c0, c1). */
        private void backwardColumns(int c0, int c1) {
            int t = step, m = count, w = c1 - c0, batch = r.batch;
            float[] gamma = gain.value();
            // dγ = Σ_b dy ⊙ x̂ and dβ = Σ_b dy; mean_b(g) and mean_b(g ⊙ x̂), g = dy ⊙ γ, which training's dx subtracts
            Arrays.fill(meanG, c0, c1, 0f);
            Arrays.fill(meanGx, c0, c1, 0f);
            for (int k = 0; k < m; k++) {
                int b = rows[k], dyAt = inBase + b * inStride + c0;
                BatchNorm.addGradientSums(in, dyAt, gamma, xhat, (t * batch + b) * n + c0, gain.grad(), meanG, meanGx, c0, w);
                if (shift != null) VectorMath.add(in, dyAt, shift.grad(), c0, w);
            }
            BatchNorm.divide(meanG, c0, w, m);
            BatchNorm.divide(meanGx, c0, w, m);
            for (int k = 0; k < m; k++) {
                int b = rows[k];
                BatchNorm.inputGradient(in, inBase + b * inStride + c0, gamma, xhat, (t * batch + b) * n + c0, rstd, t * n + c0,
                        training ? meanG : null, meanGx, c0, out, outBase + b * outStride + c0, accumulate, w);
            }
        }
    }
}
