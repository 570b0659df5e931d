package dev.rnn4j.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared worker pool of rnn4j's kernels.
 *
 * <p>A recurrent step's GEMMs take tens of microseconds, so dispatch must cost about one: workers are
 * long-lived daemon threads that spin briefly after a loop (the next one usually follows within
 * microseconds) and then park. A loop allocates nothing: the pool has one loop record, reused, whose claims carry
 * a generation number, so a worker that wakes late cannot claim a chunk of a later loop by mistake.
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
    /** The one loop the pool runs at a time (its owner holds {@link #BUSY}), reused by every loop. */
    private static final Loop LOOP = new Loop();

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
        Loop loop = LOOP;
        long generation = loop.begin(body, n, chunks);
        Throwable failure;
        try {
            startWorkers(chunks - 1);
            for (int w = 0; w < chunks - 1; w++) workers[w].offer(generation);
            loop.runChunk(0, chunks);
            loop.runClaimedChunks(generation);
            loop.awaitChunks();
        } finally {
            failure = loop.end();
            BUSY.set(false);
        }
        rethrow(failure);
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new RuntimeException(t); // a checked exception thrown sneakily
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

    /**
     * The pool's loop record. Each loop is a generation: {@link #claims} packs (generation, chunk count, next chunk)
     * into one long, so a claim succeeds only within the generation it read, and the fields a claimed chunk reads
     * ({@link #body}, {@link #n}) cannot change before that chunk has ended, because the next generation begins only
     * when every chunk of this one has.
     */
    private static final class Loop {
        private static final VarHandle CLAIMS, UNFINISHED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CLAIMS = lookup.findVarHandle(Loop.class, "claims", long.class);
                UNFINISHED = lookup.findVarHandle(Loop.class, "unfinished", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private RangeBody body;
        private int n;
        private Thread caller;
        private long generation;
        /** generation &lt;&lt; 32 | chunks &lt;&lt; 16 | next chunk to claim; chunk 0 is the caller's from the start. */
        @SuppressWarnings("unused") // through CLAIMS
        private volatile long claims;
        /** Chunks not yet finished; the thread that brings it to zero wakes a parked caller. */
        private volatile int unfinished;
        private volatile boolean callerParked;
        /** The first failure, with later ones suppressed into it; guarded by this. */
        private Throwable failure;

        /** Starts the next generation (the caller holds BUSY, and the last generation has ended) and returns it. */
        long begin(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.caller = Thread.currentThread();
            this.callerParked = false;
            synchronized (this) {
                failure = null;
            }
            unfinished = chunks;
            generation++;
            claims = generation << 32 | (long) chunks << 16 | 1; // publishes the fields above to claimers
            return generation;
        }

        /** Ends the generation: drops the body, so that it is not kept alive, and returns the failure, if any. */
        Throwable end() {
            body = null;
            synchronized (this) {
                return failure;
            }
        }

        /** Runs chunks of {@code generation} nobody has claimed yet, until none are left or a later generation began. */
        void runClaimedChunks(long generation) {
            while (true) {
                long state = (long) CLAIMS.getVolatile(this);
                int chunks = (int) (state >>> 16) & 0xFFFF, next = (int) state & 0xFFFF;
                if (state >>> 32 != generation || next >= chunks) return;
                if (CLAIMS.compareAndSet(this, state, state + 1)) runChunk(next, chunks);
            }
        }

        void runChunk(int chunk, int chunks) {
            try {
                body.run((int) ((long) n * chunk / chunks), (int) ((long) n * (chunk + 1) / chunks));
            } catch (Throwable t) {
                synchronized (this) {
                    if (failure == null) failure = t;
                    else failure.addSuppressed(t);
                }
            }
            // A late read of callerParked may see a later generation's: at worst a spurious unpark, which park allows.
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
    }

    /** A pool thread. It helps with the latest generation of the loop offered to it; older ones are over by then. */
    private static final class Worker extends Thread {
        /** The latest generation offered, or 0 before the first. */
        private volatile long offered;
        private volatile boolean parked;

        Worker(int index) {
            super("rnn4j-worker-" + index);
            setDaemon(true);
        }

        void offer(long generation) {
            offered = generation;
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = awaitOffer(seen);
                LOOP.runClaimedChunks(seen);
            }
        }

        /** Waits for a generation after {@code seen} and returns it. */
        private long awaitOffer(long seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            for (int spins = 0; offered == seen; spins++) {
                if ((spins & 0xFF) == 0 && System.nanoTime() > spinUntil) {
                    // Set the flag before the last check: either offer() sees it and unparks, or we see the offer.
                    parked = true;
                    while (offered == seen) LockSupport.park(this);
                    parked = false;
                    break;
                }
                Thread.onSpinWait();
            }
            return offered;
        }
    }
}
