package dev.rnn4j.cell;

/**
 * What a {@link RecurrenceObserver} reads of a {@link Recurrence}'s last pass: its shape and mode, the gates, hidden
 * and cell states of every step and row (after a forward pass) and ||dL/dh_t|| (after a backward pass). Valid until
 * the recurrence's next pass; reading copies and changes nothing.
 */
public final class RecurrencePass {
    private final Recurrence r;

    RecurrencePass(Recurrence r) {
        this.r = r;
    }

    public CellType cellType() {
        return r.cell.type();
    }

    /** T of the last forward pass. */
    public int steps() {
        return r.steps;
    }

    /** B of the last forward pass. */
    public int batch() {
        return r.batch;
    }

    public int hiddenSize() {
        return r.hidden;
    }

    /** Whether the last forward pass ran in training mode (dropout and zoneout masks drawn). */
    public boolean training() {
        return r.lastPassTraining();
    }

    /** Whether row b had step t in the last forward pass (it is shorter otherwise, and its values there are not its own). */
    public boolean hasStep(int t, int b) {
        return r.isActive(t, b);
    }

    /**
     * Copies the H values of a gate at step t of row b into {@code dst[off..off+H)}: the gate's activation as the
     * cell used it (after layer normalisation and the nonlinearity).
     *
     * @throws IllegalArgumentException for a gate of another cell
     */
    public void gateValues(Gate gate, int t, int b, float[] dst, int off) {
        if (gate.cell() != r.cell.type()) throw new IllegalArgumentException("a " + r.cell.type() + " has no " + gate.id() + " gate");
        checkStep(t, b);
        System.arraycopy(r.cache, r.cacheOffset(t, b) + gate.block() * r.hidden, dst, off, r.hidden);
    }

    /** Copies h_t of row b into {@code dst[off..off+H)}. */
    public void hiddenState(int t, int b, float[] dst, int off) {
        checkStep(t, b);
        System.arraycopy(r.states, r.stateOffset(t, b), dst, off, r.hidden);
    }

    /** Copies c_t of row b (LSTM) into {@code dst[off..off+H)}. */
    public void cellState(int t, int b, float[] dst, int off) {
        if (!r.cell.type().hasCellState()) throw new IllegalArgumentException("a " + r.cell.type() + " has no cell state");
        checkStep(t, b);
        System.arraycopy(r.cells, r.stateOffset(t, b), dst, off, r.hidden);
    }

    /** ||dL/dh_t|| over the batch for t = 0..T-1, from the last backward pass (see {@link Recurrence#gradientNormsByStep}). */
    public double[] gradientNormsByStep() {
        return r.gradientNormsByStep();
    }

    private void checkStep(int t, int b) {
        if (t < 0 || t >= r.steps || b < 0 || b >= r.batch) {
            throw new IndexOutOfBoundsException("step " + t + " of row " + b + " outside the last pass's [T=" + r.steps + ", B=" + r.batch + "]");
        }
    }
}
