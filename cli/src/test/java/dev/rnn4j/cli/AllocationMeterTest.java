package dev.rnn4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The measuring of {@code rnn4j bench}'s {@code alloc_bytes_per_step}: {@link BenchCommand#timeSteps} with an
 * {@link AllocationMeter}, on dummy workloads that allocate a known amount, on the calling thread or on another one (as
 * the kernels' pool workers do), or nothing. Nothing here measures speed.
 */
class AllocationMeterTest {
    private static final int PAYLOAD = 64 * 1024;
    /** Keeps each allocation reachable, so that escape analysis cannot remove it. */
    static volatile Object sink;

    private static Thread helper;
    private static final Semaphore GO = new Semaphore(0), DONE = new Semaphore(0);

    /** A thread that allocates PAYLOAD bytes each time it is released, like a pool worker running its chunk. */
    @BeforeAll
    static void startHelper() {
        helper = new Thread(() -> {
            try {
                while (true) {
                    GO.acquire();
                    sink = new byte[PAYLOAD];
                    DONE.release();
                }
            } catch (InterruptedException e) {
                // the end of the test class
            }
        }, "allocating-helper");
        helper.setDaemon(true);
        helper.start();
    }

    @AfterAll
    static void stopHelper() {
        helper.interrupt();
    }

    private static AllocationMeter meter() {
        AllocationMeter meter = AllocationMeter.create();
        assertNotNull(meter, "this JVM (HotSpot 25) counts allocated bytes per thread");
        return meter;
    }

    @Test
    void countsEveryThreadOnJdk25() {
        assertEquals("all threads", meter().scope());
    }

    @Test
    void anAllocatingStepOnTheCallingThreadIsDetected() {
        BenchCommand.Timed timed = BenchCommand.timeSteps(() -> sink = new byte[PAYLOAD], 50, 1, meter());
        assertEquals(50, timed.nanos().length);
        assertEquals(50, timed.allocation().units());
        double perStep = timed.allocation().bytesPerStep();
        assertTrue(perStep >= PAYLOAD, "a step allocating " + PAYLOAD + " bytes measured " + perStep);
        assertTrue(perStep < 2 * PAYLOAD, "a step allocating " + PAYLOAD + " bytes measured " + perStep);
    }

    @Test
    void anAllocationOnAnotherThreadCountsToo() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BenchCommand.Step handOff = () -> {
            GO.release();
            DONE.acquireUninterruptibly();
        };
        long callerBefore = threads.getCurrentThreadAllocatedBytes();
        BenchCommand.Timed timed = BenchCommand.timeSteps(handOff, 50, 1, meter());
        double callerPerStep = (threads.getCurrentThreadAllocatedBytes() - callerBefore) / 50.0;
        double perStep = timed.allocation().bytesPerStep();
        assertTrue(perStep >= PAYLOAD, "the helper thread's " + PAYLOAD + " bytes per step, measured " + perStep);
        // the calling thread alone would have missed them
        assertTrue(callerPerStep < PAYLOAD / 4.0, "the caller allocated " + callerPerStep + " per step itself");
    }

    @Test
    void aStreamingRepetitionIsDividedIntoItsCalls() {
        // one step of 1000 calls allocating 1000 x 1 KB: about 1 KB per call
        BenchCommand.Step thousandCalls = () -> {
            for (int i = 0; i < 1000; i++) sink = new byte[1024];
        };
        BenchCommand.Timed timed = BenchCommand.timeSteps(thousandCalls, 5, 1000, meter());
        assertEquals(5000, timed.allocation().units());
        double perCall = timed.allocation().bytesPerStep();
        assertTrue(perCall >= 1024 && perCall < 2048, "1 KB per call, measured " + perCall);
    }

    /**
     * A step that allocates nothing measures below the report's flag (64 bytes per step) over a window of many steps:
     * the JVM's other threads add next to nothing. Windows are retried for the JIT (an interpreted first window may
     * allocate in the runtime), and the test fails only if none stays under.
     */
    @Test
    void aStepThatAllocatesNothingStaysBelowTheFlag() {
        int[] data = new int[256];
        int[] sum = new int[1];
        BenchCommand.Step quiet = () -> {
            int s = 0;
            for (int v : data) s += v;
            sum[0] += s;
        };
        AllocationMeter meter = meter();
        List<Double> windows = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            double perStep = BenchCommand.timeSteps(quiet, 20_000, 1, meter).allocation().bytesPerStep();
            if (perStep < 64) return;
            windows.add(perStep);
        } while (System.nanoTime() < deadline);
        fail("bytes per step of each window of 20,000 steps that allocate nothing: " + windows);
    }

    @Test
    void withoutAMeterThereIsNoAllocation() {
        BenchCommand.Timed timed = BenchCommand.timeSteps(() -> sink = new byte[16], 3, 1, null);
        assertEquals(3, timed.nanos().length);
        assertEquals(null, timed.allocation());
    }
}
