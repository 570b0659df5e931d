package dev.rnn4j.cli;

import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.model.NamedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Ctrl-C for real on {@code train forecast}: a child JVM gets SIGINT mid-run, writes its checkpoint and the best model
 * so far, prints the command that resumes and exits 130; the resumed run ends bit for bit where an uninterrupted one does.
 */
class ForecastInterruptProcessTest {
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private List<String> options(Path out, int epochs) {
        return List.of("train", "forecast", "--csv", ForecastCommandsTest.airline().toString(), "--target", "Passengers", "--hidden", "16",
                "--epochs", Integer.toString(epochs), "--patience", "100000", "--threads", "1", "--out", out.toString());
    }

    @Test
    void ctrlCCheckpointsAndTheResumedRunEndsBitForBitAsAnUninterruptedOne() throws Exception {
        Path out = dir.resolve("m.rnn4j"), stdout = dir.resolve("out.log"), stderr = dir.resolve("err.log");
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(ChildJvm.rnn4j(List.of(), options(out, 100000)));
        Process child = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!Files.readString(stderr).contains("epoch 3/100000")) {
                if (!child.isAlive()) fail("the child ended early (exit " + child.exitValue() + "):\n" + Files.readString(stderr));
                if (System.nanoTime() > deadline) fail("no progress after " + TIMEOUT_SECONDS + " s:\n" + Files.readString(stderr));
                Thread.sleep(20);
            }
            assumeFalse(TrainInterruptProcessTest.sigintIgnored(child.pid()), "SIGINT is ignored in the child; this environment cannot deliver Ctrl-C");
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor());
            assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not end after Ctrl-C");
        } finally {
            child.destroyForcibly();
        }
        String err = Files.readString(stderr);
        assertEquals(130, child.exitValue(), err);
        Path runDir = Path.of(out + ".run");
        Matcher m = Pattern.compile("interrupted after step (\\d+); checkpoint written to \\Q" + runDir.resolve("checkpoint.rnn4j")
                + "\\E; the best model so far is in \\Q" + out + "\\E\\nresume with: \\./rnn4j train forecast .* --resume \\Q" + runDir + "\\E\\n").matcher(err);
        assertTrue(m.find(), err);
        assertTrue(Files.size(out) > 0, "the best model so far was written");
        long stoppedAt = Long.parseLong(m.group(1));

        // resume in-process up to a few epochs past the stop (5 steps an epoch), then the same run without a stop
        int epochs = (int) (stoppedAt / 5) + 3;
        List<String> resume = new ArrayList<>(options(out, epochs));
        resume.addAll(List.of("--resume", runDir.toString(), "--quiet"));
        ForecastCommandsTest.Result resumed = ForecastCommandsTest.run(resume.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        Path reference = dir.resolve("reference.rnn4j");
        List<String> plain = new ArrayList<>(options(reference, epochs));
        plain.add("--quiet");
        ForecastCommandsTest.Result uninterrupted = ForecastCommandsTest.run(plain.toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());

        List<NamedParameter> a = ForecastModel.load(reference).network().namedParameters(), b = ForecastModel.load(out).network().namedParameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).parameter().value(), b.get(i).parameter().value(), a.get(i).name());
        assertEquals(uninterrupted.out().lines().filter(l -> l.startsWith("  model")).toList(),
                resumed.out().lines().filter(l -> l.startsWith("  model")).toList());
    }
}
