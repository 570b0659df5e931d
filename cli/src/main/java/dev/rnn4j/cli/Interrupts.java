package dev.rnn4j.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Ctrl-C during a long command: the first asks it to stop cleanly (after the step in progress, so that the model
 * and any checkpoint are whole), a second exits at once with 130. Installed for the length of a try-with-resources
 * block; closing it puts back the handler that was there before (the JVM's, which exits).
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported): the JDK's only way to hear SIGINT without ending the
 * process. Where it is not available (or -Xrs), nothing is installed and Ctrl-C ends the JVM as usual.
 */
final class Interrupts implements AutoCloseable {
    static final String FIRST_MESSAGE = "interrupted: finishing the current step... (Ctrl-C again to quit at once)";

    private final Runnable stop;
    private final PrintWriter err;
    private final IntConsumer halt;
    private final AtomicInteger count = new AtomicInteger();
    private SignalHandler previous;

    Interrupts(Runnable stop, PrintWriter err, IntConsumer halt) {
        this.stop = stop;
        this.err = err;
        this.halt = halt;
    }

    /**
     * Installs the SIGINT handler.
     *
     * @param stop called on the first Ctrl-C, on the signal's thread (e.g. a run's {@code stop()}, which is thread-safe)
     * @param err  where the message goes
     */
    static Interrupts install(Runnable stop, PrintWriter err) {
        Interrupts interrupts = new Interrupts(stop, err, code -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        });
        try {
            interrupts.previous = Signal.handle(new Signal("INT"), signal -> interrupts.interrupted());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no SIGINT here (Windows without a console, -Xrs, a JVM without jdk.unsupported): Ctrl-C just ends the JVM
        }
        return interrupts;
    }

    /** What a Ctrl-C does; package-private so tests can signal without a signal. */
    void interrupted() {
        if (count.incrementAndGet() == 1) {
            err.println();
            err.println(FIRST_MESSAGE);
            err.flush();
            stop.run();
        } else {
            err.flush();
            halt.accept(Main.INTERRUPTED);
        }
    }

    /** Whether Ctrl-C was pressed while installed. */
    boolean wasInterrupted() {
        return count.get() > 0;
    }

    @Override
    public void close() {
        if (previous != null) {
            try {
                Signal.handle(new Signal("INT"), previous);
            } catch (IllegalArgumentException e) {
                // it was installed, so it can be put back; nothing else to do if not
            }
            previous = null;
        }
    }
}
