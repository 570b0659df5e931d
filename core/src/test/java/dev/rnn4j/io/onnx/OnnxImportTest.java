package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Graph;
import dev.rnn4j.io.onnx.Onnx.Model;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.Tensor;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxImportTest {
    static final Path FIXTURES = Path.of("src/test/resources/onnx");

    /** Files from torch.onnx.export and onnx.helper (make_onnx_fixtures.py), run on their inputs against PyTorch's results. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm_bi2_plain", "gru2_packed", "lstm_bi_packed", "rnn_relu_batch_first", "lstm_bi_unfolded",
        "helper_lstm_bi_float_data", "helper_gru_constants", "helper_rnn_tanh_nobias"})
    void importsFilesFromPyTorchAndOnnxHelper(String name) {
        Recurrent network = OnnxImport.load(FIXTURES.resolve(name + ".onnx"));
        SafetensorsFile golden = SafetensorsFile.read(FIXTURES.resolve(name + "-golden.safetensors"));
        long[] shape = golden.shape("input");
        int steps = (int) shape[0], batch = (int) shape[1];
        assertEquals(shape[2], network.config().inputSize());
        int[] lengths = null;
        if (golden.has("lengths")) {
            long[] wide = golden.longs("lengths");
            lengths = new int[wide.length];
            for (int i = 0; i < wide.length; i++) lengths[i] = (int) wide[i];
        }
        RecurrentOutput out = network.forward(new SequenceBatch(golden.floats("input"), steps, batch, lengths,
                golden.has("h0") ? golden.floats("h0") : null, golden.has("c0") ? golden.floats("c0") : null));
        assertMatches(golden, "output", out.output());
        assertMatches(golden, "h_n", out.hN());
        assertEquals(golden.has("c_n"), network.config().cellType() == CellType.LSTM);
        if (golden.has("c_n")) assertMatches(golden, "c_n", out.cN());
    }

    @Test
    void fixturesHaveTheShapesTheirScriptMade() {
        RecurrentConfig c = OnnxImport.load(FIXTURES.resolve("lstm_bi2_plain.onnx")).config();
        assertEquals(new RecurrentConfig(CellType.LSTM, 3, 4, 2, true, true, Nonlinearity.TANH, GruVariant.RESET_AFTER), c);
        c = OnnxImport.load(FIXTURES.resolve("rnn_relu_batch_first.onnx")).config();
        assertEquals(new RecurrentConfig(CellType.RNN, 3, 4, 1, false, false, Nonlinearity.RELU, GruVariant.RESET_AFTER), c);
        c = OnnxImport.load(FIXTURES.resolve("gru2_packed.onnx")).config();
        assertEquals(new RecurrentConfig(CellType.GRU, 3, 4, 2, false, true, Nonlinearity.TANH, GruVariant.RESET_AFTER), c);
    }

    private static void assertMatches(SafetensorsFile golden, String name, float[] ours) {
        float[] reference = golden.floats(name);
        double max = 0, worst = 0;
        for (float v : reference) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < reference.length; i++) {
            double error = Math.abs(reference[i] - ours[i]);
            worst = Double.isNaN(error) ? Double.NaN : Math.max(worst, error);
        }
        assertTrue(worst <= 1e-5 * (1 + max), golden.source() + " " + name + " differs by " + worst);
    }

    /** Exporting then importing gives back every weight bit for bit, for every cell, direction, depth and bias. */
    @Test
    void exportThenImportGivesTheSameWeights() {
        for (OnnxExportRuntimeTest.Cell cell : OnnxExportRuntimeTest.Cell.values()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                for (int layers = 1; layers <= 2; layers++) {
                    for (boolean bias : new boolean[] {true, false}) {
                        RecurrentConfig config = new RecurrentConfig(cell.type, 3, 4, layers, bidirectional, bias, cell.nonlinearity, cell.variant);
                        Recurrent original = OnnxExportRuntimeTest.randomNetwork(config, 31);
                        byte[] bytes = OnnxCodec.encode(OnnxExport.of(original, OnnxExport.Options.defaults().withBatchFirst(bias), Map.of()));
                        Recurrent imported = OnnxImport.of(OnnxCodec.decode("x.onnx", bytes), "x.onnx");
                        assertEquals(config, imported.config());
                        for (Parameter p : original.parameters()) {
                            assertArrayEquals(p.value(), imported.parameter(p.name()).value(), config + " " + p.name());
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ what rnn4j cannot import: one message each

    private static Model lstm(UnaryOperator<Node> change) {
        Recurrent network = OnnxExportRuntimeTest.randomNetwork(new RecurrentConfig(CellType.LSTM, 3, 4, 1, false, true,
                Nonlinearity.TANH, GruVariant.RESET_AFTER), 1);
        Model model = OnnxExport.of(network, OnnxExport.Options.defaults(), Map.of());
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            nodes.add(n.opType().equals("LSTM") ? change.apply(new Node("lstm", n.opType(), n.domain(), n.inputs(), n.outputs(), n.attributes())) : n);
        }
        Graph g = model.graph();
        return new Model(model.irVersion(), "test", "1", model.opsets(), new Graph(g.name(), nodes, g.initializers(), g.inputs(), g.outputs()), Map.of());
    }

    private static Node withAttribute(Node n, Attribute a) {
        List<Attribute> attributes = new ArrayList<>(n.attributes());
        attributes.removeIf(x -> x.name().equals(a.name()));
        attributes.add(a);
        return new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), attributes);
    }

    private static Node withInput(Node n, int index, String value) {
        List<String> inputs = new ArrayList<>(n.inputs());
        while (inputs.size() <= index) inputs.add("");
        inputs.set(index, value);
        return new Node(n.name(), n.opType(), n.domain(), inputs, n.outputs(), n.attributes());
    }

    private static String refusal(Model model) {
        return assertThrows(ModelFileException.class, () -> OnnxImport.of(model, "m.onnx")).getMessage();
    }

    @Test
    void refusesWhatRnn4jCannotRepresentNamingNodeAndAttribute() {
        assertEquals("m.onnx: node 'lstm' (LSTM): attribute 'layout' = 1 (batch-major) is not supported; export with layout 0 "
                + "(time-major) and a Transpose for batch-first input", refusal(lstm(n -> withAttribute(n, Attribute.ofInt("layout", 1)))));
        assertTrue(refusal(lstm(n -> withAttribute(n, Attribute.ofFloat("clip", 3f))))
                .startsWith("m.onnx: node 'lstm' (LSTM): attribute 'clip' (3.0) is not supported"));
        assertTrue(refusal(lstm(n -> withAttribute(n, Attribute.ofInt("input_forget", 1))))
                .startsWith("m.onnx: node 'lstm' (LSTM): attribute 'input_forget' = 1"));
        assertTrue(refusal(lstm(n -> withAttribute(n, Attribute.ofString("direction", "reverse"))))
                .startsWith("m.onnx: node 'lstm' (LSTM): attribute 'direction' = 'reverse' is not supported"));
        assertTrue(refusal(lstm(n -> withAttribute(n, Attribute.ofStrings("activations", List.of("Sigmoid", "Relu", "Tanh")))))
                .startsWith("m.onnx: node 'lstm' (LSTM): attribute 'activations' = [Sigmoid, Relu, Tanh] is not supported"));
        assertTrue(refusal(lstm(n -> withInput(n, 7, "W_l0")))
                .startsWith("m.onnx: node 'lstm' (LSTM): input P (peepholes, 'W_l0') is not supported"));
        assertTrue(refusal(lstm(n -> withInput(n, 1, "h0")))
                .startsWith("m.onnx: node 'lstm' (LSTM): input W ('h0') is not a constant FLOAT tensor"));
        assertTrue(refusal(lstm(n -> withInput(n, 5, "B_l0")))
                .startsWith("m.onnx: node 'lstm' (LSTM): input initial_h ('B_l0') is a constant non-zero state"));
        assertTrue(refusal(lstm(n -> new Node(n.name(), n.opType(), "com.example", n.inputs(), n.outputs(), n.attributes())))
                .startsWith("m.onnx: node 'lstm' (LSTM) is in domain 'com.example'"));
        assertTrue(refusal(lstm(n -> new Node(n.name(), "Gemm", "", n.inputs(), n.outputs(), n.attributes())))
                .startsWith("m.onnx: node 'lstm' (Gemm): op 'Gemm' is not supported; import-onnx reads a stack of LSTM, GRU or RNN nodes"));
    }

    /** Sizes come from the weights in the file, never from an attribute alone, so a lying file cannot make rnn4j allocate gigabytes. */
    @Test
    void checksTheShapesBeforeAllocatingTheNetwork() {
        assertEquals("m.onnx: node 'lstm' (LSTM): input W has shape [1, 16, 3], expected [1, 4294967296, 3]",
                refusal(lstm(n -> withAttribute(n, Attribute.ofInt("hidden_size", 1 << 30)))));
    }

    @Test
    void refusesWeightsInExternalFiles() {
        Model model = lstm(n -> n);
        List<Tensor> initializers = new ArrayList<>();
        for (Tensor t : model.graph().initializers()) {
            initializers.add(t.name().equals("R_l0") ? new Tensor(t.name(), t.dataType(), t.dims(), null, null, null, null, null, true) : t);
        }
        Graph g = model.graph();
        Model external = new Model(7, "t", "1", model.opsets(), new Graph(g.name(), g.nodes(), initializers, g.inputs(), g.outputs()), Map.of());
        assertTrue(refusal(external).startsWith("m.onnx: node 'lstm' (LSTM): input R ('R_l0') keeps its data in an external file"), refusal(external));
    }
}
