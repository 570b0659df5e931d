package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.onnx.ConstantFolder.Value;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Graph;
import dev.rnn4j.io.onnx.Onnx.Model;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.ValueInfo;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a recurrent network from an ONNX graph, such as {@code torch.onnx.export} writes for {@code nn.LSTM},
 * {@code nn.GRU} and {@code nn.RNN} (plain or around packed sequences) or {@link OnnxExport} for a network:
 * <pre>{@code
 * Recurrent network = OnnxImport.load(Path.of("lstm.onnx"));
 * }</pre>
 * The graph must hold one {@code LSTM}, {@code GRU} or {@code RNN} node per layer, each fed by the one below
 * (through Transpose [0,2,1,3] and Reshape, or Squeeze, as exporters write it), the first by a graph input. Their
 * weights W, R and B must be constant: initializers or Constant nodes, possibly through Identity, Transpose,
 * Reshape, Squeeze, Unsqueeze, Slice, Concat and Cast. Besides these, the graph may only route values: the
 * shape and sort ops ({@link #ROUTING}) that exporters put around packed sequences and initial states, which decide
 * nothing an rnn4j network does not do itself. Anything else is refused with a message naming the node and the
 * attribute or op: {@code layout} = 1, {@code clip}, {@code input_forget}, peepholes, activations other than the
 * standard ones (or RNN's Relu), reverse-only direction, weights in external files, another op.
 */
public final class OnnxImport {
    /** Ops that only move, sort, shape or cast values; the importer lets them stand around the recurrent nodes. */
    public static final Set<String> ROUTING = Set.of("Constant", "Identity", "Shape", "Gather", "Slice", "Squeeze", "Unsqueeze",
            "Transpose", "Reshape", "Concat", "Cast", "TopK", "ScatterElements", "Expand", "ConstantOfShape", "Range", "Split");
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");
    /** Ops through which a layer's input is traced back to the layer below or a graph input. */
    private static final Set<String> DATA_PATH = Set.of("Identity", "Transpose", "Reshape", "Squeeze", "Unsqueeze", "Gather", "Cast");

    private OnnxImport() {}

    /** Reads and imports an ONNX file. */
    public static Recurrent load(Path file) {
        return of(OnnxCodec.read(file), file.toString());
    }

    /**
     * The network of an ONNX model; {@code source} names the file in messages.
     *
     * @throws ModelFileException naming the node and attribute, input or op that rnn4j cannot represent
     */
    public static Recurrent of(Model model, String source) {
        Graph graph = model.graph();
        List<Node> cells = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                throw new ModelFileException(source + ": " + n.describe() + " is in domain '" + n.domain() + "', which rnn4j does not import");
            }
            if (RECURRENT.contains(n.opType())) cells.add(n);
            else if (!ROUTING.contains(n.opType())) {
                throw new ModelFileException(source + ": " + n.describe() + ": op '" + n.opType() + "' is not supported; import-onnx reads "
                        + "a stack of LSTM, GRU or RNN nodes and the ops that route their inputs (" + String.join(", ", ROUTING.stream().sorted().toList()) + ")");
            }
        }
        if (cells.isEmpty()) throw new ModelFileException(source + ": the graph has no LSTM, GRU or RNN node");
        String op = cells.getFirst().opType();
        for (Node n : cells) {
            if (!n.opType().equals(op)) {
                throw new ModelFileException(source + ": " + n.describe() + " follows a " + op + " node; rnn4j networks have one cell type");
            }
        }
        List<Node> layers = orderLayers(source, graph, cells);
        ConstantFolder constants = new ConstantFolder(source, graph);
        Node first = layers.getFirst();
        Settings settings = settings(source, first);
        List<Weights> weights = new ArrayList<>();
        for (Node n : layers) {
            Settings s = settings(source, n);
            if (!s.equals(settings)) {
                throw new ModelFileException(source + ": " + n.describe() + " has settings " + s + " but " + first.describe() + " has " + settings
                        + "; rnn4j's layers share them");
            }
            weights.add(weights(source, n, constants, settings));
        }
        int inputSize = checkShapes(source, layers, weights, settings);
        boolean bias = weights.stream().anyMatch(w -> w.b != null);
        RecurrentConfig config = new RecurrentConfig(settings.cell, inputSize, settings.hiddenSize, layers.size(), settings.directions == 2,
                bias, settings.nonlinearity, settings.variant);
        Recurrent network = new Recurrent(config);
        for (int layer = 0; layer < layers.size(); layer++) {
            Weights w = weights.get(layer);
            Node n = layers.get(layer);
            // a layer without B has zero biases
            float[] b = w.b != null ? finite(source, n, "B", w.b) : bias ? new float[config.directions() * 2 * config.gateRows()] : null;
            OnnxWeights.fromOnnx(config, layer, finite(source, n, "W", w.w), finite(source, n, "R", w.r), b,
                    (name, values) -> System.arraycopy(values, 0, network.parameter(name).value(), 0, values.length));
        }
        return network;
    }

    /**
     * Checks every layer's W, R and B against the attributes, before anything of the attributes' size is allocated
     * (a file cannot make rnn4j allocate more than the weights it holds); returns the input size, W's last dimension.
     */
    private static int checkShapes(String source, List<Node> layers, List<Weights> weights, Settings settings) {
        long rows = (long) settings.cell.gateCount() * settings.hiddenSize;
        long[] firstW = weights.getFirst().w.dims();
        if (firstW.length != 3 || firstW[2] < 1 || firstW[2] > Integer.MAX_VALUE) {
            throw new ModelFileException(source + ": " + layers.getFirst().describe() + ": input W has shape " + Arrays.toString(firstW)
                    + ", expected [" + settings.directions + ", " + rows + ", input_size]");
        }
        for (int layer = 0; layer < layers.size(); layer++) {
            Weights w = weights.get(layer);
            Node n = layers.get(layer);
            checkDims(source, n, "W", w.w.dims(), settings.directions, rows, layer == 0 ? firstW[2] : (long) settings.directions * settings.hiddenSize);
            checkDims(source, n, "R", w.r.dims(), settings.directions, rows, settings.hiddenSize);
            if (w.b != null) checkDims(source, n, "B", w.b.dims(), settings.directions, 2 * rows);
        }
        return (int) firstW[2];
    }

    /** The attributes every layer must share. */
    private record Settings(CellType cell, int hiddenSize, int directions, Nonlinearity nonlinearity, GruVariant variant) {}

    private record Weights(Value w, Value r, Value b) {}

    private static Settings settings(String source, Node n) {
        String where = source + ": " + n.describe();
        for (Attribute a : n.attributes()) {
            switch (a.name()) {
                case "hidden_size", "direction", "activations", "linear_before_reset", "layout", "input_forget" -> { }
                case "clip" -> throw new ModelFileException(where + ": attribute 'clip' (" + a.f() + ") is not supported: rnn4j's cells do not clip");
                case "activation_alpha", "activation_beta" -> throw new ModelFileException(where + ": attribute '" + a.name()
                        + "' is not supported: rnn4j uses the standard activations without parameters");
                default -> throw new ModelFileException(where + ": unknown attribute '" + a.name() + "'");
            }
        }
        Attribute layout = n.attribute("layout");
        if (layout != null && layout.i() != 0) {
            throw new ModelFileException(where + ": attribute 'layout' = " + layout.i() + " (batch-major) is not supported; export with layout 0 "
                    + "(time-major) and a Transpose for batch-first input");
        }
        Attribute inputForget = n.attribute("input_forget");
        if (inputForget != null && inputForget.i() != 0) {
            throw new ModelFileException(where + ": attribute 'input_forget' = " + inputForget.i() + " (coupled input and forget gates) is not supported");
        }
        Attribute direction = n.attribute("direction");
        String dir = direction == null ? "forward" : direction.s();
        int directions = switch (dir) {
            case "forward" -> 1;
            case "bidirectional" -> 2;
            case "reverse" -> throw new ModelFileException(where + ": attribute 'direction' = 'reverse' is not supported: rnn4j runs the reverse "
                    + "direction only beside the forward one (bidirectional)");
            default -> throw new ModelFileException(where + ": attribute 'direction' = '" + dir + "'; expected forward or bidirectional");
        };
        Attribute hidden = n.attribute("hidden_size");
        if (hidden == null || hidden.i() < 1 || hidden.i() > Integer.MAX_VALUE) {
            throw new ModelFileException(where + ": attribute 'hidden_size' is " + (hidden == null ? "missing" : hidden.i() + "; it must be positive"));
        }
        CellType cell = CellType.valueOf(n.opType());
        Nonlinearity nonlinearity = Nonlinearity.TANH;
        List<String> standard = switch (cell) {
            case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
            case GRU -> List.of("Sigmoid", "Tanh");
            case RNN -> List.of("Tanh");
        };
        Attribute activations = n.attribute("activations");
        if (activations != null) {
            List<String> given = activations.strings();
            List<String> expected = repeat(standard, directions);
            if (cell == CellType.RNN && given.equals(repeat(List.of("Relu"), directions))) nonlinearity = Nonlinearity.RELU;
            else if (!lowerCase(given).equals(lowerCase(expected))) {
                throw new ModelFileException(where + ": attribute 'activations' = " + given + " is not supported; rnn4j's " + cell + " uses "
                        + expected + (cell == CellType.RNN ? " or " + repeat(List.of("Relu"), directions) : ""));
            }
        }
        GruVariant variant = GruVariant.RESET_AFTER;
        if (cell == CellType.GRU) {
            Attribute lbr = n.attribute("linear_before_reset");
            long value = lbr == null ? 0 : lbr.i();
            // 1 is PyTorch's GRU (reset gate after the matrix product); 0 is the original GRU, which rnn4j has too
            variant = value == 0 ? GruVariant.RESET_BEFORE : GruVariant.RESET_AFTER;
        }
        return new Settings(cell, (int) hidden.i(), directions, nonlinearity, variant);
    }

    private static Weights weights(String source, Node n, ConstantFolder constants, Settings settings) {
        if (settings.cell == CellType.LSTM && !n.input(7).isEmpty()) {
            throw new ModelFileException(source + ": " + n.describe() + ": input P (peepholes, '" + n.input(7) + "') is not supported: rnn4j's LSTM has no peepholes");
        }
        // a state baked into the graph would be lost: rnn4j's networks start from the state their caller gives
        for (int index : settings.cell == CellType.LSTM ? new int[] {5, 6} : new int[] {5}) {
            Value state = constants.get(n.input(index));
            if (state != null && !allZero(state)) {
                throw new ModelFileException(source + ": " + n.describe() + ": input " + (index == 5 ? "initial_h" : "initial_c") + " ('"
                        + n.input(index) + "') is a constant non-zero state, which an rnn4j network cannot hold; give it as h0/c0 at run time");
            }
        }
        return new Weights(constant(source, n, constants, 1, "W"), constant(source, n, constants, 2, "R"),
                n.input(3).isEmpty() ? null : constant(source, n, constants, 3, "B"));
    }

    private static boolean allZero(Value v) {
        if (v.floats() != null) {
            for (float f : v.floats()) if (f != 0) return false;
        } else {
            for (long l : v.longs()) if (l != 0) return false;
        }
        return true;
    }

    private static Value constant(String source, Node n, ConstantFolder constants, int index, String role) {
        String name = n.input(index);
        if (name.isEmpty()) throw new ModelFileException(source + ": " + n.describe() + ": input " + role + " is missing");
        if (constants.isExternal(name)) {
            throw new ModelFileException(source + ": " + n.describe() + ": input " + role + " ('" + name + "') keeps its data in an external file, "
                    + "which rnn4j does not read; save the model with its weights inside (onnx.save_model(m, path, save_as_external_data=False))");
        }
        Value v = constants.get(name);
        if (v == null || v.floats() == null) {
            throw new ModelFileException(source + ": " + n.describe() + ": input " + role + " ('" + name + "') is not a constant FLOAT tensor: "
                    + "rnn4j imports weights stored in the file, as initializers or Constant nodes");
        }
        return v;
    }

    private static float[] finite(String source, Node n, String role, Value v) {
        for (int i = 0; i < v.floats().length; i++) {
            if (!Float.isFinite(v.floats()[i])) {
                throw new ModelFileException(source + ": " + n.describe() + ": input " + role + " has " + v.floats()[i] + " at index " + i);
            }
        }
        return v.floats();
    }

    private static void checkDims(String source, Node n, String role, long[] dims, long... expected) {
        if (!Arrays.equals(dims, expected)) {
            throw new ModelFileException(source + ": " + n.describe() + ": input " + role + " has shape " + Arrays.toString(dims)
                    + ", expected " + Arrays.toString(expected));
        }
    }

    /**
     * The recurrent nodes from the bottom layer up: each one's X traced back through {@link #DATA_PATH} ops leads to
     * a graph input (the bottom layer) or to the Y output of the layer below.
     */
    private static List<Node> orderLayers(String source, Graph graph, List<Node> cells) {
        Map<String, Node> producer = new HashMap<>();
        for (Node n : graph.nodes()) for (String out : n.outputs()) producer.put(out, n);
        Set<String> graphInputs = new HashSet<>();
        for (ValueInfo v : graph.inputs()) graphInputs.add(v.name());
        Map<Node, Node> above = new HashMap<>();
        Node bottom = null;
        for (Node cell : cells) {
            String value = cell.input(0);
            Node from = producer.get(value);
            boolean directionsMoved = false; // by Transpose [0,2,1,3]: [T, D, B, H] to [T, B, D, H]
            while (from != null && DATA_PATH.contains(from.opType())) {
                Attribute perm = from.attribute("perm");
                directionsMoved |= from.opType().equals("Transpose") && perm != null && Arrays.equals(perm.ints(), new long[] {0, 2, 1, 3});
                value = from.input(0);
                from = producer.get(value);
            }
            if (from != null && cells.contains(from) && !directionsMoved && from.attribute("direction") != null
                    && from.attribute("direction").s().equals("bidirectional")) {
                throw new ModelFileException(source + ": " + cell.describe() + ": its input X is the bidirectional output Y [T, 2, B, H] of "
                        + from.describe() + " without a Transpose [0,2,1,3]; rnn4j's layers read both directions concatenated per step");
            }
            if (from == null && graphInputs.contains(value)) {
                if (bottom != null) {
                    throw new ModelFileException(source + ": " + cell.describe() + " and " + bottom.describe()
                            + " both read the graph's input; rnn4j imports one stack of layers");
                }
                bottom = cell;
            } else if (from != null && cells.contains(from) && from.outputs().indexOf(value) == 0 && !above.containsKey(from)) {
                above.put(from, cell);
            } else {
                throw new ModelFileException(source + ": " + cell.describe() + ": its input X ('" + cell.input(0)
                        + "') comes neither from a graph input nor from the output Y of the layer below"
                        + (from == null ? "" : " but from " + from.describe()));
            }
        }
        if (bottom == null) throw new ModelFileException(source + ": no recurrent node reads a graph input");
        List<Node> order = new ArrayList<>();
        for (Node n = bottom; n != null; n = above.get(n)) order.add(n);
        if (order.size() != cells.size()) throw new ModelFileException(source + ": the recurrent nodes do not form one stack of layers");
        return order;
    }

    private static List<String> repeat(List<String> values, int times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < times; i++) out.addAll(values);
        return out;
    }

    private static List<String> lowerCase(List<String> values) {
        return values.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
