package dev.rnn4j.layer;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Checks of the streaming contract: in a steady state a step allocates nothing. */
final class AllocationAssertions {
    private static final int WARM_UP_STEPS = 20_000;
    private static final int WINDOW_STEPS = 1000;
    private static final long PATIENCE_NANOS = 20_000_000_000L;

    private AllocationAssertions() {}

    /**
     * Runs {@code step} to warm up, then in windows of 1000 calls until one window allocates no byte on this thread.
     * Fails if none does within 20 s, listing what each window allocated. The patience is for the JIT: within a whole
     * test suite its queue can still hold the kernels' optimised compilation after the warm-up, and until then the
     * Vector API is boxed on the heap. An allocation made by the step itself repeats in every window and fails.
     */
    static void assertStepsAllocateNothing(Runnable step, String what) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < WARM_UP_STEPS; i++) step.run();
        List<Long> allocatedByWindow = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        do {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < WINDOW_STEPS; i++) step.run();
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (allocated == 0) return;
            allocatedByWindow.add(allocated);
        } while (System.nanoTime() < deadline);
        fail(what + ": bytes allocated by each window of " + WINDOW_STEPS + " steps, none without: " + allocatedByWindow);
    }
}
