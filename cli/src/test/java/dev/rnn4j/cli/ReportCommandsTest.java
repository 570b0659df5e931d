package dev.rnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --report, --inspect-example, rnn4j report and rnn4j inspect: the files, the lines, the usage errors. The pages are tested in data. */
class ReportCommandsTest {

    @Test
    void trainWritesTheReportAndReportDrawsItAgain(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r"), model = dir.resolve("m.rnn4j");
        MainTest.Result result = MainTest.run("train", "adding", "--cell", "lstm", "--length", "5", "--steps", "12", "--hidden-size", "4",
                "--batch", "4", "--threads", "1", "-q", "--report", report.toString(), "--inspect-example", "2", "--model-out", model.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("report written to " + report.resolve("index.html")), result.out());
        String page = Files.readString(report.resolve("index.html"));
        assertTrue(page.contains("How far back the gradient reaches") && page.contains("Sequence 2: states and gates over time"));
        assertTrue(Files.readString(report.resolve("run.jsonl")).contains("\"event\":\"gradient_by_time\""));

        Files.delete(report.resolve("index.html"));
        result = MainTest.run("report", report.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(Files.readString(report.resolve("index.html")).contains("Sequence 2: states and gates over time"), "drawn from the log alone");

        result = MainTest.run("inspect", model.toString(), "--report", dir.resolve("i").toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("weight_hh_l0") && result.out().contains("parameters: "), result.out());
        assertTrue(Files.readString(dir.resolve("i").resolve("index.html")).contains("Weights and biases per gate"));
    }

    @Test
    void usageErrorsNameTheProblem(@TempDir Path dir) {
        MainTest.Result result = MainTest.run("report", dir.toString());
        assertEquals(2, result.code());
        assertEquals("rnn4j: error: " + dir.resolve("run.jsonl") + ": no run log here; train with --report DIR or --log-jsonl F first\n",
                result.err());

        result = MainTest.run("train", "adding", "--cell", "gru", "--length", "5", "--steps", "3", "-q", "--inspect-example", "1");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("--inspect-example draws into a report: add --report DIR"), result.err());
        assertFalse(result.out().contains("training"), "nothing trained: " + result.out());
    }
}
