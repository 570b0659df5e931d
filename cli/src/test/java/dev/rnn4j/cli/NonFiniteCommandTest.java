package dev.rnn4j.cli;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --on-nonfinite on a real command: a learning rate of 1e30 makes the second step's gradient NaN. */
class NonFiniteCommandTest {
    @TempDir
    Path dir;

    private ForecastCommandsTest.Result forecast(String action, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "forecast", "--csv", ForecastCommandsTest.airline().toString(), "--target",
                "Passengers", "--hidden", "8", "--epochs", "2", "--learning-rate", "1e30", "--threads", "1", "--quiet",
                "--out", out.toString(), "--metrics-out", dir.resolve(action + ".json").toString()));
        if (action != null) args.addAll(List.of("--on-nonfinite", action));
        return ForecastCommandsTest.run(args.toArray(String[]::new));
    }

    @Test
    void stopIsTheDefaultAndNamesTheGradientTheStepAndTheBatch() {
        Path out = dir.resolve("m.rnn4j");
        ForecastCommandsTest.Result r = forecast(null, out);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("rnn4j: error: training stopped: the gradient of rnn.weight_ih_l0 is NaN (element 0) at step 2 "
                + "(epoch 0, batch 1); lower the learning rate or clip the gradient"), r.err());
        assertTrue(r.err().contains("no model written (no validation before the bad step)"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "no model from a run with NaN weights");
        assertFalse(Files.exists(dir.resolve("null.json")));
    }

    @Test
    void skipDropsTheBadStepsAndSaysHowMany() throws Exception {
        Path out = dir.resolve("m.rnn4j");
        ForecastCommandsTest.Result r = forecast("skip", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipped step 2: the gradient of rnn.weight_ih_l0 is NaN (element 0) at step 2 (epoch 0, batch 1)"), r.err());
        Map<String, Object> metrics = Json.parseObject(Files.readString(dir.resolve("skip.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) metrics.get("training");
        long skipped = (Long) training.get("skipped_steps");
        assertEquals(10L, training.get("steps"));
        assertEquals(9L, skipped, "every step after the first update is NaN");
        assertTrue(r.err().contains(skipped + " steps skipped for NaN or infinite values"), r.err());
        assertTrue(Files.size(out) > 0);
    }
}
