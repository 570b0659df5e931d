package dev.rnn4j.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Bytes allocated on the Java heap by every thread of this JVM, from HotSpot's per-thread allocation counters
 * ({@link com.sun.management.ThreadMXBean}): for {@code rnn4j bench}'s {@code alloc_bytes_per_step}.
 *
 * <p>All threads, not only the caller's: rnn4j's kernels run on the calling thread and on the pool workers of
 * {@link dev.rnn4j.tensor.Parallel} ({@code rnn4j-worker-N}; nothing else in core starts threads), and an object a
 * worker allocates is as much the step's as one the caller does. {@link com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes()}
 * (JDK 21+) sums every live thread's counter and those of the threads that have ended; where it is not available the
 * counters of the live threads are summed instead ({@link #scope()} says which).
 *
 * <p>The JVM's other threads (reference handler, cleaner, JIT compiler threads, ...) count too; they allocate next to
 * nothing on the heap while a benchmark runs, and over a window of many steps their share per step is far below the
 * threshold the grid report flags (bench/grid_report.py). Reading the total allocates nothing on the Java heap (the
 * fallback allocates its arrays of thread ids, a few hundred bytes per reading).
 */
final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;
    private final boolean total;

    private AllocationMeter(com.sun.management.ThreadMXBean threads, boolean total) {
        this.threads = threads;
        this.total = total;
    }

    /** A meter over all threads, or null where the JVM does not count allocated bytes per thread. */
    static AllocationMeter create() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) return null;
        try {
            if (!threads.isThreadAllocatedMemorySupported()) return null;
            if (!threads.isThreadAllocatedMemoryEnabled()) threads.setThreadAllocatedMemoryEnabled(true);
        } catch (UnsupportedOperationException | SecurityException e) {
            return null;
        }
        boolean total;
        try {
            total = threads.getTotalThreadAllocatedBytes() >= 0;
        } catch (UnsupportedOperationException e) {
            total = false;
        }
        return new AllocationMeter(threads, total);
    }

    /** What {@link #allocatedBytes()} counts, for the JSON: "all threads" or "live threads". */
    String scope() {
        return total ? "all threads" : "live threads";
    }

    /**
     * The bytes allocated so far by all threads (or, see {@link #scope()}, by the threads alive now); the difference
     * of two readings is what was allocated in between. An approximation: a thread's counter includes its current
     * TLAB's used part, read without stopping it.
     */
    long allocatedBytes() {
        if (total) return threads.getTotalThreadAllocatedBytes();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) sum += bytes; // -1: the thread ended in between
        }
        return sum;
    }

    /** Bytes per unit of work between two readings, never negative (the counters are read without a lock). */
    static double perUnit(long before, long after, double units) {
        return Math.max(0, after - before) / units;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AllocationMeter[%s]", scope());
    }
}
