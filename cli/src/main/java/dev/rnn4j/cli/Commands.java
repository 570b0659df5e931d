package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.ModelFile;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.Provenance;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SafetensorsWriter;
import dev.rnn4j.io.Tensors;
import dev.rnn4j.io.TorchImport;
import dev.rnn4j.io.onnx.Onnx;
import dev.rnn4j.io.onnx.OnnxExport;
import dev.rnn4j.io.onnx.OnnxImport;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Parameter;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The file commands' work, once their options are parsed. Bad files throw {@link ModelFileException}. */
final class Commands {
    /** Per tensor, as the PyTorch fixtures are checked: max |ours - PyTorch's| <= 1e-5 * (1 + max |PyTorch's|). */
    static final double RELATIVE_TOLERANCE = 1e-5;

    private Commands() {}

    /** Thrown when --verify finds a difference beyond the tolerance: exit code 1, the model is not written. */
    static final class VerificationFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VerificationFailed(String message) {
            super(message);
        }
    }

    /** import-torch: load and check the state dict, optionally verify it against PyTorch's results, then save. */
    static void importTorch(Path weights, Path modelOut, Path golden, PrintWriter out) {
        writeImported(TorchImport.load(weights), "import-torch", weights, modelOut, golden, out);
    }

    /** import-onnx: read the recurrent network of an ONNX file, optionally verify it against PyTorch's results, then save. */
    static void importOnnx(Path onnx, Path modelOut, Path golden, PrintWriter out) {
        writeImported(OnnxImport.load(onnx), "import-onnx", onnx, modelOut, golden, out);
    }

    private static void writeImported(Recurrent network, String command, Path from, Path modelOut, Path golden, PrintWriter out) {
        if (golden != null) verify(network, golden, out);
        RecurrentConfig c = network.config();
        String summary = "imported " + c.cellType() + ": " + c.layers() + (c.layers() == 1 ? " layer" : " layers")
                + (c.bidirectional() ? ", bidirectional" : "") + ", input_size " + c.inputSize() + ", hidden_size "
                + c.hiddenSize() + (c.bias() ? "" : ", no bias") + ", " + parameterCount(network) + " parameters";
        if (modelOut == null) {
            out.println(summary + " (not written: no --out given)");
            return;
        }
        Provenance provenance = Provenance.now(command + " " + from, Provenance.sha256(from));
        ModelFile.save(network, modelOut, provenance);
        out.println(summary + " -> " + modelOut);
    }

    /** export-onnx: write the model file's network (and head) as an ONNX graph, and say what its inputs and outputs are. */
    static void exportOnnx(Path model, Path onnxOut, OnnxExport.Options options, PrintWriter out) {
        Onnx.Model onnx = OnnxExport.export(model, onnxOut, options);
        out.println("exported " + model + " to " + onnxOut + " (ONNX opset " + onnx.opset() + ", " + onnx.graph().nodes().size() + " nodes)");
        out.println("  inputs:  " + describe(onnx.graph().inputs()));
        out.println("  outputs: " + describe(onnx.graph().outputs()));
    }

    private static String describe(List<Onnx.ValueInfo> values) {
        List<String> parts = new ArrayList<>();
        for (Onnx.ValueInfo v : values) {
            List<String> dims = new ArrayList<>();
            for (Onnx.Dim d : v.shape()) dims.add(d.param() != null ? d.param() : Long.toString(d.value()));
            parts.add(v.name() + " " + Onnx.dataTypeName(v.elemType()) + " [" + String.join(", ", dims) + "]");
        }
        return String.join(", ", parts);
    }

    /** infer: run the input file's batch and write PyTorch's (output, h_n, c_n). */
    static void infer(Path modelFile, Path inputPath, Path outputPath, PrintWriter out) {
        Recurrent network = loadModel(modelFile);
        SafetensorsFile inputFile = SafetensorsFile.read(inputPath);
        SequenceBatch batch = BatchFile.read(inputFile, network.config(), List.of());
        Results results = Results.of(network, batch);
        if (outputPath == null) {
            out.println("computed " + results.describe() + " (not written: no --output given)");
            return;
        }
        results.writer().write(outputPath);
        out.println("wrote " + results.describe() + " to " + outputPath);
    }

    /** An rnn4j model file, or a PyTorch state dict, told apart by their metadata. */
    static Recurrent loadModel(Path path) {
        SafetensorsFile file = SafetensorsFile.read(path);
        boolean torch = !file.metadata().containsKey("format") && file.metadata().containsKey("mode");
        return torch ? TorchImport.load(file) : ModelFile.read(file).network();
    }

    private static long parameterCount(Recurrent network) {
        long n = 0;
        for (Parameter p : network.parameters()) n += p.size();
        return n;
    }

    /** A forward pass's results, copied out of the network's workspace, with their PyTorch shapes. */
    record Results(List<String> names, List<float[]> values, List<long[]> shapes) {
        static Results of(Recurrent network, SequenceBatch batch) {
            RecurrentConfig c = network.config();
            RecurrentOutput output = network.forward(batch);
            long[] outputShape = {batch.steps(), batch.batch(), c.outputSize()};
            long[] stateShape = {(long) c.layers() * c.directions(), batch.batch(), c.hiddenSize()};
            List<String> names = new ArrayList<>(List.of("output", "h_n"));
            List<float[]> values = new ArrayList<>(List.of(copy(output.output(), outputShape), copy(output.hN(), stateShape)));
            List<long[]> shapes = new ArrayList<>(List.of(outputShape, stateShape));
            if (c.cellType() == CellType.LSTM) {
                names.add("c_n");
                values.add(copy(output.cN(), stateShape));
                shapes.add(stateShape);
            }
            return new Results(names, values, shapes);
        }

        /** The workspace's arrays may be longer than this batch needs; only the first prod(shape) values count. */
        private static float[] copy(float[] values, long[] shape) {
            long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (values == null || values.length < n) {
                throw new IllegalStateException("forward returned " + (values == null ? "null" : values.length + " values")
                        + " for a tensor of shape " + Tensors.format(shape));
            }
            return Arrays.copyOf(values, (int) n);
        }

        SafetensorsWriter writer() {
            SafetensorsWriter writer = new SafetensorsWriter();
            for (int i = 0; i < names.size(); i++) writer.putFloats(names.get(i), values.get(i), shapes.get(i));
            return writer;
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) parts.add(names.get(i) + " " + Tensors.format(shapes.get(i)));
            return String.join(", ", parts);
        }
    }

    /**
     * Runs the golden file's batch and compares each result with PyTorch's, printing one line per tensor.
     *
     * @throws VerificationFailed if any differs by more than the tolerance
     */
    static void verify(Recurrent network, Path goldenPath, PrintWriter out) {
        RecurrentConfig c = network.config();
        SafetensorsFile golden = SafetensorsFile.read(goldenPath);
        List<String> referenceNames = c.cellType() == CellType.LSTM ? List.of("output", "h_n", "c_n") : List.of("output", "h_n");
        if (!c.cellType().hasCellState() && golden.has("c_n")) {
            throw new ModelFileException(golden.source() + ": tensor 'c_n' is given but the model is a " + c.cellType()
                    + ", which has no cell state (c_n is for LSTMs only)");
        }
        SequenceBatch batch = BatchFile.read(golden, c, referenceNames);
        Results results = Results.of(network, batch);

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < results.names().size(); i++) {
            String name = results.names().get(i);
            long[] shape = results.shapes().get(i);
            double[] reference = reference(golden, name, shape);
            float[] ours = results.values().get(i);
            double maxError = 0;
            double maxReference = 0;
            for (int j = 0; j < ours.length; j++) {
                double error = Math.abs(ours[j] - reference[j]);
                // NaN must fail, and Math.max would hide it behind a later number
                maxError = Double.isNaN(error) || Double.isNaN(maxError) ? Double.NaN : Math.max(maxError, error);
                maxReference = Math.max(maxReference, Math.abs(reference[j]));
            }
            double tolerance = RELATIVE_TOLERANCE * (1 + maxReference);
            boolean pass = maxError <= tolerance;
            out.println(String.format(Locale.ROOT, "verify %-6s max abs error %.3e, tolerance %.3e: %s",
                    name, maxError, tolerance, pass ? "PASS" : "FAIL"));
            if (!pass) failures.add(String.format(Locale.ROOT, "%s differs by up to %.3e (tolerance %.3e)", name, maxError, tolerance));
        }
        if (!failures.isEmpty()) {
            throw new VerificationFailed(golden.source() + ": PyTorch's results do not match: " + String.join("; ", failures));
        }
        out.println("verify: PASS against " + golden.source());
    }

    private static double[] reference(SafetensorsFile golden, String name, long[] expectedShape) {
        String source = golden.source();
        if (!golden.has(name)) throw new ModelFileException(source + ": missing tensor '" + name + "' (PyTorch's result to compare with)");
        long[] shape = golden.shape(name);
        if (!Arrays.equals(shape, expectedShape)) {
            throw new ModelFileException(source + ": tensor '" + name + "' has shape " + Tensors.format(shape) + ", expected "
                    + Tensors.format(expectedShape));
        }
        double[] values = golden.doubles(name);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new ModelFileException(source + ": tensor '" + name + "' has " + values[i] + " at index "
                        + Tensors.format(Tensors.unflatten(i, shape)));
            }
        }
        return values;
    }
}
