package dev.rnn4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input files on the command line, one per kind of damage (docs/reliability.md lists them with their messages):
 * each gets exit code 2, one line {@code rnn4j: error: <file>: ...} saying where and what was expected, no stack
 * trace, and no output file.
 */
class BadInputCommandTest {
    @TempDir
    static Path dir;
    private static Path bundle;

    @BeforeAll
    static void trainABundle() {
        bundle = dir.resolve("good.rnn4j");
        ForecastCommandsTest.Result r = ForecastCommandsTest.run("train", "forecast", "--csv", ForecastCommandsTest.airline().toString(),
                "--target", "Passengers", "--hidden", "4", "--epochs", "1", "--threads", "1", "--quiet", "--out", bundle.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static Path write(String name, String text) throws Exception {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the command; expects exit 2 and one error line that starts with the file and contains every part. */
    private static String bad(Path file, List<String> parts, String... args) {
        Path out = dir.resolve("out-" + file.getFileName());
        List<String> all = new ArrayList<>(Arrays.asList(args));
        ForecastCommandsTest.Result r = ForecastCommandsTest.run(all.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("rnn4j: error: ")).toList();
        assertEquals(1, lines.size(), r.err());
        String message = lines.getFirst().substring("rnn4j: error: ".length());
        assertTrue(message.startsWith(file.toString()), message);
        for (String part : parts) assertTrue(message.contains(part), "'" + message + "' lacks '" + part + "'");
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out));
        System.out.println("BAD-INPUT " + file.getFileName() + " | " + message.substring(file.toString().length() + 2));
        return message;
    }

    private static String forecastWith(Path model, List<String> parts) {
        return bad(model, parts, "forecast", "--model", model.toString(), "--csv", ForecastCommandsTest.airline().toString(), "--steps", "2",
                "--output", dir.resolve("out-" + model.getFileName()).toString());
    }

    private static String trainForecastOn(Path csv, List<String> parts, String target) {
        return bad(csv, parts, "train", "forecast", "--csv", csv.toString(), "--target", target, "--epochs", "1", "--hidden", "4", "--quiet",
                "--out", dir.resolve("out-" + csv.getFileName()).toString());
    }

    @Test
    void damagedModelBundles() throws Exception {
        byte[] good = Files.readAllBytes(bundle);
        forecastWith(write("empty.rnn4j", new byte[0]), List.of("truncated: 0 bytes"));
        forecastWith(write("truncated.rnn4j", Arrays.copyOf(good, good.length - 100)), List.of("truncated"));
        byte[] longHeader = Arrays.copyOf(good, 64);
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5000);
        forecastWith(write("header-past-end.rnn4j", longHeader), List.of("header length 5000 runs past the end of the file (64 bytes)"));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        forecastWith(write("header-huge.rnn4j", huge), List.of("header length 1099511627776 is not plausible"));
        forecastWith(write("newer.rnn4j", replace(good, "\\\"bundle_version\\\":1", "\\\"bundle_version\\\":7")),
                List.of("bundle version 7 needs a newer rnn4j"));
        forecastWith(write("dtype.rnn4j", replace(good, "\"F32\"", "\"Q77\"")), List.of("Q77"));
        forecastWith(write("not-utf8.rnn4j", replace(good, "\"F32\"", "\"F\u00ff2\"".getBytes(StandardCharsets.ISO_8859_1))),
                List.of("header is not valid UTF-8"));
    }

    @Test
    void damagedCheckpointsOnResume() throws Exception {
        Path run = Files.createDirectories(dir.resolve("bad-run"));
        Path checkpoint = write("bad-run/checkpoint.rnn4j", Arrays.copyOf(Files.readAllBytes(bundle), 300));
        bad(checkpoint, List.of("truncated"), "train", "forecast", "--csv", ForecastCommandsTest.airline().toString(), "--target", "Passengers",
                "--hidden", "4", "--epochs", "1", "--quiet", "--resume", run.toString());
    }

