package dev.rnn4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C without a signal: what the first and the second do. The real signal is tested in TrainInterruptProcessTest. */
class InterruptsTest {

    @Test
    void theFirstCtrlCStopsTheSecondExitsWith130() {
        StringWriter err = new StringWriter();
        AtomicInteger stops = new AtomicInteger();
        List<Integer> halts = new ArrayList<>();
        Interrupts interrupts = new Interrupts(stops::incrementAndGet, new PrintWriter(err, true), halts::add);
        assertFalse(interrupts.wasInterrupted());

        interrupts.interrupted();
        assertEquals(1, stops.get());
        assertEquals(List.of(), halts);
        assertTrue(err.toString().contains("interrupted: finishing the current step..."), err.toString());
        assertTrue(interrupts.wasInterrupted());

        interrupts.interrupted();
        assertEquals(1, stops.get(), "stop is asked once");
        assertEquals(List.of(130), halts);
    }

    @Test
    void installsAndPutsBackTheHandler() {
        AtomicInteger stops = new AtomicInteger();
        try (Interrupts interrupts = Interrupts.install(stops::incrementAndGet, new PrintWriter(new StringWriter()))) {
            assertFalse(interrupts.wasInterrupted());
        }
        // installing again after close works: the first one is gone, not stacked
        try (Interrupts again = Interrupts.install(stops::incrementAndGet, new PrintWriter(new StringWriter()))) {
            assertFalse(again.wasInterrupted());
        }
        assertEquals(0, stops.get());
    }
}
