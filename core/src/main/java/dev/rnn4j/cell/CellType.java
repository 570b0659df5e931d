package dev.rnn4j.cell;

/** The three recurrent cells, with the number of gate blocks each projects its input into. */
public enum CellType {
    /** Long short-term memory: gates i, f, g, o and a cell state c. */
    LSTM(4, true),
    /** Gated recurrent unit: gates r, z, n. */
    GRU(3, false),
    /** Simple (Elman) RNN: one block. */
    RNN(1, false);

    private final int gateCount;
    private final boolean hasCellState;

    CellType(int gateCount, boolean hasCellState) {
        this.gateCount = gateCount;
        this.hasCellState = hasCellState;
    }

    /** G: W_ih is [G*H, I] and W_hh is [G*H, H]. */
    public int gateCount() {
        return gateCount;
    }

    /** True for the LSTM, whose state is (h, c); the others carry only h. */
    public boolean hasCellState() {
        return hasCellState;
    }
}
