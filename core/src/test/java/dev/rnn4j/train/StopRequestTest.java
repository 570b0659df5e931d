package dev.rnn4j.train;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Trainer#requestStop()}, as a Ctrl-C handler calls it: the run ends after the step in progress and resumes exactly. */
class StopRequestTest {
    @TempDir
    Path dir;

    @Test
    void stopMidEpochWritesACheckpointThatResumesBitwise() {
        SequenceModel uninterrupted = ResumeScenario.epochModel();
        TrainResult expected = new Trainer(uninterrupted, ResumeScenario.epochConfig(dir.resolve("u"), 0))
                .fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertFalse(expected.interrupted());
        assertTrue(expected.steps() > 11, expected.toString());

        Path runDir = dir.resolve("a");
        SequenceModel stoppedModel = ResumeScenario.epochModel();
        Trainer stopped = new Trainer(stoppedModel, ResumeScenario.epochConfig(runDir, 0));
        List<Long> steps = new ArrayList<>();
        List<TrainingStart> starts = new ArrayList<>();
        stopped.addListener(new TrainingListener() {
            @Override
            public void onStart(TrainingStart start) {
                starts.add(start);
            }

            @Override
            public void onStep(StepMetrics m) {
                steps.add(m.step());
                assertTrue(m.examples() > 0);
                if (m.step() == 11) stopped.requestStop(); // as a signal handler would, mid-epoch
            }
        });
        TrainResult partial = stopped.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertTrue(partial.interrupted(), partial.toString());
        assertFalse(partial.restoredBest(), "an interrupted run keeps its last parameters, to resume from them");
        assertEquals(11, partial.steps());
        assertEquals(11, steps.size(), "the step in progress finishes, no further step starts");
        assertEquals(0, starts.getFirst().step());
        assertTrue(starts.getFirst().plannedLastStep() >= expected.steps(), starts.toString());

        Trainer resumed = Trainer.resume(runDir.resolve(TrainingCheckpoint.FILE_NAME));
        List<TrainingStart> resumedStarts = new ArrayList<>();
        resumed.addListener(new TrainingListener() {
            @Override
            public void onStart(TrainingStart start) {
                resumedStarts.add(start);
            }
        });
        TrainResult actual = resumed.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertEquals(11, resumedStarts.getFirst().step());
        assertEquals(expected, actual);
        assertSameParameters(uninterrupted, resumed.model());

        // the request was cleared when fit returned: a new fit on the finished trainer is not stopped by it
        Trainer again = new Trainer(ResumeScenario.epochModel(), ResumeScenario.epochConfig(dir.resolve("b"), 0));
        again.requestStop();
        TrainResult none = again.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertTrue(none.interrupted());
        assertEquals(0, none.steps());
        assertFalse(again.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()).interrupted());
    }
}
