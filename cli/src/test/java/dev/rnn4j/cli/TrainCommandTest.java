package dev.rnn4j.cli;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The train commands' contract: options to settings, the lines on stdout, progress on stderr, the metrics file's
 * fields. The workflow itself is tested in module data (MemoryTaskRunTest); the real runs are in the README.
 */
class TrainCommandTest {

    private static MainTest.Result train(Path metrics, String... args) {
        String[] full = Stream.concat(Stream.of(args), Stream.of("--metrics-out", metrics.toString())).toArray(String[]::new);
        MainTest.Result result = MainTest.run(full);
        assertEquals(0, result.code(), result.err());
        return result;
    }

    private static Map<String, Object> metrics(Path file) throws Exception {
        return Json.parseObject(Files.readString(file));
    }

    @Test
    void addingPrintsItsLinesAndWritesTheContractFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        MainTest.Result result = train(file, "train", "adding", "--cell", "GRU", "--length", "6", "--steps", "30", "--seed", "3",
                "--hidden-size", "8", "--batch", "8", "--threads", "1");
        List<String> out = result.out().lines().toList();
        assertEquals("training a gru (hidden size 8) on the adding task, T = 6, 30 steps of 8 sequences", out.get(0));
        assertTrue(out.get(1).matches("test mse \\d\\.\\d{5} \\(baseline 0\\.16667\\) after 30 steps, \\d+ s"), out.get(1));
        assertEquals("not solved: the validation MSE never fell below 0.01", out.get(2));
        assertEquals("metrics written to " + file, out.get(3));
        assertEquals(4, out.size(), result.out());
        // not a terminal: one progress line for the one (partial) epoch, on stderr
        assertTrue(result.err().matches("epoch 1/1  step 30/30  loss \\d\\.\\d{5}  \\d+ examples/s  ETA 0s\n"), result.err());

        Map<String, Object> m = metrics(file);
        assertEquals("adding", m.get("task"));
        assertEquals("gru", m.get("cell"));
        assertEquals(30L, m.get("steps"));
        assertEquals(8L, m.get("hidden_size"));
        assertEquals(3L, m.get("seed"));
        assertEquals("default", m.get("init"));
        assertEquals(1.0 / 6.0, (Double) m.get("baseline_mse"), 1e-12);
        double mse = (Double) m.get("test_mse");
        assertTrue(mse > 0 && mse < 1, "test_mse " + mse);
        assertEquals(6, ((List<?>) m.get("grad_norm_by_step")).size(), "one norm per step t = 1..T");
    }

    @Test
    void copyTakesItsOwnOptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        MainTest.Result result = train(file, "train", "copy", "--cell", "lstm", "--length", "4", "--symbols", "3", "--alphabet", "4",
                "--steps", "20", "--hidden-size", "8", "--batch", "4", "--threads", "1", "--quiet");
        assertEquals("", result.err(), "--quiet: no progress");
        assertTrue(result.out().startsWith("training a lstm (hidden size 8) on the copy task, T = 10, 20 steps of 4 sequences\n"),
                result.out());
        Map<String, Object> m = metrics(file);
        assertEquals(3 * Math.log(4) / (4 + 2 * 3), (Double) m.get("baseline_cross_entropy"), 1e-12);
        double accuracy = (Double) m.get("test_recall_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(1e-3, (Double) m.get("learning_rate"), 0, "the copy task's default");
    }

    @Test
    void sameSeedSameResult(@TempDir Path dir) throws Exception {
        String[] args = {"train", "adding", "--cell", "lstm", "--length", "5", "--steps", "15", "--hidden-size", "6", "--batch", "4",
            "--threads", "1", "--seed", "9", "-q"};
        train(dir.resolve("a.json"), args);
        train(dir.resolve("b.json"), args);
        assertEquals(metrics(dir.resolve("a.json")).get("test_mse"), metrics(dir.resolve("b.json")).get("test_mse"));
    }

    @Test
    void aMissingOutputDirectoryFailsBeforeTraining(@TempDir Path dir) {
        Path file = dir.resolve("no/such/m.json");
        MainTest.Result result = MainTest.run("train", "adding", "--cell", "rnn", "--length", "5", "--steps", "100000",
                "--metrics-out", file.toString());
        assertEquals(new MainTest.Result(2, "", "rnn4j: error: " + file + ": cannot write: directory " + file.getParent()
                + " does not exist\n"), result);
    }
}
