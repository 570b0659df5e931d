package dev.rnn4j.train;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test B: a training process is killed (SIGKILL, no shutdown of any kind) after it has written its first
 * checkpoint; the run resumed from that checkpoint ends with bitwise the weights of an uninterrupted run.
 */
class CheckpointProcessTest {
    private static final long EVERY = 3;
    private static final long SLEEP_MILLIS = 60;

    @TempDir
    Path dir;

    @Test
    void killedTrainingProcessResumesToTheUninterruptedWeights() throws Exception {
        Path checkpoints = dir.resolve("run");
        Path log = dir.resolve("child.log");
        Path checkpoint = checkpoints.resolve(TrainingCheckpoint.FILE_NAME);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CheckpointChild.class.getName());
        command.add(checkpoints.toString());
        command.add(Long.toString(EVERY));
        command.add(Long.toString(SLEEP_MILLIS));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.exists(checkpoint)) {
                if (!child.isAlive()) fail("the training process ended (exit " + child.exitValue() + ") before its first checkpoint:\n" + read(log));
                if (System.nanoTime() > deadline) fail("no checkpoint after 15 s:\n" + read(log));
                Thread.sleep(2);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the killed process did not end");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(!read(log).contains("finished"), "the process must have been killed mid-run:\n" + read(log));

        // resume in this process, from the file alone
        Trainer resumed = Trainer.resume(checkpoint);
        long stepAtKill = resumed.step();
        assertTrue(stepAtKill >= EVERY && stepAtKill % EVERY == 0 && stepAtKill < 40, "checkpoint step " + stepAtKill);
        TrainResult result = resumed.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());

        SequenceModel uninterrupted = ResumeScenario.epochModel();
        TrainResult expected = new Trainer(uninterrupted, ResumeScenario.epochConfig(dir.resolve("u"), 0))
                .fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertEquals(expected, result);
        assertSameParameters(uninterrupted, resumed.model());
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
