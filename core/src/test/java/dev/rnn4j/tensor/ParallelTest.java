package dev.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private static final Duration DEADLOCK_TIMEOUT = Duration.ofSeconds(20);
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void coversEveryIndexExactlyOnceInAtMostThreadsChunks() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
                for (int minChunk : new int[] {0, 1, 4, 50}) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
                    Parallel.forRange(n, minChunk, (from, to) -> {
                        chunks.add(new int[] {from, to});
                        for (int i = from; i < to; i++) visits.incrementAndGet(i);
                    });
                    String where = "threads " + threads + ", n " + n + ", minChunk " + minChunk;
                    for (int i = 0; i < n; i++) assertEquals(1, visits.get(i), "index " + i + " with " + where);
                    assertTrue(chunks.size() <= Math.max(1, threads), chunks.size() + " chunks with " + where);
                    if (chunks.size() > 1) {
                        for (int[] chunk : chunks) {
                            assertTrue(chunk[1] - chunk[0] >= minChunk, "short chunk " + chunk[0] + ".." + chunk[1]
                                    + " with " + where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void runsChunksOnTheCallerAndAPoolWorker() {
        Parallel.setThreads(2);
        Set<Thread> runners = ConcurrentHashMap.newKeySet();
        CountDownLatch secondChunkStarted = new CountDownLatch(1);
        Thread caller = assertTimeoutPreemptively(DEADLOCK_TIMEOUT, () -> {
            Parallel.forRange(2, 1, (from, to) -> {
                runners.add(Thread.currentThread());
                if (from == 0) {
                    // The caller's chunk waits for the other one, which therefore has to run on a pool worker.
                    try {
                        assertTrue(secondChunkStarted.await(10, TimeUnit.SECONDS), "no worker ran the second chunk");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                } else {
                    secondChunkStarted.countDown();
                }
            });
            return Thread.currentThread();
        });
        assertEquals(2, runners.size(), "two chunks should run on two threads");
        assertTrue(runners.contains(caller), "the caller runs a chunk itself");
        for (Thread runner : runners) {
            if (runner != caller) assertTrue(runner.isDaemon(), "pool workers are daemons");
        }
    }

    @Test
    void propagatesExceptionsFromWorkerAndCallerChunks() {
        Parallel.setThreads(2);
        IllegalStateException fromWorker = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(10, 1, (from, to) -> {
                    if (from > 0) throw new IllegalStateException("worker chunk " + from);
                }));
        assertEquals("worker chunk 5", fromWorker.getMessage());

        ArithmeticException fromCaller = assertThrows(ArithmeticException.class,
                () -> Parallel.forRange(10, 1, (from, to) -> {
                    if (from == 0) throw new ArithmeticException("caller chunk");
                }));
        assertEquals("caller chunk", fromCaller.getMessage());

        AssertionError error = assertThrows(AssertionError.class,
                () -> Parallel.forRange(10, 1, (from, to) -> {
                    throw new AssertionError("chunk " + from);
                }));
        assertEquals(1, error.getSuppressed().length, "the other chunk's failure is kept as suppressed");
        assertEquals(Set.of("chunk 0", "chunk 5"), Set.of(error.getMessage(), error.getSuppressed()[0].getMessage()));

        // The pool is still usable afterwards.
        AtomicIntegerArray visits = new AtomicIntegerArray(10);
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) visits.incrementAndGet(i);
        });
        for (int i = 0; i < 10; i++) assertEquals(1, visits.get(i));
    }

    @Test
    void nestedCallsRunWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray visits = new AtomicIntegerArray(4 * 100);
        assertTimeoutPreemptively(DEADLOCK_TIMEOUT, () -> Parallel.forRange(4, 1, (outerFrom, outerTo) -> {
            for (int outer = outerFrom; outer < outerTo; outer++) {
                int row = outer;
                Parallel.forRange(100, 1, (from, to) -> {
                    for (int i = from; i < to; i++) visits.incrementAndGet(row * 100 + i);
                });
            }
        }));
        for (int i = 0; i < visits.length(); i++) assertEquals(1, visits.get(i), "index " + i);
    }

    @Test
    void concurrentCallersAllComplete() throws Exception {
        Parallel.setThreads(2);
        int callers = 3, rounds = 300, n = 64;
        AtomicIntegerArray visits = new AtomicIntegerArray(callers * n);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(DEADLOCK_TIMEOUT, () -> {
            Thread[] threads = new Thread[callers];
            for (int t = 0; t < callers; t++) {
                int caller = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int round = 0; round < rounds; round++) {
                            Parallel.forRange(n, 1, (from, to) -> {
                                for (int i = from; i < to; i++) visits.incrementAndGet(caller * n + i);
                            });
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) thread.join();
        });
        assertEquals(List.of(), failures);
        for (int i = 0; i < visits.length(); i++) assertEquals(rounds, visits.get(i), "index " + i);
    }

    @Test
    void rejectsThreadCountsBelowOne() {
        Parallel.setThreads(3);
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(-2));
        assertEquals(3, Parallel.threads(), "a rejected value leaves the count unchanged");
    }

    @Test
    void defaultComesFromTheSystemPropertyOrIsOne() {
        assertEquals(1, Parallel.parseThreads(null));
        assertEquals(4, Parallel.parseThreads(" 4 "));
        assertEquals(1, Parallel.parseThreads("0"));
        assertEquals(1, Parallel.parseThreads("many"));
        assertEquals(Parallel.parseThreads(System.getProperty("rnn4j.threads")), Parallel.defaultThreads());
    }

    @Test
    void rejectsNullBody() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Parallel.forRange(3, 1, null));
        assertNotNull(e.getMessage());
    }
}
