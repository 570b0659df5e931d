package dev.rnn4j.cli;

import dev.rnn4j.io.Json;
import dev.rnn4j.tensor.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    /** A tiny configuration with no warm-up to speak of, so each run takes milliseconds. */
    private static final String[] TINY = {"--input-size", "3", "--hidden-size", "5", "--seq-len", "4", "--batch", "2",
        "--steps", "2", "--warmup-steps", "1", "--warmup-seconds", "0", "--json"};

    private static String run(String... args) {
        MainTest.Result result = MainTest.run(withCommand(args));
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    private static String[] withCommand(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        return full;
    }

    private static String[] tiny(String... more) {
        String[] args = new String[TINY.length + more.length];
        System.arraycopy(TINY, 0, args, 0, TINY.length);
        System.arraycopy(more, 0, args, TINY.length, more.length);
        return args;
    }

    private static Map<String, Object> runJson(String... args) {
        String out = run(args);
        assertEquals(1, out.lines().count(), "one line of output: " + out);
        return Json.parseObject(out.trim());
    }

    private static double number(Map<String, Object> json, String name) {
        Object v = json.get(name);
        assertTrue(v instanceof Number, name + " should be a number in " + json);
        return ((Number) v).doubleValue();
    }

    @Test
    void trainingPrintsOneJsonObjectWithTheConfigAndTimes() {
        Map<String, Object> json = runJson(tiny("--cell", "lstm", "--mode", "train", "--threads", "2"));
        assertEquals("rnn4j", json.get("impl"));
        assertEquals("lstm", json.get("cell"));
        assertEquals("train", json.get("mode"));
        assertEquals(3L, json.get("input_size"));
        assertEquals(5L, json.get("hidden_size"));
        assertEquals(4L, json.get("seq_len"));
        assertEquals(2L, json.get("batch"));
        assertEquals(2L, json.get("threads"));
        assertEquals(2L, json.get("steps"));
        double ms = number(json, "ms_per_step");
        assertTrue(ms > 0, "ms_per_step " + ms);
        assertTrue(number(json, "ms_min") <= ms && ms <= number(json, "ms_max"));
        // 3 x forward: 3 * 2*T*B*4H*(I+H) = 3 * 2*4*2*20*8 FLOPs per step
        double flops = 3 * 2.0 * 4 * 2 * 20 * 8;
        assertEquals(flops / (ms * 1e6), number(json, "gflops"), 1e-3 * flops / (ms * 1e6) + 1e-9);
        assertTrue(Double.isFinite(number(json, "loss")));
        assertFalse(json.containsKey("us_per_step"));
    }

    @Test
    void everyCellAndModeRuns() {
        for (String cell : new String[] {"lstm", "gru", "rnn"}) {
            for (String mode : new String[] {"train", "infer", "serve", "stream"}) {
                Map<String, Object> json = runJson(tiny("--cell", cell, "--mode", mode));
                assertEquals(cell, json.get("cell"));
                assertEquals(mode, json.get("mode"));
                String time = mode.equals("stream") ? "us_per_step" : "ms_per_step";
                assertTrue(number(json, time) > 0, cell + " " + mode + ": " + json);
                assertTrue(number(json, "gflops") > 0, cell + " " + mode + ": " + json);
            }
        }
    }

    @Test
    void gflopsCountTheForwardGemmsOfEachCell() {
        // infer: 2*T*B*g*H*(I+H) with T=4, B=2, H=5, I=3
        for (String[] cellGates : new String[][] {{"lstm", "4"}, {"gru", "3"}, {"rnn", "1"}}) {
            Map<String, Object> json = runJson(tiny("--cell", cellGates[0], "--mode", "infer"));
            double flops = 2.0 * 4 * 2 * Integer.parseInt(cellGates[1]) * 5 * 8;
            double expected = flops / (number(json, "ms_per_step") * 1e6);
            assertEquals(expected, number(json, "gflops"), 1e-3 * expected + 1e-9, cellGates[0]);
        }
    }

    @Test
    void stackedLayersWithDropoutTrainAndCountEveryLayersFlops() {
        Map<String, Object> json = runJson(tiny("--mode", "train", "--layers", "2", "--dropout", "0.2"));
        assertEquals(2L, json.get("layers"));
        assertEquals(0.2, number(json, "dropout"), 1e-12);
        assertTrue(Double.isFinite(number(json, "loss")));
        // layer 0: 2*T*B*4H*(I+H) = 2*4*2*20*8; layer 1: 2*T*B*4H*(H+H) = 2*4*2*20*10; training 3x
        double flops = 3 * (2.0 * 4 * 2 * 20 * 8 + 2.0 * 4 * 2 * 20 * 10);
        double expected = flops / (number(json, "ms_per_step") * 1e6);
        assertEquals(expected, number(json, "gflops"), 1e-3 * expected + 1e-9);

        Map<String, Object> single = runJson(tiny("--mode", "infer"));
        assertEquals(1L, single.get("layers"));
        assertEquals(0.0, number(single, "dropout"));
    }

    @Test
    void serveGivesTheTimePerSequence() {
        Map<String, Object> json = runJson(tiny("--mode", "serve"));
        assertEquals("serve", json.get("mode"));
        assertEquals(2L, json.get("batch"));
        double perStep = number(json, "ms_per_step");
        assertEquals(perStep / 2, number(json, "ms_per_sequence"), 1e-5 * perStep + 1e-9);
        assertTrue(number(json, "ms_per_sequence_min") <= number(json, "ms_per_sequence"));
        // forward FLOPs of the network, not its head: 2*T*B*4H*(I+H) = 2*4*2*20*8
        double expected = 2.0 * 4 * 2 * 20 * 8 / (perStep * 1e6);
        assertEquals(expected, number(json, "gflops"), 1e-3 * expected + 1e-9);
        assertFalse(runJson(tiny("--mode", "infer")).containsKey("ms_per_sequence"));
    }

    @Test
    void everyModeReportsTheBytesAllocatedPerStepByAllThreads() {
        for (String mode : new String[] {"train", "infer", "serve", "stream"}) {
            Map<String, Object> json = runJson(tiny("--mode", mode, "--threads", "2"));
            assertTrue(number(json, "alloc_bytes_per_step") >= 0, mode + ": " + json);
            assertEquals("all threads", json.get("alloc_scope"), mode + ": " + json);
        }
        String[] noJson = Arrays.stream(tiny("--mode", "stream")).filter(a -> !a.equals("--json")).toArray(String[]::new);
        assertTrue(run(noJson).contains("bytes allocated per call"));
    }

    @Test
    void restoresTheThreadCount() {
        int before = Parallel.threads();
        run(tiny("--threads", "3", "--mode", "infer"));
        assertEquals(before, Parallel.threads());
    }

    @Test
    void withoutJsonPrintsASentence() {
        String[] noJson = Arrays.stream(tiny("--mode", "infer")).filter(a -> !a.equals("--json")).toArray(String[]::new);
        String sentence = run(noJson);
        assertTrue(sentence.startsWith("rnn4j lstm infer I=3 H=5 T=4 B=2, 1 thread: "), sentence);
        assertTrue(sentence.contains("ms per step") && sentence.contains("GFLOP/s"), sentence);
    }

    @Test
    void acceptsEqualsSyntaxAndUpperCaseValues() {
        Map<String, Object> json = runJson("--cell=GRU", "--mode=infer", "--input-size=2", "--hidden-size=3",
                "--seq-len=2", "--batch=1", "--steps=2", "--warmup-steps=0", "--warmup-seconds=0", "--json");
        assertEquals("gru", json.get("cell"));
        assertEquals(3L, json.get("hidden_size"));
    }

    @Test
    void helpPrintsUsage() {
        String help = run("--help");
        assertTrue(help.startsWith("Usage: rnn4j bench"), help);
        assertTrue(help.contains("what a step is: train, infer, serve, stream") && help.contains("Default: 128"), help);
        assertTrue(help.contains("--layers=L") && help.contains("--dropout=P"), help);
    }

    @Test
    void badUsageSaysWhat() {
        assertUsage("Unknown options: '--hidden', '5'", "--hidden", "5");
        assertUsage("Invalid value for option '--cell': expected one of [LSTM, GRU, RNN] (case-insensitive) but was 'transformer'",
                "--cell", "transformer");
        assertUsage("Invalid value for option '--mode': expected one of [TRAIN, INFER, SERVE, STREAM] (case-insensitive) but was 'fast'",
                "--mode", "fast");
        assertUsage("Invalid value for option '--hidden-size': 'big' is not an int", "--hidden-size", "big");
        assertUsage("--batch must be between 1 and", "--batch", "0");
        assertUsage("--threads must be between 1 and", "--threads", "-1");
        assertUsage("Missing required parameter for option '--steps'", "--steps");
        assertUsage("Expected parameter for option '--steps' but found '--json'", "--steps", "--json");
        assertUsage("option '--seq-len' (T) should be specified only once", "--seq-len", "3", "--seq-len", "4");
        assertUsage("Invalid value for option '--json'", "--json=yes");
        assertUsage("Invalid value for option '--warmup-seconds': 'x' is not a double", "--warmup-seconds", "x");
        assertUsage("--warmup-seconds must be between 0 and 3600", "--warmup-seconds", "-1");
        assertUsage("Unmatched argument at index 1: 'extra'", "extra");
        assertUsage("--layers must be between 1 and 64, got 0", "--layers", "0");
        assertUsage("--dropout must be at least 0 and below 1, got 1.0", "--layers", "2", "--dropout", "1");
        assertUsage("--dropout acts between stacked layers: it needs --layers 2 or more", "--dropout", "0.2");
        assertUsage("this configuration needs an array of 100000000 x 32 floats, more than a Java array holds", "--seq-len", "100000", "--batch", "1000", "--hidden-size", "1000");
    }

    /** Exit 2, nothing on stdout, and on stderr "rnn4j: error: bench: <expected...>" then the pointer to --help. */
    private static void assertUsage(String expected, String... args) {
        MainTest.Result result = MainTest.run(withCommand(args));
        assertEquals(2, result.code(), result.toString());
        assertEquals("", result.out());
        String first = result.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("rnn4j: error: bench: " + expected), "'" + first + "' should start with '" + expected + "'");
        assertTrue(result.err().endsWith("see 'rnn4j bench --help'\n"), result.err());
    }
}
