package dev.rnn4j.cell;

import java.util.Arrays;
import java.util.List;

/**
 * The gates of the LSTM and the GRU, by their place in the gate blocks of W_ih and W_hh (PyTorch's order: i, f, g, o
 * and r, z, n). {@link #sigmoid()} gates open and close (values in (0, 1)); the candidates are tanh values.
 */
public enum Gate {
    INPUT(CellType.LSTM, 0, "input", true),
    FORGET(CellType.LSTM, 1, "forget", true),
    CANDIDATE(CellType.LSTM, 2, "candidate", false),
    OUTPUT(CellType.LSTM, 3, "output", true),
    RESET(CellType.GRU, 0, "reset", true),
    UPDATE(CellType.GRU, 1, "update", true),
    NEW(CellType.GRU, 2, "new", false);

    private final CellType cell;
    private final int block;
    private final String id;
    private final boolean sigmoid;

    Gate(CellType cell, int block, String id, boolean sigmoid) {
        this.cell = cell;
        this.block = block;
        this.id = id;
        this.sigmoid = sigmoid;
    }

    public CellType cell() {
        return cell;
    }

    /** Its block of H rows in the cell's gate pre-activations. */
    public int block() {
        return block;
    }

    /** Its name in lower case, as logs and reports write it. */
    public String id() {
        return id;
    }

    /** True for gates whose values are a sigmoid's (they saturate towards 0 and 1). */
    public boolean sigmoid() {
        return sigmoid;
    }

    /** The gates of a cell in block order; none for the simple RNN. */
    public static List<Gate> of(CellType cell) {
        return Arrays.stream(values()).filter(g -> g.cell == cell).toList();
    }
}
