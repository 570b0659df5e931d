package dev.rnn4j.train;

import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test A: a run stopped right after a checkpoint and resumed in a fresh trainer ends bitwise where an uninterrupted one does. */
class CheckpointResumeTest {
    @TempDir
    Path dir;

    /** Thrown by a listener to stop a run the way a crash would: right after a checkpoint hit the disk. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    private static TrainingListener crashAfterCheckpoint(long atStep) {
        return new TrainingListener() {
            @Override
            public void onCheckpoint(Path file, long step) {
                if (step == atStep) throw new Crash();
            }
        };
    }

    @Test
    void epochRunResumedFromAMidEpochCheckpointEndsBitwiseEqual() {
        SequenceModel uninterrupted = ResumeScenario.epochModel();
        List<ValidationMetrics> validations = new java.util.ArrayList<>();
        TrainResult expected = new Trainer(uninterrupted, ResumeScenario.epochConfig(dir.resolve("u"), 7))
                .addListener(new TrainingListener() {
                    @Override
                    public void onValidation(ValidationMetrics m) {
                        validations.add(m);
                    }
                })
                .fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertTrue(expected.steps() > 14, "the run must outlast the crash: " + expected);
        // the state worth checkpointing is in play: the plateau cut the rate after the crash point, and the best
        // parameters were restored from before the end
        assertTrue(validations.stream().anyMatch(v -> v.learningRate() < 0.02), validations.toString());
        assertTrue(validations.stream().anyMatch(v -> !v.improved()), validations.toString());
        assertTrue(expected.restoredBest() && expected.bestStep() < expected.steps(), expected.toString());

        Path checkpoints = dir.resolve("a");
        Trainer crashing = new Trainer(ResumeScenario.epochModel(), ResumeScenario.epochConfig(checkpoints, 7))
                .addListener(crashAfterCheckpoint(14));
        assertThrows(Crash.class, () -> crashing.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()));
        Path file = checkpoints.resolve(TrainingCheckpoint.FILE_NAME);
        assertTrue(Files.exists(file));

        // a fresh model and trainer (as after a restart), restored from the file
        SequenceModel resumedModel = ResumeScenario.epochModel();
        Trainer resumed = new Trainer(resumedModel, ResumeScenario.epochConfig(checkpoints, 7));
        resumed.restore(file);
        assertEquals(14, resumed.step());
        assertEquals(2, resumed.epoch());
        TrainResult actual = resumed.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertSameParameters(uninterrupted, resumedModel);
        assertEquals(expected, actual);

        // the same through Trainer.resume, which rebuilds model and config from the file alone
        Trainer rebuilt = Trainer.resume(checkpoints.resolve("../a/" + TrainingCheckpoint.FILE_NAME));
        assertEquals(expected, rebuilt.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()));
        assertSameParameters(uninterrupted, rebuilt.model());
    }

    @Test
    void truncatedBpttStreamResumedMidBatchEndsBitwiseEqual() {
        SequenceModel uninterrupted = ResumeScenario.streamModel();
        TrainResult expected = new Trainer(uninterrupted, ResumeScenario.streamConfig(dir.resolve("u"), 7))
                .fit(ResumeScenario.streamData(), ResumeScenario.streamValidation());
        assertEquals(20, expected.steps());

        Path checkpoints = dir.resolve("s");
        // step 7 is the first chunk of the third stream: the checkpoint must carry the recurrent state
        Trainer crashing = new Trainer(ResumeScenario.streamModel(), ResumeScenario.streamConfig(checkpoints, 7))
                .addListener(crashAfterCheckpoint(7));
        assertThrows(Crash.class, () -> crashing.fit(ResumeScenario.streamData(), ResumeScenario.streamValidation()));
        Path file = checkpoints.resolve(TrainingCheckpoint.FILE_NAME);
        TrainingCheckpoint.Contents contents = TrainingCheckpoint.read(file);
        assertNotNull(contents.tensors().get("carry/h"));
        assertNotNull(contents.tensors().get("carry/c"));
        assertTrue(contents.trainingState().contains("\"chunk\":1"), contents.trainingState());

        Trainer resumed = Trainer.resume(file);
        TrainResult actual = resumed.fit(ResumeScenario.streamData(), ResumeScenario.streamValidation());
        assertSameParameters(uninterrupted, resumed.model());
        assertEquals(expected, actual);
    }

    @Test
    void withoutTheCarriedStateTheResumeWouldDiffer() {
        // guards the test above against passing vacuously: the carried state does change the result
        SequenceModel uninterrupted = ResumeScenario.streamModel();
        new Trainer(uninterrupted, ResumeScenario.streamConfig(dir.resolve("u"), 7)).fit(ResumeScenario.streamData(), null);
        SequenceModel chunkless = ResumeScenario.streamModel();
        TrainConfig noCarry = ResumeScenario.streamConfig(dir.resolve("v"), 7).toBuilder().truncatedBptt(0).build();
        new Trainer(chunkless, noCarry).fit(ResumeScenario.streamData(), null);
        assertFalse(TrainTestSupport.sameParameters(uninterrupted, chunkless));
    }

    @Test
    void finalCheckpointIsAModelFileAndResumingItDoesNothingMore() {
        Path checkpoints = dir.resolve("f");
        SequenceModel model = ResumeScenario.epochModel();
        TrainResult result = new Trainer(model, ResumeScenario.epochConfig(checkpoints, 0))
                .fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        Path file = checkpoints.resolve(TrainingCheckpoint.FILE_NAME);
        SequenceModelFile.Loaded loaded = SequenceModelFile.read(file);
        assertEquals(model.spec(), loaded.model().spec());
        assertEquals(result.steps(), loaded.optimizerStepCount());
        assertEquals(9L, loaded.provenance().seed());
        assertTrue(loaded.provenance().dataFingerprint().startsWith("sha256:"));
        assertTrue(loaded.provenance().hyperparameters().contains("\"batching\":{\"batch_size\":8"), loaded.provenance().hyperparameters());

        Trainer again = Trainer.resume(file);
        TrainResult second = again.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertEquals(result, second);
        assertSameParameters(model, again.model()); // both restored the best parameters
    }

    @Test
    void refusesToResumeWithAnotherModelConfigOrData() {
        Path checkpoints = dir.resolve("r");
        TrainConfig config = ResumeScenario.epochConfig(checkpoints, 5);
        Trainer crashing = new Trainer(ResumeScenario.epochModel(), config).addListener(crashAfterCheckpoint(5));
        assertThrows(Crash.class, () -> crashing.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()));
        Path file = checkpoints.resolve(TrainingCheckpoint.FILE_NAME);

        Function<TrainConfig, String> refusal = c -> assertThrows(IllegalArgumentException.class,
                () -> new Trainer(ResumeScenario.epochModel(), c).restore(file)).getMessage();
        assertTrue(refusal.apply(config.toBuilder().seed(10).build()).contains("[seed]"));
        assertTrue(refusal.apply(config.toBuilder().optimizer(OptimizerSpec.adam(0.03)).build()).contains("[optimizer]"));
        assertTrue(refusal.apply(config.toBuilder().clipNorm(2).build()).contains("[clip_norm]"));
        // a longer run, elsewhere, is the same run continued
        new Trainer(ResumeScenario.epochModel(), config.toBuilder().epochs(9).checkpoints(dir.resolve("elsewhere"), 3).build()).restore(file);

        SequenceModel otherModel = TrainTestSupport.lstm(dev.rnn4j.model.Head.LAST_STEP, 2, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(otherModel, config).restore(file))
                .getMessage().contains("model"));

        Trainer restored = new Trainer(ResumeScenario.epochModel(), config);
        restored.restore(file);
        Batcher otherData = Batcher.of(TrainTestSupport.signOfSum(40, 5), 8).bucketed(2);
        assertTrue(assertThrows(IllegalStateException.class, () -> restored.fit(otherData, ResumeScenario.epochValidation()))
                .getMessage().contains("same data"));
    }
}
