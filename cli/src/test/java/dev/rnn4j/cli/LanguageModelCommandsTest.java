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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train lm and generate end to end on a tiny corpus, and their bad-input messages: one line, exit 2, no file written. */
class LanguageModelCommandsTest {
    @TempDir
    static Path dir;
    static Path corpus;
    static Path model;
    static ForecastCommandsTest.Result trained;
    static Map<String, Object> metrics;

    static ForecastCommandsTest.Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ForecastCommandsTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void train() throws Exception {
        corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "to be or not to be, that is the question\nwhether 'tis nobler in the mind to suffer\n".repeat(30));
        model = dir.resolve("lm.rnn4j");
        Path json = dir.resolve("lm.json");
        trained = run("train", "lm", "--text", corpus.toString(), "--hidden", "32", "--batch", "4", "--bptt", "32", "--epochs", "3",
                "--threads", "1", "--out", model.toString(), "--metrics-out", json.toString(), "--test", corpus.toString());
        assertEquals(0, trained.code(), trained.err());
        metrics = Json.parseObject(Files.readString(json));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWritesTheModelAndTheScores() {
        Map<String, Object> valid = (Map<String, Object>) metrics.get("valid");
        double loss = (Double) valid.get("loss");
        assertTrue(loss > 0 && loss < Math.log(30), "validation loss below a uniform guess over the characters: " + loss);
        assertEquals(loss / Math.log(2), (Double) valid.get("bpc"), 1e-12);
        assertTrue(metrics.containsKey("test"));
        assertTrue((Double) metrics.get("tokens_per_second") > 0);
        assertEquals("lm", metrics.get("task"));
        assertTrue(trained.out().contains("validation: loss "), trained.out());
        assertTrue(trained.err().contains("char level, bptt 32"), trained.err());
        assertTrue(Files.isRegularFile(Path.of(model + ".run").resolve("checkpoint.rnn4j")));
    }

    @Test
    void generateIsDeterministicForASeedAndStartsWithThePrime() {
        var a = run("generate", "--model", model.toString(), "--prime", "to be", "--length", "80", "--temperature", "0.8", "--seed", "7");
        var b = run("generate", "--model", model.toString(), "--prime", "to be", "--length", "80", "--temperature", "0.8", "--seed", "7");
        var c = run("generate", "--model", model.toString(), "--prime", "to be", "--length", "80", "--temperature", "0.8", "--seed", "8");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().startsWith("to be"), a.out());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
        assertEquals("to be".length() + 80 + 1, a.out().length(), "the prime, 80 characters and a newline");
        var bad = run("generate", "--model", model.toString(), "--top-p", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("rnn4j: error: generate: --top-p must be in (0, 1]"), bad.err());
    }

    /** A bad input: exit 2, one error line naming the file (and line), no model or metrics written. */
    static void assertBadInput(String expectedStart, String... extra) {
        Path out = dir.resolve("bad.rnn4j"), json = dir.resolve("bad.json");
        String[] args = new String[extra.length + 8];
        String[] head = {"train", "lm", "--hidden", "8", "--out", out.toString(), "--metrics-out", json.toString()};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(extra, 0, args, head.length, extra.length);
        var r = run(args);
        assertEquals(2, r.code(), r.err());
        var errors = r.err().lines().filter(l -> l.startsWith("rnn4j: error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.getFirst().startsWith("rnn4j: error: " + expectedStart), r.err());
        assertFalse(Files.exists(out), "no model written");
        assertFalse(Files.exists(json), "no metrics written");
    }

    @Test
    void badInputIsOneLineAndExit2() throws Exception {
        Path invalid = dir.resolve("invalid.txt");
        byte[] bytes = "fine line\nbad \u00e9 byte\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(invalid, bytes);
        assertBadInput(invalid + ": line 2: invalid UTF-8 at byte offset 14 (byte 0xE9)", "--text", invalid.toString());

        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        assertBadInput(empty + ": no text to train on", "--text", empty.toString());

        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "a short text\n");
        assertBadInput(tiny + ": 11 training tokens are too few for 64 streams (--batch) of 128 steps (--bptt)", "--text", tiny.toString());

        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, "to 0.1 0.2\nbe 0.3\n");
        assertBadInput(vectors + ": line 2: 'be' has 1 values, but line 1 has 2", "--text", corpus.toString(), "--level", "word",
                "--embeddings", vectors.toString());

        assertBadInput("train lm: --tie-weights needs the embedding size", "--text", corpus.toString(), "--batch", "4", "--bptt", "8",
                "--tie-weights", "--embedding-size", "4");

        assertBadInput("--layer-norm and --batch-norm do not go together: choose one", "--text", corpus.toString(), "--layer-norm", "--batch-norm");
        assertBadInput("--batch-norm-steps needs --batch-norm", "--text", corpus.toString(), "--batch-norm-steps", "50");
        assertBadInput("train lm: --batch-norm needs --cell lstm: batch normalisation is implemented for the LSTM, not the GRU (--layer-norm works for it)",
                "--text", corpus.toString(), "--batch", "4", "--bptt", "8", "--batch-norm", "--cell", "gru");
    }

    /** data ptb-chars writes the three character files from the word files and prints what it wrote. */
    @Test
    void dataPtbCharsDerivesTheCharacterFiles() throws Exception {
        Path words = dir.resolve("ptb-words"), chars = dir.resolve("ptb-chars");
        Files.createDirectories(words);
        for (String part : new String[] {"train", "valid", "test"}) Files.writeString(words.resolve("ptb." + part + ".txt"), " a bc \n <unk> d \n");
        var r = run("data", "ptb-chars", "--ptb-dir", words.toString(), "--out-dir", chars.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("a _ b c \n < u n k > _ d \n ", Files.readString(chars.resolve("ptb.char.train.txt")));
        assertTrue(r.out().contains("ptb.char.train.txt: 26 bytes, 11 symbols, sha256 "), r.out());
        assertTrue(r.out().contains("(NOT the published e313d914"), r.out());
        assertEquals(3, r.out().lines().count(), r.out());

        var missing = run("data", "ptb-chars", "--ptb-dir", chars.toString(), "--out-dir", chars.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("data ptb-chars: " + chars.resolve("ptb.train.txt") + " not found"), missing.err());
    }

    /** --batch-norm end to end: the plan names it, the bundle keeps the statistics (inspect lists them), generate runs on them. */
    @Test
    void batchNormTrainsSavesInspectsAndGenerates() {
        Path bn = dir.resolve("bn.rnn4j");
        var r = run("train", "lm", "--text", corpus.toString(), "--hidden", "16", "--batch", "4", "--bptt", "16", "--epochs", "1", "--threads", "1",
                "--batch-norm", "--batch-norm-steps", "12", "--out", bn.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("char level, bptt 16, batch norm (statistics for 12 steps)"), r.err());
        var inspected = run("inspect", bn.toString());
        assertEquals(0, inspected.code(), inspected.err());
        assertTrue(inspected.out().contains("\"batch_norm_steps\":12"), inspected.out());
        assertTrue(inspected.out().lines().anyMatch(l -> l.matches("  rnn\\.bn_c_running_var_l0 +\\[12, 16\\] +192")), inspected.out());
        assertTrue(inspected.out().contains("buffers (batch normalisation's population statistics per time step, not trained): 3,456"),
                inspected.out());
        var generated = run("generate", "--model", bn.toString(), "--prime", "to be", "--length", "30", "--seed", "1");
        assertEquals(0, generated.code(), generated.err());
        assertEquals("to be".length() + 30 + 1, generated.out().length(), generated.out());
    }
}
