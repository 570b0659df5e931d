package dev.rnn4j.layer;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Checks that the hot paths do not allocate: in a steady state a streaming step allocates nothing, a pass little. */
final class AllocationAssertions {
    private static final long PATIENCE_NANOS = 20_000_000_000L;

    private AllocationAssertions() {}

    /** A streaming step: 20,000 calls of warm-up, then windows of 1000 calls until one allocates no byte. */
    static void assertStepsAllocateNothing(Runnable step, String what) {
        assertAllocationWithin(step, 20_000, 1000, 0, what);
    }

    /**
     * A whole forward and backward pass, whose few small objects (result records, views) are allowed up to
     * {@code bytesPerPass}, while a boxed kernel would allocate kilobytes per row and step: 1000 passes of warm-up
     * (each runs the kernels once per step), then windows of 200.
     */
    static void assertPassesAllocateAtMost(Runnable pass, long bytesPerPass, String what) {
        assertAllocationWithin(pass, 1000, 200, bytesPerPass, what);
    }

    /**
     * Runs {@code step} to warm up, then in windows until one window allocates at most {@code bytesPerStep} per call on
     * this thread. Fails if none does within 20 s, listing what each window allocated. The patience is for the JIT:
     * within a whole test suite its queue can still hold the kernels' optimised compilation after the warm-up, and
     * until then the Vector API is boxed on the heap. An allocation made by the code itself repeats in every window.
     */
    private static void assertAllocationWithin(Runnable step, int warmUpSteps, int windowSteps, long bytesPerStep, String what) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < warmUpSteps; i++) step.run();
        List<Long> allocatedByWindow = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        do {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < windowSteps; i++) step.run();
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (allocated <= bytesPerStep * windowSteps) return;
            allocatedByWindow.add(allocated);
        } while (System.nanoTime() < deadline);
        fail(what + ": bytes allocated by each window of " + windowSteps + " calls, none within " + bytesPerStep
                + " per call: " + allocatedByWindow);
    }
}
