package dev.rnn4j.cell;

/**
 * One step of a recurrent cell, forward and backward, over the rows of a batch. The time loop, the input
 * projection, the recurrent GEMM and the weight gradients live in {@link Recurrence}, shared by every cell;
 * a cell supplies only its fused gate kernel, which reads like its equations.
 *
 * <p>Contract with {@link Recurrence} at step t, for each active row b (a row whose sequence has step t):
 * <ul>
 *   <li>forward: {@code cache[t, b, 0:G*H]} holds W_ih x_t (no bias) and {@code hh[b, 0:P*H]} holds W_hh h_{t-1}
 *       (no bias) for the first P = {@link #projectedGates} gate blocks. The cell writes h_t (and c_t) and
 *       overwrites the cache row with what its backward step needs.</li>
 *   <li>backward: {@code dh[b]} holds dL/dh_t, {@code dc[b]} dL/dc_t. The cell writes dL/d(W_ih x_t + b_ih) into
 *       {@code dGates[t, b]}, dL/d(W_hh h_{t-1} + b_hh) into {@code dRecurrent[t, b]} (the same array unless
 *       {@link #separateRecurrentGradient}), and the part of dL/dh_{t-1} that does not pass through W_hh into
 *       {@code dhPrev[b]} (and dL/dc_{t-1} into {@code dcPrev[b]}). The recurrence adds dRecurrent · W_hh.</li>
 * </ul>
 * With regularisation (see {@link Recurrence}) the contract stays the same from the cell's point of view:
 * <ul>
 *   <li>Layer normalisation: the cache and {@code hh} already hold LN(W_ih x) and LN(W_hh h), so "W_ih x" and
 *       "W_hh h" above read as their normalised values, and dGates / dRecurrent are gradients with respect to
 *       LN(...) + b. The recurrence then keeps dRecurrent apart from dGates (copying dGates' projected columns into
 *       it after the step for cells that do not {@link #separateRecurrentGradient separate} them) and passes both
 *       through the normalisation backward (into dGatesRaw, dRecurrentRaw) before the weight GEMMs. Cells that
 *       multiply W_hh themselves (reset-before GRU) normalise and backpropagate that segment themselves.</li>
 *   <li>Batch normalisation (LSTM only): the same for BN(W_ih x) and BN(W_hh h), whose statistics span the rows of a
 *       step; so the LSTM, whose cell is normalised too, splits its step into row kernels around
 *       {@link RecurrenceBatchNorm}'s normalisation of c (see {@link LstmCell}).</li>
 *   <li>Recurrent dropout: where a cell reads h_{t-1} as W_hh's input it uses {@link Recurrence#recurrentInputArray()}.</li>
 *   <li>Zoneout: the recurrence mixes h_t (and c_t) with the previous state after {@link #forwardStep}, and gives
 *       {@link #backwardStep} only the share of dh (dc) that reaches the cell's own output; the LSTM reads
 *       tanh of its pre-zoneout c_t as its forward step kept it ({@code Recurrence.cellTanh}).</li>
 * </ul>
 */
public sealed interface Cell permits LstmCell, GruCell, SimpleRnnCell {

    CellType type();

    /** Floats kept per (step, row) for the backward pass; at least G*H, since the input projection lands there. */
    int cacheWidth(int hidden);

    /** P: leading gate blocks whose W_hh product the recurrence computes before {@link #forwardStep}. */
    default int projectedGates() {
        return type().gateCount();
    }

    /** True when dL/d(W_hh h) differs from dL/d(W_ih x), so the recurrence keeps a second gradient buffer. */
    default boolean separateRecurrentGradient() {
        return false;
    }

    /** Computes step t for the active rows. */
    void forwardStep(Recurrence r, int t);

    /** Backpropagates step t for the active rows. */
    void backwardStep(Recurrence r, int t);

    /** Adds weight gradients that the shared dW_hh GEMM does not cover (none for most cells). */
    default void accumulateExtraWeightGradients(Recurrence r) {}

    /** The cell for a configuration. */
    static Cell of(CellType type, Nonlinearity nonlinearity, GruVariant gruVariant) {
        return switch (type) {
            case LSTM -> new LstmCell();
            case GRU -> new GruCell(gruVariant);
            case RNN -> new SimpleRnnCell(nonlinearity);
        };
    }
}
