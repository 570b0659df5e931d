package dev.rnn4j.cell;

import dev.rnn4j.tensor.Parallel;

/**
 * A step's active rows split over the threads of {@link Parallel}: how a {@link Recurrence} runs its cell's kernels.
 * Allocates nothing per call: the chunk body is one field, the kernel and step are read from this object.
 */
final class RowSplit {
    /** A cell's work on the active rows {@code activeRows[from..to)} of step t; rows are independent. */
    @FunctionalInterface
    interface RowKernel {
        void run(Recurrence r, int t, int from, int to);
    }

    /** One pass of a cell's kernel over row b of step t. */
    @FunctionalInterface
    interface RowPass {
        void run(Recurrence r, int t, int b);
    }

    /** Least gate values per chunk of rows worth a thread (a few microseconds of kernel work). */
    static final int MIN_GATE_VALUES_PER_CHUNK = 4096;

    /**
     * Runs a row's passes one after another. Every cell's passes are called through this one call site, which sees
     * many of them, so C2 compiles each pass on its own instead of inlining a kernel's passes into one unit: past
     * about 18,000 IR nodes a unit stops inlining, and the vectors that then cross a call are boxed on the heap (an
     * LSTM's backward rows did: gigabytes per minute of garbage under Spark).
     */
    private static final RowKernel PASSES = (r, t, from, to) -> {
        RowPass[] passes = r.rowSplit.passes;
        for (int k = from; k < to; k++) {
            int b = r.activeRows[k];
            for (RowPass pass : passes) pass.run(r, t, b);
        }
    };

    private final Recurrence recurrence;
    private int step;             // the step being run, read by the chunks
    private RowKernel kernel;     // the kernel being run
    private RowPass[] passes;     // the passes PASSES is running
    private final Parallel.RangeBody chunk;

    RowSplit(Recurrence recurrence) {
        this.recurrence = recurrence;
        this.chunk = (from, to) -> kernel.run(this.recurrence, step, from, to);
    }

    /** Runs {@code kernel} over the active rows of step t, at least {@code minRows} rows per thread. */
    void run(int t, RowKernel kernel, int minRows) {
        step = t;
        this.kernel = kernel;
        Parallel.forRange(recurrence.activeCount, minRows, chunk);
    }

    /** Runs {@code passes} one after another on each active row of step t, split as {@link #run(int, RowKernel, int)}. */
    void run(int t, RowPass[] passes, int minRows) {
        this.passes = passes;
        run(t, PASSES, minRows);
    }
}
