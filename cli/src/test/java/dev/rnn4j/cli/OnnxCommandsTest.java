package dev.rnn4j.cli;

import dev.rnn4j.io.ModelFile;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rnn4j.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxCommandsTest {
    /** torch.onnx.export files with PyTorch's results, made by core's make_onnx_fixtures.py. */
    static final Path FIXTURES = Path.of("../core/src/test/resources/onnx");

    @TempDir
    Path dir;

    @Test
    void importsATorchExportVerifiedThenExportsAndImportsItAgain() {
        Path model = dir.resolve("gru.rnn4j");
        MainTest.Result imported = run("import-onnx", "--onnx", FIXTURES.resolve("gru2_packed.onnx").toString(),
                "--verify", FIXTURES.resolve("gru2_packed-golden.safetensors").toString(), "--out", model.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("verify: PASS"), imported.out());
        assertTrue(imported.out().contains("imported GRU: 2 layers, input_size 3, hidden_size 4"), imported.out());
        assertEquals("import-onnx " + FIXTURES.resolve("gru2_packed.onnx"), ModelFile.read(model).provenance().source());

        Path onnx = dir.resolve("gru.onnx");
        MainTest.Result exported = run("export-onnx", "--model", model.toString(), "--out", onnx.toString(), "--opset", "17");
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.out().contains("ONNX opset 17"), exported.out());
        assertTrue(exported.out().contains("inputs:  input FLOAT [steps, batch, 3], sequence_lens INT32 [batch], h0 FLOAT [2, batch, 4]"),
                exported.out());

        Path again = dir.resolve("again.rnn4j");
        assertEquals(0, run("import-onnx", "--onnx", onnx.toString(), "--out", again.toString()).code());
        Recurrent first = ModelFile.load(model), second = ModelFile.load(again);
        for (Parameter p : first.parameters()) assertArrayEquals(p.value(), second.parameter(p.name()).value(), p.name());
    }

    @Test
    void badFilesAndOptionsGetOneLineAndNoOutput() throws IOException {
        Path notOnnx = dir.resolve("x.onnx");
        Files.write(notOnnx, new byte[] {0x3A, 0x7F, 1});
        Path model = dir.resolve("m.rnn4j");
        MainTest.Result bad = run("import-onnx", "--onnx", notOnnx.toString(), "--out", model.toString());
        assertEquals(2, bad.code());
        assertEquals("rnn4j: error: " + notOnnx + ": not a valid ONNX file: field 7 claims 127 bytes but 1 are left (byte 1)", bad.err().strip());
        assertFalse(Files.exists(model));

        MainTest.Result opset = run("export-onnx", "--model", model.toString(), "--out", dir.resolve("o.onnx").toString(), "--opset", "9");
        assertEquals(2, opset.code());
        assertTrue(opset.err().contains("--opset 9 is not supported; rnn4j exports opsets 14 to 21"), opset.err());
    }
}
