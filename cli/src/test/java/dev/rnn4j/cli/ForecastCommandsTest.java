package dev.rnn4j.cli;

import dev.rnn4j.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train forecast, evaluate, predict and forecast end to end on the bundled airline series, and their bad-input messages. */
class ForecastCommandsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Map<String, Object> metrics;
    static Result trained;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path airline() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/data/airline-passengers.csv");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IllegalStateException("examples/data/airline-passengers.csv not found");
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void trainWithTheDefaults() throws Exception {
        model = dir.resolve("airline.rnn4j");
        Path json = dir.resolve("airline.json");
        trained = run("train", "forecast", "--csv", airline().toString(), "--target", "Passengers", "--out", model.toString(),
                "--metrics-out", json.toString(), "--log-jsonl", dir.resolve("log.jsonl").toString());
        assertEquals(0, trained.code(), trained.err());
        metrics = Json.parseObject(Files.readString(json));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainBeatsPersistenceAndWritesTheModelTheMetricsAndTheLog() throws Exception {
        Map<String, Object> test = (Map<String, Object>) metrics.get("test");
        Map<String, Map<String, Object>> baselines = (Map<String, Map<String, Object>>) metrics.get("baselines");
        double rmse = (Double) test.get("rmse");
        assertTrue(rmse < (Double) baselines.get("persistence").get("rmse"), metrics.toString());
        assertTrue(rmse < (Double) baselines.get("seasonal_naive").get("rmse"), metrics.toString());
        assertTrue((Double) metrics.get("seconds") > 0);
        assertTrue(((String) metrics.get("command")).startsWith("rnn4j train forecast --csv "), (String) metrics.get("command"));
        Map<String, Object> settings = (Map<String, Object>) metrics.get("settings");
        for (String key : List.of("window", "horizon", "season", "transform", "cell", "hidden", "epochs", "patience", "batch", "seed")) {
            assertTrue(settings.containsKey(key), "the chosen " + key + " is recorded: " + settings);
        }
        assertTrue(trained.out().contains("model written to " + model), trained.out());
        assertTrue(trained.out().matches("(?s).*\\n  model +[0-9.]+ .*\\n  persistence +[0-9.]+ .*\\n  seasonal naive \\(m=12\\).*"), trained.out());
        assertTrue(trained.err().contains("forecast: window 24, horizon 1, season 12, transform diff"), "defaults printed: " + trained.err());
        List<String> log = Files.readAllLines(dir.resolve("log.jsonl"));
        assertTrue(log.getFirst().startsWith("{\"event\":\"run\",\"cell\":\"lstm\","), "the report's probe describes the run: " + log.getFirst());
        assertTrue(log.get(1).startsWith("{\"event\":\"step\",\"step\":1,"), log.get(1));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("{\"event\":\"gradient_by_time\",\"step\":1,")), "sampled from step 1");
        assertTrue(log.getLast().startsWith("{\"event\":\"end\""), log.getLast());
        assertTrue(Files.isRegularFile(Path.of(model + ".run").resolve("checkpoint.rnn4j")), "checkpoints beside the model");
    }

    @Test
    @SuppressWarnings("unchecked")
    void evaluatePredictAndForecastNeedOnlyTheBundle() throws Exception {
        Path json = dir.resolve("eval.json");
        Result evaluated = run("evaluate", "--model", model.toString(), "--csv", airline().toString(), "--metrics-out", json.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        Map<String, Object> m = Json.parseObject(Files.readString(json));
        Map<String, Object> test = (Map<String, Object>) m.get("test");
        assertEquals(119L, test.get("origins"), "every origin with 24 steps of history and a season: rows 26..144");
        assertTrue((Double) test.get("rmse") < (Double) ((Map<String, Object>) ((Map<String, Object>) m.get("baselines")).get("persistence")).get("rmse"));

        Path csv = dir.resolve("p.csv");
        Result predicted = run("predict", "--model", model.toString(), "--csv", airline().toString(), "--output", csv.toString());
        assertEquals(0, predicted.code(), predicted.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("origin,h1_time,h1_actual,h1_forecast", rows.getFirst());
        assertEquals(1 + 120, rows.size(), "one row per origin from the 25th month on, the last past the end");
        assertTrue(rows.getLast().startsWith("1960-12,1961-01,,"), rows.getLast());

        Result forecast = run("forecast", "--model", model.toString(), "--csv", airline().toString(), "--steps", "14");
        assertEquals(0, forecast.code(), forecast.err());
        List<String> lines = forecast.out().lines().toList();
        assertEquals("step,time,forecast", lines.getFirst());
        assertEquals(15, lines.size());
        assertTrue(lines.get(1).startsWith("1,1961-01,"), lines.get(1));
        assertTrue(lines.getLast().startsWith("14,1962-02,"), lines.getLast());
        // the first forecast step is the prediction from the last origin
        assertEquals(rows.getLast().split(",")[3], lines.get(1).split(",")[2]);
    }

    @Test
    void badInputGetsOneLineNamingFileRowAndColumnAndWritesNothing() throws Exception {
        Path out = dir.resolve("bad.rnn4j");
        String header = "Month,Sales\n";
        StringBuilder good = new StringBuilder(header);
        for (int i = 0; i < 60; i++) good.append(String.format("%d-%02d,%d%n", 2000 + i / 12, i % 12 + 1, 100 + i + (i * 7) % 5));

        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {good.toString(), "--target", "Revenue", "no column 'Revenue' (the target) in the header"});
        cases.add(new String[] {good.toString().replace("2001-03,", "2001-03,abc"), "--target", "Sales", "line 16, column 'Sales': 'abc"});
        cases.add(new String[] {good.toString().replace("2001-03,", "2001-3x,"), "--target", "Sales", "line 16, column 'Month'"});
        cases.add(new String[] {header + "2000-01,1\n2000-02,2\n2000-03,3\n2000-04,4\n", "--target", "Sales", "too few rows"});
        cases.add(new String[] {good.toString().replaceAll(",\\d+\\n", ",7\n"), "--target", "Sales", "column 'Sales': the series is constant"});
        for (String[] c : cases) {
            Path file = dir.resolve("bad.csv");
            Files.writeString(file, c[0]);
            Result r = run("train", "forecast", "--csv", file.toString(), c[1], c[2], "--transform", "none", "--out", out.toString(), "--quiet");
            assertEquals(2, r.code(), c[3] + ": " + r.err());
            assertTrue(r.err().startsWith("rnn4j: error: " + file), r.err());
            assertTrue(r.err().contains(c[3]), c[3] + " in " + r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + c[3]);
            assertFalse(Files.exists(Path.of(out + ".run")), "no run directory for " + c[3]);
        }
    }

    @Test
    void aPlainModelFileOrAMissingModelIsACleanError() {
        Result r = run("evaluate", "--model", dir.resolve("nope.rnn4j").toString(), "--csv", airline().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("rnn4j: error: " + dir.resolve("nope.rnn4j")), r.err());
        Result help = run("train", "forecast", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--transform=T") && help.out().contains("Default: diff"), help.out());
    }
}