    @Test
    void badTimeSeriesCsvFiles() throws Exception {
        trainForecastOn(write("empty.csv", ""), List.of("empty"), "y");
        trainForecastOn(write("ragged.csv", "t,y\n2020-01,1\n2020-02,2,3\n2020-03,4\n"), List.of("line 3", "3 fields, the header has 2"), "y");
        trainForecastOn(write("text.csv", "t,y\n2020-01,1\n2020-02,lots\n2020-03,4\n"), List.of("line 3, column 'y'", "lots"), "y");
        trainForecastOn(write("latin1.csv", "t,y\n2020-01,1\n2020-02,2\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)), List.of("line 3", "UTF-8"), "y");
        trainForecastOn(write("nan.csv", "t,y\n2020-01,1\n2020-02,NaN\n2020-03,4\n"),
                List.of("line 3, column 'y': the value is missing ('NaN'); pass --drop-invalid"), "y");
        trainForecastOn(write("inf.csv", "t,y\n2020-01,1\n2020-02,-inf\n2020-03,4\n"), List.of("line 3, column 'y': '-inf' is not finite"), "y");
    }

    @Test
    void dropInvalidLeavesOutAndCountsTheRowsWithNaNOrInfinity() throws Exception {
        StringBuilder csv = new StringBuilder("t,y\n");
        for (int i = 0; i < 60; i++) csv.append(2000 + i / 12).append('-').append(String.format("%02d", i % 12 + 1)).append(',')
                .append(i == 20 ? "NaN" : i == 30 ? "inf" : Integer.toString(100 + i % 7)).append('\n');
        Path file = write("some-nan.csv", csv.toString());
        ForecastCommandsTest.Result r = ForecastCommandsTest.run("train", "forecast", "--csv", file.toString(), "--target", "y", "--epochs", "1",
                "--hidden", "4", "--threads", "1", "--quiet", "--drop-invalid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("58 rows of 'y'") && r.err().contains("; 2 rows dropped for a missing, NaN or infinite value"), r.err());
    }

    @Test
    void badFastaAudioAndEmbeddingFiles() throws Exception {
        Path fasta = write("empty.fa", "");
        bad(fasta, List.of("no FASTA record"), "train", "classify", "--fasta", "a=" + fasta, "--fasta", "b=" + fasta, "--epochs", "1", "--quiet");
        Path noHeader = write("no-header.fa", "ACGT\n>x\nACGT\n");
        bad(noHeader, List.of("line 1"), "train", "classify", "--fasta", "a=" + noHeader, "--fasta", "b=" + noHeader, "--epochs", "1", "--quiet");

        Path audio = Files.createDirectories(dir.resolve("audio"));
        byte[] alaw = AudioCommandsTest.wav(440, 8000, 0.1, 1);
        ByteBuffer.wrap(alaw).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 6); // format tag 6: A-law
        Path wav = write("audio/a_1.wav", alaw);
        Files.write(audio.resolve("b_1.wav"), AudioCommandsTest.wav(880, 8000, 0.1, 2));
        bad(wav, List.of("A-law"), "train", "classify", "--audio-dir", audio.toString(), "--label-pattern", "^([a-z])_", "--epochs", "1", "--quiet");
        Path truncated = write("audio/c_1.wav", Arrays.copyOf(AudioCommandsTest.wav(440, 8000, 0.1, 3), 30));
        Files.delete(wav);
        bad(truncated, List.of("truncated"), "train", "classify", "--audio-dir", audio.toString(), "--label-pattern", "^([a-z])_", "--epochs", "1",
                "--quiet");

        Path text = write("corpus.txt", "the cat sat on the mat . ".repeat(40));
        Path vectors = write("vectors.txt", "the 0.1 0.2 0.3\ncat 0.1 oops 0.3\n");
        bad(vectors, List.of("line 2"), "train", "lm", "--text", text.toString(), "--level", "word", "--embeddings", vectors.toString(),
                "--epochs", "1", "--quiet");
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        return replace(bytes, from, to.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] replace(byte[] bytes, String from, byte[] to) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        assertTrue(at >= 0, "no '" + from + "' in the file");
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        assertEquals(f.length, to.length, "a same-length edit keeps the header length right");
        byte[] out = bytes.clone();
        System.arraycopy(to, 0, out, at, to.length);
        return out;
    }
}
