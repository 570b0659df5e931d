package dev.rnn4j.io.onnx;

import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Dim;
import dev.rnn4j.io.onnx.Onnx.Graph;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.Tensor;
import dev.rnn4j.io.onnx.Onnx.ValueInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects an ONNX graph's nodes, initializers, inputs and outputs, naming nodes and intermediate values
 * ({@code "LSTM_3"}, {@code "LSTM_3_out0"}), for {@link OnnxExport}. Every value is computed once and referred to by name.
 */
final class GraphBuilder {
    private final long opset;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private int counter;

    GraphBuilder(long opset) {
        this.opset = opset;
    }

    /** A node with one output; returns the output's name. */
    String node(String opType, List<String> nodeInputs, Attribute... attributes) {
        return node(opType, 1, nodeInputs, attributes)[0];
    }

    /** A node with {@code outputCount} outputs; returns their names. */
    String[] node(String opType, int outputCount, List<String> nodeInputs, Attribute... attributes) {
        String name = opType + "_" + counter++;
        String[] out = new String[outputCount];
        for (int i = 0; i < outputCount; i++) out[i] = name + "_out" + i;
        nodes.add(new Node(name, opType, "", nodeInputs, Arrays.asList(out), Arrays.asList(attributes)));
        return out;
    }

    /** A FLOAT initializer; returns its name. */
    String weight(String name, long[] dims, float[] values) {
        initializers.add(Tensor.ofFloats(name, dims, values));
        return name;
    }

    /** A 1-D INT64 constant (axes, shapes, slice bounds), as an initializer. */
    String ints(long... values) {
        String name = "const_" + counter++;
        initializers.add(Tensor.ofLongs(name, new long[] {values.length}, values));
        return name;
    }

    /** A scalar FLOAT constant. */
    String scalar(float value) {
        return weight("const_" + counter++, new long[0], new float[] {value});
    }

    /** A scalar INT64 constant. */
    String longScalar(long value) {
        String name = "const_" + counter++;
        initializers.add(Tensor.ofLongs(name, new long[0], new long[] {value}));
        return name;
    }

    /** Removes the given axes (Squeeze; the axes are an input from opset 13). */
    String squeeze(String x, long... axes) {
        return node("Squeeze", List.of(x, ints(axes)));
    }

    String unsqueeze(String x, long... axes) {
        return node("Unsqueeze", List.of(x, ints(axes)));
    }

    String transpose(String x, long... perm) {
        return node("Transpose", List.of(x), Attribute.ofInts("perm", perm));
    }

    /** Reshape; 0 copies the input's size on that axis, -1 takes the rest. */
    String reshape(String x, long... shape) {
        return node("Reshape", List.of(x, ints(shape)));
    }

    /** ReduceSum, ReduceMax or ReduceMean over one axis, without keeping it; axes moved from attribute to input over the opsets. */
    String reduce(String opType, String x, long axis) {
        boolean axesInput = opType.equals("ReduceSum") ? opset >= 13 : opset >= 18;
        return axesInput
                ? node(opType, List.of(x, ints(axis)), Attribute.ofInt("keepdims", 0))
                : node(opType, List.of(x), Attribute.ofInts("axes", axis), Attribute.ofInt("keepdims", 0));
    }

    void input(String name, int elemType, Dim... shape) {
        inputs.add(new ValueInfo(name, elemType, List.of(shape)));
    }

    /** Makes {@code value} a graph output named {@code name} (through an Identity node, so any value can be one). */
    void output(String value, String name, int elemType, Dim... shape) {
        nodes.add(new Node(name + "_output", "Identity", "", List.of(value), List.of(name), List.of()));
        outputs.add(new ValueInfo(name, elemType, List.of(shape)));
    }

    Graph build(String name) {
        return new Graph(name, nodes, initializers, inputs, outputs);
    }
}
