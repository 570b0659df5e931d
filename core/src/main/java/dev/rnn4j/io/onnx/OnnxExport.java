package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.ModelFile;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.Provenance;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TorchImport;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Dim;
import dev.rnn4j.io.onnx.Onnx.Model;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exports rnn4j networks and models to ONNX, for onnxruntime and every other ONNX runtime:
 * <pre>{@code
 * Model onnx = OnnxExport.of(network, OnnxExport.Options.defaults(), Map.of());
 * OnnxCodec.write(onnx, Path.of("lstm.onnx"));
 * // or straight from any rnn4j model file, bundle or PyTorch state dict:
 * OnnxExport.export(Path.of("model.rnn4j"), Path.of("model.onnx"), OnnxExport.Options.defaults().withBatchFirst(true));
 * }</pre>
 * Each layer is one native ONNX {@code LSTM}, {@code GRU} or {@code RNN} node holding both directions, as PyTorch's
 * exporter writes them: weights in ONNX's gate order (LSTM i, o, f, c from PyTorch's i, f, g, o; GRU z, r, h from
 * r, z, n), B = [bias_ih, bias_hh] permuted alike, GRU {@code linear_before_reset} = 1 for PyTorch's reset-after
 * GRU (0 for reset-before). Between layers, {@code Transpose [0,2,1,3]} and {@code Reshape [0,0,-1]} turn
 * [T, D, B, H] into [T, B, D*H]. Graph inputs, their first dimensions symbolic so any length and batch size run:
 * <ul>
 *   <li>{@value #INPUT} FLOAT [T, B, I] (or {@value #TOKENS} INT64 [T, B] for a token model), [B, T, ...] with
 *       batch-first;</li>
 *   <li>{@value #LENGTHS} INT32 [B], each in 1..T, PyTorch's packed-sequence semantics (zero output past each
 *       length, the state of the last valid step); left out with {@link Options#lengths()} false;</li>
 *   <li>{@value #H0} and, for an LSTM, {@value #C0} FLOAT [L*D, B, H]; left out (zeros) with
 *       {@link Options#initialState()} false.</li>
 * </ul>
 * Outputs: a network gives {@value #OUTPUT} [T, B, D*H], {@value #H_N} and {@value #C_N} [L*D, B, H], as PyTorch
 * returns them. A {@link SequenceModel} gives {@value #PREDICTIONS} (the head: [B, K] pooled, [T, B, K] every step),
 * {@value #PROBABILITIES} (their softmax, when the task has one), {@value #H_N} and {@value #C_N}. Embeddings are
 * {@code Gather}, pooled heads {@code Gemm}, per-step heads {@code MatMul} + {@code Add}; last-step, mean, max and
 * attention pooling are built from standard ops, masked by the lengths.
 */
public final class OnnxExport {
    public static final String INPUT = "input";
    public static final String TOKENS = "tokens";
    public static final String LENGTHS = "sequence_lens";
    public static final String H0 = "h0";
    public static final String C0 = "c0";
    public static final String OUTPUT = "output";
    public static final String H_N = "h_n";
    public static final String C_N = "c_n";
    public static final String PREDICTIONS = "predictions";
    public static final String PROBABILITIES = "probabilities";
    /** The metadata_props key of the export's own description (options, inputs, outputs) as JSON. */
    public static final String EXPORT_METADATA_KEY = "rnn4j_onnx_export";

    public static final int MIN_OPSET = 14;
    public static final int MAX_OPSET = 21;
    /** The tasks (a bundle's {@code task}) whose outputs are class or token probabilities, so the graph ends in a softmax. */
    static final Set<String> SOFTMAX_TASKS = Set.of("classify", "lm");

    private OnnxExport() {}

    /**
     * How to export.
     *
     * @param opset        the ONNX opset, {@value #MIN_OPSET} to {@value #MAX_OPSET}
     * @param batchFirst   inputs and per-step outputs are [B, T, ...] (the states stay [L*D, B, H], as PyTorch's)
     * @param lengths      the graph has the {@value #LENGTHS} input
     * @param initialState the graph has the {@value #H0} (and {@value #C0}) inputs
     */
    public record Options(int opset, boolean batchFirst, boolean lengths, boolean initialState) {
        public Options {
            if (opset < MIN_OPSET || opset > MAX_OPSET) {
                throw new IllegalArgumentException("opset " + opset + " is not supported; rnn4j exports opsets " + MIN_OPSET + " to " + MAX_OPSET);
            }
        }

        /** Opset 14, time-major, with the lengths and initial-state inputs. */
        public static Options defaults() {
            return new Options(MIN_OPSET, false, true, true);
        }

        public Options withOpset(int newOpset) {
            return new Options(newOpset, batchFirst, lengths, initialState);
        }

        public Options withBatchFirst(boolean newBatchFirst) {
            return new Options(opset, newBatchFirst, lengths, initialState);
        }

        public Options withLengths(boolean newLengths) {
            return new Options(opset, batchFirst, newLengths, initialState);
        }

        public Options withInitialState(boolean newInitialState) {
            return new Options(opset, batchFirst, lengths, newInitialState);
        }
    }

    /** Exports a model file (a network, a sequence model or task bundle, or a PyTorch state dict) to an ONNX file, atomically. */
    public static Model export(Path modelFile, Path onnxFile, Options options) {
        Model model = ofFile(modelFile, options);
        OnnxCodec.write(model, onnxFile);
        return model;
    }

    /**
     * The ONNX model of a model file, whose safetensors metadata (format, config, provenance, a bundle's task and
     * preprocessing) becomes the ONNX metadata_props. A bundle's preprocessing stays outside the graph.
     */
    public static Model ofFile(Path modelFile, Options options) {
        SafetensorsFile file = SafetensorsFile.read(modelFile);
        Map<String, String> meta = file.metadata();
        String format = meta.get("format");
        if (format == null && meta.containsKey("mode")) return of(TorchImport.load(file), options, meta);
        if (SequenceModelFile.FORMAT.equals(format)) {
            String task = taskOf(file.source(), meta.get("bundle"));
            SequenceModel model = SequenceModelFile.read(file).model();
            checkExportable(file.source(), model.spec().recurrent());
            return of(model, task != null && SOFTMAX_TASKS.contains(task), options, meta);
        }
        Recurrent network = ModelFile.read(file).network();
        checkExportable(file.source(), network.config());
        return of(network, options, meta);
    }

    private static String taskOf(String source, String bundleJson) {
        if (bundleJson == null) return null;
        try {
            return Json.parseObject(bundleJson).get("task") instanceof String task ? task : null;
        } catch (Json.JsonException e) {
            throw new ModelFileException(source + ": metadata 'bundle' is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** A recurrent network alone: PyTorch's {@code (output, h_n[, c_n]) = rnn(input, h0[, c0])}. */
    public static Model of(Recurrent network, Options options, Map<String, String> metadata) {
        RecurrentConfig c = network.config();
        checkExportable(c);
        Exporter e = new Exporter(c, options);
        e.g.input(INPUT, Onnx.FLOAT, e.sequenceDims(Dim.of(c.inputSize())));
        String x = options.batchFirst() ? e.g.transpose(INPUT, 1, 0, 2) : INPUT;
        Stack stack = e.recurrentStack(x, network, "");
        String output = options.batchFirst() ? e.g.transpose(stack.output, 1, 0, 2) : stack.output;
        e.g.output(output, OUTPUT, Onnx.FLOAT, e.sequenceDims(Dim.of(c.outputSize())));
        e.stateOutputs(stack);
        return e.model(metadata, List.of());
    }

    /**
     * A whole model: [embedding] → recurrent layers → pooling → dense head [→ softmax].
     *
     * @param softmax whether the graph also outputs {@value #PROBABILITIES}, the softmax of the predictions over the last axis
     */
    public static Model of(SequenceModel model, boolean softmax, Options options, Map<String, String> metadata) {
        RecurrentConfig c = model.spec().recurrent();
        checkExportable(c);
        Exporter e = new Exporter(c, options);
        GraphBuilder g = e.g;
        String x;
        if (model.spec().tokenInput()) {
            g.input(TOKENS, Onnx.INT64, e.sequenceDims());
            String tokens = options.batchFirst() ? g.transpose(TOKENS, 1, 0) : TOKENS;
            String table = g.weight("embedding.weight", new long[] {model.spec().vocabulary(), c.inputSize()}, model.embedding().weight().value());
            x = g.node("Gather", List.of(table, tokens), Attribute.ofInt("axis", 0));
        } else {
            g.input(INPUT, Onnx.FLOAT, e.sequenceDims(Dim.of(c.inputSize())));
            x = options.batchFirst() ? g.transpose(INPUT, 1, 0, 2) : INPUT;
        }
        Stack stack = e.recurrentStack(x, model.recurrent(), "rnn.");
        Head head = model.spec().head();
        int k = model.spec().outputs();
        String weight = model.spec().tiedWeights() ? "embedding.weight"
                : g.weight("head.weight", new long[] {k, c.outputSize()}, model.head().weight().value());
        String bias = g.weight("head.bias", new long[] {k}, model.head().bias().value());
        String predictions;
        Dim[] predictionDims;
        if (head == Head.EVERY_STEP) {
            String product = g.node("MatMul", List.of(stack.output, g.transpose(weight, 1, 0)));
            predictions = g.node("Add", List.of(product, bias));
            if (options.batchFirst()) predictions = g.transpose(predictions, 1, 0, 2);
            predictionDims = e.sequenceDims(Dim.of(k));
        } else {
            String pooled = e.pool(head, stack, model.pooling() == null ? null : poolingWeight(model));
            predictions = g.node("Gemm", List.of(pooled, weight, bias), Attribute.ofInt("transB", 1));
            predictionDims = new Dim[] {Dim.named("batch"), Dim.of(k)};
        }
        g.output(predictions, PREDICTIONS, Onnx.FLOAT, predictionDims);
        if (softmax) g.output(g.node("Softmax", List.of(predictions), Attribute.ofInt("axis", -1)), PROBABILITIES, Onnx.FLOAT, predictionDims);
        e.stateOutputs(stack);
        return e.model(metadata, List.of("head " + head, softmax ? "softmax" : "no softmax"));
    }

    private static float[] poolingWeight(SequenceModel model) {
        return model.pooling().parameters().isEmpty() ? null : model.pooling().parameters().getFirst().value();
    }

    private static void checkExportable(RecurrentConfig c) {
        checkExportable("the model", c);
    }

    /** @param source names the model in messages */
    private static void checkExportable(String source, RecurrentConfig c) {
        if (c.layerNorm()) {
            throw new ModelFileException(source + ": layer-normalised cells cannot be exported: ONNX's LSTM and GRU operators have no layer normalisation");
        }
        if (c.batchNorm()) {
            throw new ModelFileException(source + ": batch-normalised cells cannot be exported: ONNX's LSTM operator has no normalisation "
                    + "of its gates or cell");
        }
        if (c.regularization().hasZoneout()) {
            throw new ModelFileException(source + ": zoneout cannot be exported: it changes the recurrence at inference, which ONNX's "
                    + c.cellType() + " operator cannot express");
        }
    }

    /** ONNX IR version of the release that introduced an opset. */
    static long irVersion(int opset) {
        if (opset <= 14) return 7;
        if (opset <= 18) return 8;
        if (opset <= 20) return 9;
        return 10;
    }

    /** What the recurrent layers give: the top layer's output [T, B, D*H] and its final states [D, B, H], and h_n, c_n. */
    private record Stack(String output, String topHn, String hN, String cN) {}

    /** One export in progress. */
    private static final class Exporter {
        final RecurrentConfig config;
        final Options options;
        final GraphBuilder g;
        final String lengths; // the INT32 lengths input, or null

        Exporter(RecurrentConfig config, Options options) {
            this.config = config;
            this.options = options;
            this.g = new GraphBuilder(options.opset());
            this.lengths = options.lengths() ? LENGTHS : null;
        }

        /** [T, B, rest...], or [B, T, rest...] batch-first. */
        Dim[] sequenceDims(Dim... rest) {
            List<Dim> dims = new ArrayList<>(options.batchFirst()
                    ? List.of(Dim.named("batch"), Dim.named("steps")) : List.of(Dim.named("steps"), Dim.named("batch")));
            dims.addAll(List.of(rest));
            return dims.toArray(Dim[]::new);
        }

        Stack recurrentStack(String x, Recurrent network, String prefix) {
            RecurrentConfig c = config;
            int d = c.directions();
            Dim[] stateDims = {Dim.of((long) c.layers() * d), Dim.named("batch"), Dim.of(c.hiddenSize())};
            if (lengths != null) g.input(LENGTHS, Onnx.INT32, Dim.named("batch"));
            boolean lstm = c.cellType() == CellType.LSTM;
            if (options.initialState()) {
                g.input(H0, Onnx.FLOAT, stateDims);
                if (lstm) g.input(C0, Onnx.FLOAT, stateDims);
            }
            List<String> hs = new ArrayList<>(), cs = new ArrayList<>();
            String layerInput = x;
            for (int layer = 0; layer < c.layers(); layer++) {
                OnnxWeights.Layer w = OnnxWeights.toOnnx(c, layer, name -> network.parameter(name).value());
                String l = "_l" + layer;
                List<String> in = new ArrayList<>(List.of(layerInput,
                        g.weight(prefix + "W" + l, w.wDims(), w.w()), g.weight(prefix + "R" + l, w.rDims(), w.r()),
                        w.b() == null ? "" : g.weight(prefix + "B" + l, w.bDims(), w.b()),
                        lengths == null ? "" : lengths,
                        options.initialState() ? layerState(H0, layer) : ""));
                if (lstm) in.add(options.initialState() ? layerState(C0, layer) : "");
                while (in.getLast().isEmpty()) in.removeLast();
                String[] out = g.node(OnnxWeights.opType(c.cellType()), lstm ? 3 : 2, in,
                        attributes(c).toArray(Attribute[]::new));
                // [T, D, B, H] -> [T, B, D, H] -> [T, B, D*H]
                layerInput = g.reshape(g.transpose(out[0], 0, 2, 1, 3), 0, 0, -1);
                hs.add(out[1]);
                if (lstm) cs.add(out[2]);
            }
            String hN = hs.size() == 1 ? hs.getFirst() : g.node("Concat", hs, Attribute.ofInt("axis", 0));
            String cN = !lstm ? null : cs.size() == 1 ? cs.getFirst() : g.node("Concat", cs, Attribute.ofInt("axis", 0));
            return new Stack(layerInput, hs.getLast(), hN, cN);
        }

        /** Layer k's [D, B, H] slice of an [L*D, B, H] state input. */
        private String layerState(String state, int layer) {
            if (config.layers() == 1) return state;
            long d = config.directions();
            return g.node("Slice", List.of(state, g.ints(layer * d), g.ints((layer + 1) * d), g.ints(0)));
        }

        private static List<Attribute> attributes(RecurrentConfig c) {
            List<Attribute> a = new ArrayList<>();
            a.add(Attribute.ofString("direction", c.bidirectional() ? "bidirectional" : "forward"));
            a.add(Attribute.ofInt("hidden_size", c.hiddenSize()));
            if (c.cellType() == CellType.GRU) a.add(Attribute.ofInt("linear_before_reset", c.gruVariant() == GruVariant.RESET_AFTER ? 1 : 0));
            if (c.cellType() == CellType.RNN) {
                String activation = c.nonlinearity() == Nonlinearity.RELU ? "Relu" : "Tanh";
                a.add(Attribute.ofStrings("activations", c.bidirectional() ? List.of(activation, activation) : List.of(activation)));
            }
            return a;
        }

        void stateOutputs(Stack stack) {
            Dim[] stateDims = {Dim.of((long) config.layers() * config.directions()), Dim.named("batch"), Dim.of(config.hiddenSize())};
            g.output(stack.hN, H_N, Onnx.FLOAT, stateDims);
            if (stack.cN != null) g.output(stack.cN, C_N, Onnx.FLOAT, stateDims);
        }

        /** One vector per sequence [B, D*H], as rnn4j's pooling of that head computes it. */
        String pool(Head head, Stack stack, float[] attentionWeight) {
            String y = stack.output; // [T, B, W], zero past each length
            return switch (head) {
                // the forward half at each length - 1 and the reverse half at step 0: exactly the top layer's final states
                case LAST_STEP -> g.reshape(g.transpose(stack.topHn, 1, 0, 2), 0, -1);
                case MEAN -> lengths == null ? g.reduce("ReduceMean", y, 0)
                        : g.node("Div", List.of(g.reduce("ReduceSum", y, 0), g.unsqueeze(g.node("Cast", List.of(lengths), Attribute.ofInt("to", Onnx.FLOAT)), 1)));
                case MAX -> g.reduce("ReduceMax", lengths == null ? y : masked(y, g.unsqueeze(validSteps(y), 2)), 0);
                case ATTENTION -> {
                    String w = g.weight("pool.weight", new long[] {config.outputSize()}, attentionWeight);
                    String scores = g.node("MatMul", List.of(y, w)); // [T, B]
                    if (lengths != null) scores = masked(scores, validSteps(y));
                    String alpha = g.node("Softmax", List.of(scores), Attribute.ofInt("axis", 0));
                    yield g.reduce("ReduceSum", g.node("Mul", List.of(y, g.unsqueeze(alpha, 2))), 0);
                }
                case EVERY_STEP -> throw new IllegalArgumentException("EVERY_STEP is not pooled");
            };
        }

        /** [T, B] BOOL: step t of sequence b is within its length. */
        private String validSteps(String y) {
            String steps = g.node("Gather", List.of(g.node("Shape", List.of(y)), g.ints(0))); // [1]
            String t = g.squeeze(steps, 0);
            String range = g.node("Range", List.of(g.longScalar(0), t, g.longScalar(1)));
            String lengths64 = g.node("Cast", List.of(lengths), Attribute.ofInt("to", Onnx.INT64));
            return g.node("Less", List.of(g.unsqueeze(range, 1), lengths64));
        }

        /** {@code value} where {@code mask}, else -infinity. */
        private String masked(String value, String mask) {
            return g.node("Where", List.of(mask, value, g.scalar(Float.NEGATIVE_INFINITY)));
        }

        Model model(Map<String, String> metadata, List<String> extra) {
            Map<String, String> props = new LinkedHashMap<>(metadata);
            Map<String, Object> export = new LinkedHashMap<>();
            export.put("opset", options.opset());
            export.put("batch_first", options.batchFirst());
            export.put("lengths_input", options.lengths());
            export.put("initial_state_inputs", options.initialState());
            export.put("model", extra);
            props.put(EXPORT_METADATA_KEY, Json.write(export));
            return new Model(irVersion(options.opset()), "rnn4j", Provenance.RNN4J_VERSION, Map.of("", (long) options.opset()),
                    g.build("rnn4j"), props);
        }
    }
}
