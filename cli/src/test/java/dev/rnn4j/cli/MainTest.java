package dev.rnn4j.cli;

import dev.rnn4j.io.ModelFile;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsWriter;
import dev.rnn4j.layer.Gru;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    static final int T = 5;
    static final int B = 3;
    static final int I = 4;
    static final int H = 3;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A 2-layer bidirectional LSTM: I=4, H=3. */
    static Recurrent lstm() {
        return Lstm.builder().inputSize(I).hiddenSize(H).layers(2).bidirectional(true).seed(1).build();
    }

    /** The network as PyTorch's state dict, with the metadata import-torch expects. */
    static SafetensorsWriter stateDict(Recurrent network, String mode) {
        RecurrentConfig c = network.config();
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata("mode", mode)
                .metadata("input_size", Integer.toString(c.inputSize()))
                .metadata("hidden_size", Integer.toString(c.hiddenSize()))
                .metadata("num_layers", Integer.toString(c.layers()))
                .metadata("bidirectional", c.bidirectional() ? "True" : "False")
                .metadata("bias", Boolean.toString(c.bias()));
        for (Parameter p : network.parameters()) w.putFloats(p.name(), p.value(), p.shape());
        return w;
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }

    /** An input file for a [T, B, I] batch with lengths, h0 and c0 for a 2-layer bidirectional LSTM. */
    static SafetensorsWriter inputs() {
        return new SafetensorsWriter()
                .putFloats("input", random(T * B * I, 2), T, B, I)
                .putLongs("lengths", new long[] {5, 2, 4}, B)
                .putFloats("h0", random(4 * B * H, 3), 4, B, H)
                .putFloats("c0", random(4 * B * H, 4), 4, B, H);
    }

    // ------------------------------------------------------------------------------------------ happy paths

    @Test
    void importTorchThenInferGivesWhatForwardGives() throws IOException {
        Recurrent network = lstm();
        Path weights = dir.resolve("lstm.safetensors");
        stateDict(network, "LSTM").write(weights);
        Path model = dir.resolve("lstm.rnn4j");
        Result imported = run("import-torch", "--weights", weights.toString(), "--out", model.toString());
        assertEquals(new Result(0, "imported LSTM: 2 layers, bidirectional, input_size 4, hidden_size 3, 480 parameters -> "
                + model + "\n", ""), imported);
        assertTrue(ModelFile.read(model).provenance().source().equals("import-torch " + weights));

        Path x = dir.resolve("x.safetensors");
        inputs().write(x);
        Path y = dir.resolve("y.safetensors");
        Result inferred = run("infer", "--model", model.toString(), "--input=" + x, "--output", y.toString());
        assertEquals(new Result(0, "wrote output [5, 3, 6], h_n [4, 3, 3], c_n [4, 3, 3] to " + y + "\n", ""), inferred);

        SafetensorsFile xs = SafetensorsFile.read(x);
        SequenceBatch batch = new SequenceBatch(xs.floats("input"), T, B, new int[] {5, 2, 4}, xs.floats("h0"), xs.floats("c0"));
        RecurrentOutput expected = network.forward(batch);
        SafetensorsFile ys = SafetensorsFile.read(y);
        assertEquals(List.of("output", "h_n", "c_n"), List.copyOf(ys.names()));
        assertArrayEquals(new long[] {T, B, 2 * H}, ys.shape("output"));
        assertArrayEquals(new long[] {4, B, H}, ys.shape("h_n"));
        assertArrayEquals(Arrays.copyOf(expected.output(), T * B * 2 * H), ys.floats("output"));
        assertArrayEquals(Arrays.copyOf(expected.hN(), 4 * B * H), ys.floats("h_n"));
        assertArrayEquals(Arrays.copyOf(expected.cN(), 4 * B * H), ys.floats("c_n"));
        assertEquals(List.of("lstm.rnn4j", "lstm.safetensors", "x.safetensors", "y.safetensors"), listDir());
    }

    @Test
    void inferAcceptsAStateDictAsModelAndAGruWithoutState() throws IOException {
        Recurrent gru = Gru.builder().inputSize(I).hiddenSize(H).seed(9).build();
        Path weights = dir.resolve("gru.safetensors");
        stateDict(gru, "GRU").write(weights);
        Path x = dir.resolve("x.safetensors");
        new SafetensorsWriter().putFloats("input", random(T * B * I, 2), T, B, I).write(x);
        Path y = dir.resolve("y.safetensors");
        assertEquals(new Result(0, "wrote output [5, 3, 3], h_n [1, 3, 3] to " + y + "\n", ""),
                run("infer", "--model", weights.toString(), "--input", x.toString(), "--output", y.toString()));
        RecurrentOutput expected = gru.forward(SequenceBatch.of(SafetensorsFile.read(x).floats("input"), T, B));
        assertArrayEquals(Arrays.copyOf(expected.output(), T * B * H), SafetensorsFile.read(y).floats("output"));
    }

    @Test
    void verifyPassesAgainstMatchingResultsAndWritesTheModel() throws IOException {
        Recurrent network = lstm();
        Path weights = dir.resolve("w.safetensors");
        stateDict(network, "LSTM").write(weights);
        Path golden = golden(network, 0f);
        Path model = dir.resolve("m.rnn4j");
        Result result = run("import-torch", "--weights", weights.toString(), "--verify", golden.toString(), "--out", model.toString());
        assertEquals(0, result.code(), result.toString());
        assertEquals("", result.err());
        String[] lines = result.out().split("\n");
        assertEquals(5, lines.length, result.out());
        assertTrue(lines[0].matches("verify output max abs error 0\\.000e\\+00, tolerance 1\\.\\d{3}e-05: PASS"), lines[0]);
        assertTrue(lines[1].startsWith("verify h_n    max abs error 0.000e+00"), lines[1]);
        assertTrue(lines[2].startsWith("verify c_n    max abs error 0.000e+00"), lines[2]);
        assertEquals("verify: PASS against " + golden, lines[3]);
        assertTrue(Files.exists(model));
    }

    @Test
    void verifyFailureExitsWithOneAndWritesNothing() throws IOException {
        Recurrent network = lstm();
        Path weights = dir.resolve("w.safetensors");
        stateDict(network, "LSTM").write(weights);
        Path golden = golden(network, 1e-3f);
        Path model = dir.resolve("m.rnn4j");
        Result result = run("import-torch", "--weights", weights.toString(), "--verify", golden.toString(), "--out", model.toString());
        assertEquals(1, result.code());
        assertTrue(result.out().contains("verify h_n    max abs error 1.000e-03"), result.out());
        assertTrue(result.out().contains(": FAIL"), result.out());
        assertTrue(result.err().matches("rnn4j: error: \\Q" + golden + "\\E: PyTorch's results do not match: h_n differs by up to "
                + "1\\.000e-03 \\(tolerance 1\\.\\d{3}e-05\\); model not written\n"), result.err());
        assertTrue(Files.notExists(model));
    }

    /** A golden file for the inputs() batch, from network's own forward pass, with h_n[0] shifted by delta. */
    private Path golden(Recurrent network, float delta) {
        SafetensorsWriter inputs = inputs();
        SafetensorsFile x = SafetensorsFile.parse("x", inputs.toBytes());
        RecurrentOutput out = network.forward(new SequenceBatch(x.floats("input"), T, B, new int[] {5, 2, 4},
                x.floats("h0"), x.floats("c0")));
        float[] hN = Arrays.copyOf(out.hN(), 4 * B * H);
        hN[0] += delta;
        Path golden = dir.resolve("golden.safetensors");
        inputs.putFloats("output", Arrays.copyOf(out.output(), T * B * 2 * H), T, B, 2 * H)
                .putFloats("h_n", hN, 4, B, H)
                .putFloats("c_n", Arrays.copyOf(out.cN(), 4 * B * H), 4, B, H)
                .write(golden);
        return golden;
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: rnn4j [-hV] <command>\n"), help.out());
        for (String command : List.of("import-torch", "infer", "train", "bench", "completion", "help")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " listed in " + help.out());
        }
        assertEquals("", help.err());
        assertEquals(help, run("help"));
        assertEquals(help, run("-h"));
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("rnn4j 0.1.0-SNAPSHOT (Java "), version.out());
        assertEquals(version, run("-V"));
    }

    @Test
    void everyCommandHasItsOwnHelpWithDefaults() {
        // command line -> a default value its help must show
        Map<List<String>, String> defaults = Map.of(
                List.of("train", "adding"), "Default: 64",
                List.of("train", "copy"), "Default: 128",
                List.of("bench"), "Default: 32",
                List.of("import-torch"), "--verify=GOLDEN.safetensors",
                List.of("infer"), "--output=Y.safetensors");
        defaults.forEach((command, shown) -> {
            String name = String.join(" ", command);
            Result help = run(Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new));
            assertEquals(0, help.code(), name);
            assertTrue(help.out().startsWith("Usage: rnn4j " + name + " "), help.out());
            assertTrue(help.out().contains(shown), name + " --help should show " + shown + ":\n" + help.out());
            if (command.size() == 1) assertEquals(help, run("help", name), name + ": 'help <command>' prints the same");
        });
        Result adding = run("train", "adding", "--help");
        assertTrue(adding.out().contains("Default: 5000") && adding.out().contains("Default: 0.003"), adding.out());
        assertTrue(adding.out().contains("the recurrent cell: lstm, gru, rnn"), adding.out());
        assertTrue(run("train", "copy", "-h").out().contains("Default: 0.001"));
        assertTrue(run("train", "--help").out().contains("adding") && run("train", "--help").out().contains("copy"));
    }

    @Test
    void completionPrintsABashScript() {
        Result completion = run("completion");
        assertEquals(0, completion.code(), completion.err());
        assertTrue(completion.out().contains("complete -F"), completion.out());
        assertTrue(completion.out().contains("--hidden-size") && completion.out().contains("import-torch"), "every command and option");
    }

    // ------------------------------------------------------------------------------------------ usage errors

    @Test
    void usageErrors() {
        assertUsageError("missing command", "rnn4j");
        assertUsageError("unknown command 'fit' (commands: train, evaluate, predict, forecast, generate, classify-stream, report, inspect, import-torch, import-onnx, export-onnx, infer, bench, data, completion, help)", "rnn4j", "fit");
        assertUsageError("train: which task? (tasks: forecast, classify, lm, adding, copy; e.g. rnn4j train adding --cell lstm --length 200)", "rnn4j train",
                "train");
        assertUsageError("train: unknown command 'sine' (commands: forecast, classify, lm, adding, copy)", "rnn4j train", "train", "sine", "--cell", "lstm");
        assertUsageError("train adding: Invalid value for option '--cell': expected one of [LSTM, GRU, RNN] (case-insensitive) but was 'tcn'",
                "rnn4j train adding", "train", "adding", "--cell", "tcn", "--length", "9");
        assertUsageError("train adding: Missing required option: '--length=T'", "rnn4j train adding", "train", "adding", "--cell", "lstm");
        assertUsageError("train adding: --length must be in 2..100000, got 1", "rnn4j train adding",
                "train", "adding", "--cell", "gru", "--length", "1");
        assertUsageError("train copy: --hidden-size must be in 1..65536, got 0", "rnn4j train copy",
                "train", "copy", "--cell", "gru", "--length", "1", "--hidden-size", "0");
        assertUsageError("train adding: Invalid value for option '--learning-rate': 'fast' is not a double", "rnn4j train adding",
                "train", "adding", "--cell", "gru", "--length", "9", "--learning-rate", "fast");
        // picocli sets aside what the top command does not know and reports the command's own problem first
        assertUsageError("infer: Missing required options: '--model=MODEL', '--input=X.safetensors'", "rnn4j infer",
                "--model", "m", "infer");
        assertUsageError("infer: Unknown options: '--weights', 'w'", "rnn4j infer", "infer", "--weights", "w", "--model", "m",
                "--input", "x");
        assertUsageError("import-torch: Unknown options: '--output', 'o'", "rnn4j import-torch",
                "import-torch", "--weights", "w", "--output", "o");
        assertUsageError("infer: Missing required parameter for option '--model' (MODEL)", "rnn4j infer", "infer", "--model");
        assertUsageError("infer: Expected parameter for option '--model' but found '--input'", "rnn4j infer",
                "infer", "--model", "--input", "x");
        assertUsageError("infer: Invalid value for option '--model': needs a value", "rnn4j infer", "infer", "--model=", "--input", "x");
        assertUsageError("infer: option '--model' (MODEL) should be specified only once", "rnn4j infer",
                "infer", "--model", "a", "--model", "b", "--input", "x");
        assertUsageError("infer: Unmatched argument at index 5: 'extra'", "rnn4j infer", "infer", "--model", "a", "--input", "x", "extra");
        assertUsageError("infer: Missing required option: '--input=X.safetensors'", "rnn4j infer", "infer", "--model", "a",
                "--output", "y");
        assertUsageError("import-torch: Missing required option: '--weights=W.safetensors'", "rnn4j import-torch",
                "import-torch", "--out", "m");
        assertUsageError("import-torch: --out is required (or --verify alone, to only check the import)", "rnn4j import-torch",
                "import-torch", "--weights", "w");
        assertUsageError("Unknown option: '--verbose'", "rnn4j", "--verbose");
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        Result result = run("train", "adding", "--cell", "gru", "--length", "9", "--hiden-size", "8");
        assertEquals(2, result.code());
        assertEquals("", result.out());
        assertEquals(List.of("rnn4j: error: train adding: Unknown options: '--hiden-size', '8'", "Did you mean: --hidden-size?",
                "see 'rnn4j train adding --help'"), result.err().lines().toList());
        Result command = run("infre", "--model", "m");
        assertEquals(2, command.code());
        assertTrue(command.err().contains("\nDid you mean: infer"), command.err());
    }

    /**
     * Expects exit 2, nothing on stdout, and on stderr: the message, possibly a suggestion, then the pointer to the help
     * of {@code command} (the command whose options were wrong).
     */
    private static void assertUsageError(String message, String command, String... args) {
        Result result = run(args);
        String context = String.join(" ", args) + " -> " + result;
        assertEquals(2, result.code(), context);
        assertEquals("", result.out(), context);
        List<String> lines = result.err().lines().toList();
        assertEquals("rnn4j: error: " + message, lines.getFirst(), context);
        assertEquals("see '" + command + " --help'", lines.getLast(), context);
        assertTrue(lines.size() <= 3, "no usage dump: " + context);
    }

    // ------------------------------------------------------------------------------------------ file errors

    @Test
    void missingFiles() throws IOException {
        Path model = writeModel();
        Path x = write("x.safetensors", inputs());
        Path missing = dir.resolve("missing.safetensors");
        assertInferError(missing + ": cannot read: no such file or directory", "--model", missing.toString(), "--input", x.toString());
        assertInferError(missing + ": cannot read: no such file or directory", "--model", model.toString(), "--input", missing.toString());
        assertImportError(missing + ": cannot read: no such file or directory", "--weights", missing.toString());
        Path weights = write("w.safetensors", stateDict(lstm(), "LSTM"));
        assertImportError(missing + ": cannot read: no such file or directory", "--weights", weights.toString(), "--verify", missing.toString());
        Path noDir = dir.resolve("no/such/dir/y.safetensors");
        assertEquals(new Result(2, "", "rnn4j: error: " + noDir + ": cannot write: directory " + noDir.getParent() + " does not exist\n"),
                run("infer", "--model", model.toString(), "--input", x.toString(), "--output", noDir.toString()));
    }

    @Test
    void badInputTensors() throws IOException {
        assertInputError(() -> new SafetensorsWriter().putFloats("h0", new float[4 * B * H], 4, B, H),
                "missing tensor 'input'");
        assertInputError(() -> new SafetensorsWriter().putDoubles("input", new double[T * B * I], T, B, I),
                "tensor 'input' has dtype F64, expected F32");
        assertInputError(() -> new SafetensorsWriter().putFloats("input", new float[T * B * 5], T, B, 5),
                "tensor 'input' has shape [5, 3, 5], expected [T, B, 4] (time-major; the model's input_size is 4)");
        assertInputError(() -> new SafetensorsWriter().putFloats("input", new float[T * I], T, I),
                "tensor 'input' has shape [5, 4], expected [T, B, 4] (time-major; the model's input_size is 4)");
        assertInputError(() -> new SafetensorsWriter().putFloats("input", new float[0], 0, B, I),
                "tensor 'input' has shape [0, 3, 4]; T and B must be at least 1");
        assertInputError(() -> inputsWith("h0", new SafetensorsWriter().putFloats("h0", new float[2 * B * H], 2, B, H)),
                "tensor 'h0' has shape [2, 3, 3], expected [4, 3, 3]");
        assertInputError(() -> inputsWith("c0", new SafetensorsWriter().putFloats("c0", new float[4 * B * 2], 4, B, 2)),
                "tensor 'c0' has shape [4, 3, 2], expected [4, 3, 3]");
        assertInputError(() -> inputsWith("h0", new SafetensorsWriter().putDoubles("h0", new double[4 * B * H], 4, B, H)),
                "tensor 'h0' has dtype F64, expected F32");
        assertInputError(() -> inputsWith("lengths", new SafetensorsWriter().putFloats("lengths", new float[] {5, 2, 4}, B)),
                "tensor 'lengths' has dtype F32, expected I64");
        assertInputError(() -> inputsWith("lengths", new SafetensorsWriter().putLongs("lengths", new long[] {5, 2}, 2)),
                "tensor 'lengths' has shape [2], expected [3] (one length per sequence of the batch)");
        assertInputError(() -> inputsWith("lengths", new SafetensorsWriter().putLongs("lengths", new long[] {5, 0, 4}, B)),
                "tensor 'lengths' has 0 at index [1]; each length must be in 1..5 (T)");
        assertInputError(() -> inputsWith("lengths", new SafetensorsWriter().putLongs("lengths", new long[] {5, 2, 6}, B)),
                "tensor 'lengths' has 6 at index [2]; each length must be in 1..5 (T)");
        assertInputError(() -> inputsWith("h_0", new SafetensorsWriter().putFloats("h_0", new float[4 * B * H], 4, B, H)),
                "unexpected tensor 'h_0' (expected input and optionally h0, c0, lengths)");
        float[] withNaN = random(T * B * I, 2);
        withNaN[I + 2] = Float.NaN;
        assertInputError(() -> new SafetensorsWriter().putFloats("input", withNaN, T, B, I), "tensor 'input' has NaN at index [0, 1, 2]");
        float[] h0WithInf = new float[4 * B * H];
        h0WithInf[4 * B * H - 1] = Float.NEGATIVE_INFINITY;
        assertInputError(() -> inputsWith("h0", new SafetensorsWriter().putFloats("h0", h0WithInf, 4, B, H)),
                "tensor 'h0' has -Infinity at index [3, 2, 2]");
    }

    @Test
    void c0ForAModelWithoutCellState() throws IOException {
        Path model = dir.resolve("gru.rnn4j");
        ModelFile.save(Gru.builder().inputSize(I).hiddenSize(H).build(), model, null);
        Path x = write("x.safetensors", new SafetensorsWriter()
                .putFloats("input", new float[T * B * I], T, B, I)
                .putFloats("c0", new float[B * H], 1, B, H));
        assertInferError(x + ": tensor 'c0' is given but the model is a GRU, which has no cell state (c0 is for LSTMs only)",
                "--model", model.toString(), "--input", x.toString());
    }

    @Test
    void corruptFiles() throws IOException {
        Path model = writeModel();
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = Files.write(dir.resolve("truncated.rnn4j"), Arrays.copyOf(bytes, bytes.length - 10));
        Path x = write("x.safetensors", inputs());
        assertInferError(truncated + ": tensor 'bias_hh_l1_reverse': data_offsets [1872, 1920] run past the end of the data "
                + "(1910 bytes); the file is truncated or corrupt", "--model", truncated.toString(), "--input", x.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "not a safetensors file at all");
        assertInferError(garbage + ": header length 7021991845529153390 is not plausible; not a safetensors file",
                "--model", model.toString(), "--input", garbage.toString());
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertImportError(empty + ": truncated: 0 bytes, too short for a safetensors header", "--weights", empty.toString());
    }

    @Test
    void badModels() throws IOException {
        Recurrent network = lstm();
        network.parameter("weight_hh_l1").value()[4] = Float.NaN;
        Path nanWeights = write("nan.safetensors", stateDict(network, "LSTM"));
        assertImportError(nanWeights + ": tensor 'weight_hh_l1' has NaN at index [1, 1]", "--weights", nanWeights.toString());
        Path x = write("x.safetensors", inputs());
        assertInferError(nanWeights + ": tensor 'weight_hh_l1' has NaN at index [1, 1]", "--model", nanWeights.toString(), "--input", x.toString());

        Path badMode = write("mode.safetensors", stateDict(lstm(), "LSTM2"));
        assertImportError(badMode + ": metadata 'mode' is 'LSTM2'; accepted: LSTM, GRU, RNN_TANH, RNN_RELU", "--weights", badMode.toString());
        Path gruAsLstm = write("gru.safetensors", stateDict(Gru.builder().inputSize(I).hiddenSize(H).build(), "LSTM"));
        assertImportError(gruAsLstm + ": tensor 'weight_ih_l0' has shape [9, 4], expected [12, 4]", "--weights", gruAsLstm.toString());
        Path notAModel = write("plain.safetensors", new SafetensorsWriter().putFloats("input", new float[1], 1));
        assertInferError(notAModel + ": not an rnn4j model file: metadata 'format' is missing", "--model", notAModel.toString(),
                "--input", x.toString());
    }

    private Path writeModel() {
        Path model = dir.resolve("model.rnn4j");
        ModelFile.save(lstm(), model, null);
        return model;
    }

    private Path write(String name, SafetensorsWriter writer) {
        Path file = dir.resolve(name);
        writer.write(file);
        return file;
    }

    /** inputs() with one tensor replaced by the one in {@code replacement} (or added). */
    private static SafetensorsWriter inputsWith(String name, SafetensorsWriter replacement) {
        SafetensorsFile base = SafetensorsFile.parse("base", inputs().toBytes());
        SafetensorsFile extra = SafetensorsFile.parse("extra", replacement.toBytes());
        SafetensorsWriter out = new SafetensorsWriter();
        for (String n : base.names()) {
            if (n.equals(name)) continue;
            if (base.dtype(n).equals("I64")) out.putLongs(n, base.longs(n), base.shape(n));
            else out.putFloats(n, base.floats(n), base.shape(n));
        }
        switch (extra.dtype(name)) {
            case "I64" -> out.putLongs(name, extra.longs(name), extra.shape(name));
            case "F64" -> out.putDoubles(name, extra.doubles(name), extra.shape(name));
            default -> out.putFloats(name, extra.floats(name), extra.shape(name));
        }
        return out;
    }

    /** Runs infer on a good model and this input file, expecting the error "x.safetensors: message". */
    private void assertInputError(Supplier<SafetensorsWriter> input, String message) throws IOException {
        Path model = writeModel();
        Path x = write("x.safetensors", input.get());
        assertInferError(x + ": " + message, "--model", model.toString(), "--input", x.toString());
        Files.delete(x);
        Files.delete(model);
    }

    /** Runs infer with these options plus --output, expecting exit 2, this one line, and no output file. */
    private void assertInferError(String message, String... options) throws IOException {
        List<String> before = listDir();
        Path y = dir.resolve("y.safetensors");
        String[] args = Stream.concat(Stream.of("infer"), Stream.concat(Arrays.stream(options), Stream.of("--output", y.toString())))
                .toArray(String[]::new);
        assertEquals(new Result(2, "", "rnn4j: error: " + message + "\n"), run(args), String.join(" ", args));
        assertTrue(Files.notExists(y));
        assertEquals(before, listDir(), "no temporary file left behind");
    }

    /** Runs import-torch with these options plus --out, expecting exit 2, this one line, and no model file. */
    private void assertImportError(String message, String... options) throws IOException {
        List<String> before = listDir();
        Path out = dir.resolve("out.rnn4j");
        String[] args = Stream.concat(Stream.of("import-torch"), Stream.concat(Arrays.stream(options), Stream.of("--out", out.toString())))
                .toArray(String[]::new);
        assertEquals(new Result(2, "", "rnn4j: error: " + message + "\n"), run(args), String.join(" ", args));
        assertTrue(Files.notExists(out));
        assertEquals(before, listDir(), "no temporary file left behind");
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
