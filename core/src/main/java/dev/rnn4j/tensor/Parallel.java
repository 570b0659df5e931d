package dev.rnn4j.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared worker pool of rnn4j's kernels.
 *
 * <p>A recurrent step's GEMMs take tens of microseconds, so dispatch must cost about one: workers are
 * long-lived daemon threads that spin briefly after a loop (the next one usually follows within
 * microseconds) and then park. A loop costs one small object, no tasks or futures.
 *
 * <p>Chunks are claimed, not assigned: the caller runs the first chunk and then claims any chunk no worker has
 * started, so a worker that the operating system has not scheduled yet (a busy machine) delays nothing.
 *
 * <p>One loop uses the pool at a time. A call made while the pool is busy, including a nested call from
 * inside a chunk, runs its whole range on the calling thread, so nesting never deadlocks.
 *
 * <p>The thread count starts at the system property {@code rnn4j.threads} (read once, when this class is
 * initialised), or 1 if it is unset or not a positive integer.
 */
public final class Parallel {
    /** How long an idle worker, or a caller waiting for a chunk to end, spins before parking. */
    private static final long SPIN_NANOS = 50_000;

    private static final int DEFAULT_THREADS = parseThreads(System.getProperty("rnn4j.threads"));
    private static volatile int threads = DEFAULT_THREADS;

    /** Held by the one caller whose loop owns the workers; {@link #workers} is touched only by it. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** [up to threads - 1] pool threads, created when a loop first needs them. */
    private static Worker[] workers = new Worker[0];

    private Parallel() {}

    /** Number of threads kernels may use (the caller's thread counts as one). */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads kernels may use, the caller's included. Workers are started lazily, when a
     * loop first needs them.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        threads = n;
    }

    /** A body run over a sub-range [from, to) of a parallel loop. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@link #threads()} contiguous chunks, each at least
     * {@code minChunk} long (a single chunk when n &lt; 2 * minChunk), and returns when all have finished.
     * Every index is covered exactly once. The caller runs the first chunk, and any chunk that pool workers
     * have not started by the time it is done. If chunks throw, one exception is rethrown here after all
     * chunks have ended, with the others added as suppressed. Does nothing when {@code n <= 0}.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        Objects.requireNonNull(body, "body");
        if (n <= 0) return;
        int chunks = Math.min(threads, n / Math.max(1, minChunk));
        if (chunks <= 1 || !BUSY.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        Loop loop = new Loop(body, n, chunks);
        try {
            startWorkers(chunks - 1);
            for (int w = 0; w < chunks - 1; w++) workers[w].offer(loop);
            loop.runChunk(0);
            loop.runClaimedChunks();
            loop.awaitChunks();
        } finally {
            BUSY.set(false);
        }
        loop.rethrowFailure();
    }

    private static void startWorkers(int count) {
        if (workers.length >= count) return;
        Worker[] grown = Arrays.copyOf(workers, count);
        for (int w = workers.length; w < count; w++) {
            grown[w] = new Worker(w + 1);
            grown[w].start();
        }
        workers = grown;
    }

    /** The default thread count for a value of {@code rnn4j.threads}: 1 unless it is a positive integer. */
    static int parseThreads(String value) {
        if (value == null) return 1;
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The thread count this class started with. */
    static int defaultThreads() {
        return DEFAULT_THREADS;
    }

    /** One parallel loop: its chunks, which are claimed in order, and how many are still running. */
    private static final class Loop {
        private static final VarHandle NEXT_CHUNK, UNFINISHED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                NEXT_CHUNK = lookup.findVarHandle(Loop.class, "nextChunk", int.class);
                UNFINISHED = lookup.findVarHandle(Loop.class, "unfinished", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final RangeBody body;
        private final int n, chunks;
        private final Thread caller = Thread.currentThread();
        /** The next chunk to claim; chunk 0 is the caller's from the start. */
        @SuppressWarnings("unused") // through NEXT_CHUNK
        private volatile int nextChunk = 1;
        /** Chunks not yet finished; the thread that brings it to zero wakes a parked caller. */
        private volatile int unfinished;
        private volatile boolean callerParked;
        /** The first failure, with later ones suppressed into it; guarded by this. */
        private Throwable failure;

        Loop(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.unfinished = chunks;
        }

        /** Runs chunks nobody has claimed yet, until none are left. */
        void runClaimedChunks() {
            for (int chunk; (chunk = (int) NEXT_CHUNK.getAndAdd(this, 1)) < chunks; ) runChunk(chunk);
        }

        void runChunk(int chunk) {
            try {
                body.run((int) ((long) n * chunk / chunks), (int) ((long) n * (chunk + 1) / chunks));
            } catch (Throwable t) {
                synchronized (this) {
                    if (failure == null) failure = t;
                    else failure.addSuppressed(t);
                }
            }
            if ((int) UNFINISHED.getAndAdd(this, -1) == 1 && callerParked) LockSupport.unpark(caller);
        }

        /** Called by the caller once it finds nothing left to claim. */
        void awaitChunks() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            for (int spins = 0; unfinished != 0; spins++) {
                if ((spins & 0xFF) == 0 && System.nanoTime() > spinUntil) {
                    // Set the flag before the last check: either the finishing worker sees it, or we see zero.
                    callerParked = true;
                    while (unfinished != 0) LockSupport.park(this);
                    return;
                }
                Thread.onSpinWait();
            }
        }

        void rethrowFailure() {
            Throwable t;
            synchronized (this) {
                t = failure;
            }
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t); // a checked exception thrown sneakily
        }
    }

    /** A pool thread. It runs whatever loop was last offered to it; older loops are finished by then. */
    private static final class Worker extends Thread {
        /** The loop to help with, or null; cleared after the loop so its body is not kept alive. */
        private final AtomicReference<Loop> mailbox = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("rnn4j-worker-" + index);
            setDaemon(true);
        }

        void offer(Loop loop) {
            mailbox.set(loop);
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Loop loop = awaitOffer();
                loop.runClaimedChunks();
                mailbox.compareAndSet(loop, null); // fails if a newer loop is already waiting
            }
        }

        private Loop awaitOffer() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            for (int spins = 0; mailbox.get() == null; spins++) {
                if ((spins & 0xFF) == 0 && System.nanoTime() > spinUntil) {
                    // Set the flag before the last check: either offer() sees it and unparks, or we see the loop.
                    parked = true;
                    while (mailbox.get() == null) LockSupport.park(this);
                    parked = false;
                    break;
                }
                Thread.onSpinWait();
            }
            return mailbox.get();
        }
    }
}
