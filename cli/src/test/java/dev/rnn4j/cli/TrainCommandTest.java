package dev.rnn4j.cli;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train command's contract: the metrics file's fields; the real runs are documented in the README. */
class TrainCommandTest {

    private static int run(PrintStream out, PrintStream err, String... args) {
        return Main.run(args, out, err);
    }

    private static Map<String, Object> train(Path dir, String... args) throws Exception {
        Path metrics = dir.resolve("m.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--metrics-out";
        full[args.length + 1] = metrics.toString();
        int code = run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), full);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("metrics written to"), out.toString(StandardCharsets.UTF_8));
        return Json.parseObject(Files.readString(metrics));
    }

    @Test
    void addingWritesTheContractFields(@TempDir Path dir) throws Exception {
        Map<String, Object> m = train(dir, "train", "adding", "--cell", "gru", "--length", "6", "--steps", "30", "--seed", "3",
                "--hidden-size", "8", "--batch", "8", "--threads", "1");
        assertEquals(30L, m.get("steps"));
        assertEquals(1.0 / 6.0, (Double) m.get("baseline_mse"), 1e-12);
        double mse = (Double) m.get("test_mse");
        assertTrue(mse > 0 && mse < 1, "test_mse " + mse);
        assertTrue((Double) m.get("seconds") > 0);
        List<?> norms = (List<?>) m.get("grad_norm_by_step");
        assertEquals(6, norms.size(), "one norm per step t = 1..T");
        for (Object norm : norms) assertTrue(((Number) norm).doubleValue() > 0, "norm " + norm);
    }

    @Test
    void copyWritesTheContractFields(@TempDir Path dir) throws Exception {
        Map<String, Object> m = train(dir, "train", "copy", "--cell", "lstm", "--length", "4", "--symbols", "3", "--alphabet", "4",
                "--steps", "20", "--hidden-size", "8", "--batch", "4", "--threads", "1");
        assertEquals(3 * Math.log(4) / (4 + 2 * 3), (Double) m.get("baseline_cross_entropy"), 1e-12);
        assertTrue((Double) m.get("test_cross_entropy") > 0);
        double accuracy = (Double) m.get("test_recall_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(10, ((List<?>) m.get("grad_norm_by_step")).size());
    }

    @Test
    void sameSeedSameResult(@TempDir Path dir) throws Exception {
        String[] args = {"train", "adding", "--cell", "lstm", "--length", "5", "--steps", "15", "--hidden-size", "6", "--batch", "4",
                "--threads", "1", "--seed", "9"};
        Object first = train(dir, args).get("test_mse");
        Object second = train(dir, args).get("test_mse");
        assertEquals(first, second, "two runs with one seed");
    }
}
