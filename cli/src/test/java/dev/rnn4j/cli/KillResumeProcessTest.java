package dev.rnn4j.cli;

import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.io.AtomicFile;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.model.NamedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Crash safety for real: {@code train forecast} in a child JVM is killed with SIGKILL (no shutdown hook, no cleanup)
 * at random points, again and again, each time resumed from whatever its run directory holds. After every kill each
 * file there is whole (the checkpoint reads back, its step never goes backwards, the model and metrics are absent or
 * whole); the last run ends with bitwise the weights of an uninterrupted run. {@code -Drnn4j.kills=N} changes the
 * number of kills (default 20).
 */
class KillResumeProcessTest {
    private static final int KILLS = Integer.getInteger("rnn4j.kills", 20);
    private static final int EPOCHS = 100;          // 5 steps an epoch, a checkpoint after each
    private static final int MAX_DELAY_MILLIS = 80; // after the child's first checkpoint: a few epochs
    private static final long TIMEOUT_SECONDS = 60;
    /** The test is 20 JVM starts: the client compiler alone shortens each; it changes no result. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private List<String> options(Path out, Path metrics) {
        return List.of("train", "forecast", "--csv", ForecastCommandsTest.airline().toString(), "--target", "Passengers", "--hidden", "8",
                "--epochs", Integer.toString(EPOCHS), "--patience", "100000", "--threads", "1", "--quiet", "--out", out.toString(),
                "--metrics-out", metrics.toString());
    }

    @Test
    void killedAtRandomPointsEveryFileStaysWholeAndTheResumedRunEndsBitForBit() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        Path out = dir.resolve("m.rnn4j"), metrics = dir.resolve("m.json"), run = dir.resolve("run");
        Path checkpoint = run.resolve(TrainingCheckpoint.FILE_NAME);
        int kills = 0, resumes = 0, checkpointsRead = 0, temporariesSeen = 0;
        long lastStep = -1;
        while (true) {
            List<String> args = new ArrayList<>(options(out, metrics));
            boolean resuming = Files.exists(checkpoint);
            args.addAll(resuming ? List.of("--resume", run.toString()) : List.of("--run-dir", run.toString()));
            if (resuming) resumes++;
            Path stderr = dir.resolve("err.log");
            Process child = new ProcessBuilder(ChildJvm.rnn4j(FAST_START, args))
                    .redirectOutput(dir.resolve("out.log").toFile()).redirectError(stderr.toFile()).start();
            try {
                if (kills == KILLS) { // enough: let this one finish
                    assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the last run did not end");
                    assertEquals(0, child.exitValue(), "seed " + seed + ": " + Files.readString(stderr));
                    break;
                }
                // wait until this child has written a checkpoint of its own, so that every kill lands in training
                Object before = Files.exists(checkpoint) ? Files.getLastModifiedTime(checkpoint) : null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (!Files.exists(checkpoint) || Files.getLastModifiedTime(checkpoint).equals(before)) {
                    if (!child.isAlive()) fail("seed " + seed + ": the run ended (exit " + child.exitValue() + ") before kill " + (kills + 1)
                            + "; make EPOCHS larger:\n" + Files.readString(stderr));
                    if (System.nanoTime() > deadline) fail("no checkpoint after " + TIMEOUT_SECONDS + " s:\n" + Files.readString(stderr));
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(MAX_DELAY_MILLIS + 1));
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the killed child did not end");
                kills++;
            } finally {
                child.destroyForcibly();
            }
            // what a kill leaves: at most hidden temporaries (removed by the next write of that file), never a bad file
            temporariesSeen += temporaries(run).size() + temporaries(dir).size();
            if (Files.exists(checkpoint)) {
                long step = stepOf(checkpoint); // reads the whole file: model, optimizer, state, tensors
                assertTrue(step >= lastStep, "seed " + seed + ": the checkpoint went back from step " + lastStep + " to " + step);
                lastStep = step;
                checkpointsRead++;
            }
            assertTrue(!Files.exists(out), "the model is written only at the end of the run");
            assertTrue(!Files.exists(metrics), "the metrics are written only at the end of the run");
        }
        assertEquals(List.of(), temporaries(run), "the finished run leaves no temporary file");
        assertEquals(List.of(), temporaries(dir));
        Json.parseObject(Files.readString(metrics)); // whole

        Path reference = dir.resolve("reference.rnn4j");
        ForecastCommandsTest.Result uninterrupted = ForecastCommandsTest.run(options(reference, dir.resolve("reference.json")).toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        List<NamedParameter> a = ForecastModel.load(reference).network().namedParameters(), b = ForecastModel.load(out).network().namedParameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).parameter().value(), b.get(i).parameter().value(), "seed " + seed + ": " + a.get(i).name());
        }
        System.out.printf("kill test (seed %d): %d SIGKILLs, %d resumes, %d checkpoints read back whole (last at step %d), "
                + "%d temporary files left by kills and removed by later writes; final weights bitwise equal%n",
                seed, kills, resumes, checkpointsRead, lastStep, temporariesSeen);
    }

    /**
     * A full disk, as a process sees it: the next checkpoint cannot be written (here a file size limit of 4 KiB,
     * {@code ulimit -f}, makes the write fail with EFBIG, as ENOSPC would). One clear line, exit 2, and the previous
     * checkpoint is still there, byte for byte, with no temporary file beside it.
     */
    @Test
    void aWriteThatFailsLikeAFullDiskLeavesThePreviousCheckpointIntact() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path run = dir.resolve("run"), out = dir.resolve("m.rnn4j"), metrics = dir.resolve("m.json");
        List<String> first = new ArrayList<>(options(out, dir.resolve("first.json")));
        first.addAll(List.of("--run-dir", run.toString()));
        first.set(first.indexOf("--epochs") + 1, "1");
        first.remove(first.indexOf("--out") + 1);
        first.remove("--out");
        ForecastCommandsTest.Result made = ForecastCommandsTest.run(first.toArray(String[]::new));
        assertEquals(0, made.code(), made.err());
        Path checkpoint = run.resolve(TrainingCheckpoint.FILE_NAME);
        byte[] before = Files.readAllBytes(checkpoint);
        assertTrue(before.length > 4096, "the checkpoint must be larger than the limit");

        List<String> resume = new ArrayList<>(options(out, metrics));
        resume.set(resume.indexOf("--epochs") + 1, "3");
        resume.addAll(List.of("--resume", run.toString()));
        List<String> command = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f 4 && exec \"$@\"", "bash"));
        command.addAll(ChildJvm.rnn4j(List.of(), resume));
        Path stderr = dir.resolve("err.log");
        Process child = new ProcessBuilder(command).redirectOutput(dir.resolve("out.log").toFile()).redirectError(stderr.toFile()).start();
        assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the run did not end");
        String err = Files.readString(stderr);
        assertEquals(2, child.exitValue(), err);
        assertTrue(err.contains("rnn4j: error: " + checkpoint + ": cannot write: File too large (a full disk or a file size limit?); "
                + "the file there is unchanged"), err);
        assertFalse(err.contains("\tat "), "no stack trace");
        assertArrayEquals(before, Files.readAllBytes(checkpoint), "the previous checkpoint must be intact");
        assertEquals(List.of(), temporaries(run));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(metrics));
    }

    private static long stepOf(Path checkpoint) {
        return (Long) Json.parseObject(TrainingCheckpoint.read(checkpoint).trainingState()).get("step");
    }

    private static List<Path> temporaries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(AtomicFile.TEMP_SUFFIX)).toList();
        }
    }
}
