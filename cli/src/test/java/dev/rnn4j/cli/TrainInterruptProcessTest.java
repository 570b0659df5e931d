package dev.rnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Ctrl-C for real: a child JVM runs {@code rnn4j train adding}, gets SIGINT mid-run, and ends cleanly with 130. */
class TrainInterruptProcessTest {
    /** Generous: the child needs a few seconds to start and reach its first validation (step 250). */
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void ctrlCStopsTrainingWritesTheModelAndExitsWith130() throws Exception {
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        Path model = dir.resolve("model.rnn4j");
        List<String> command = List.of(
                // a child started from a background job inherits SIGINT ignored, which the JVM would keep: reset it
                "env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "adding", "--cell", "gru", "--length", "20", "--steps", "100000", "--hidden-size", "8", "--batch", "10",
                "--threads", "1", "--model-out", model.toString());
        Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!Files.readString(err).contains("epoch 1/400  step 250/100000")) {
                if (!child.isAlive()) fail("the child ended (exit " + child.exitValue() + ") before its first progress line:\n" + logs(out, err));
                if (System.nanoTime() > deadline) fail("no progress line after " + TIMEOUT_SECONDS + " s:\n" + logs(out, err));
                Thread.sleep(20);
            }
            assumeFalse(sigintIgnored(child.pid()), "SIGINT is ignored in the child; this environment cannot deliver Ctrl-C");
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT");
            assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not end after Ctrl-C:\n" + logs(out, err));
        } finally {
            child.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertEquals(130, child.exitValue(), logs(out, err));
        assertTrue(stderr.contains("interrupted: finishing the current step..."), stderr);
        assertTrue(stderr.matches("(?s).*interrupted after step \\d+ of 100000; the model so far is in \\Q" + model
                + "\\E\\. The synthetic tasks have no checkpoint: run the command again to restart \\(it does not resume\\)\\.\n"), stderr);
        String stdout = Files.readString(out);
        assertTrue(stdout.contains("model written to " + model), stdout);
        assertTrue(Files.size(model) > 0, "the model so far was written");
    }

    /** Whether SIGINT (signal 2) is in the process's ignored set, from /proc (Linux); false where that is unknown. */
    static boolean sigintIgnored(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: assume signals arrive
        }
        return false;
    }

    private static String logs(Path out, Path err) throws IOException {
        return "stdout:\n" + Files.readString(out) + "stderr:\n" + Files.readString(err);
    }
}
