package dev.rnn4j.io.onnx;

import dev.rnn4j.io.ModelFileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of ONNX's protobuf schema ({@code onnx.proto}) that rnn4j reads and writes, as plain records:
 * {@link Model}, {@link Graph}, {@link Node}, {@link Attribute}, {@link Tensor} and {@link ValueInfo}.
 * {@link OnnxCodec} turns them into bytes and back. Fields outside this subset are skipped when reading.
 */
public final class Onnx {
    /** TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;
    public static final int DOUBLE = 11;

    private Onnx() {}

    /**
     * A ModelProto.
     *
     * @param opsets   operator set version by domain ({@code ""} is the default ONNX domain)
     * @param metadata {@code metadata_props}, in file order
     */
    public record Model(long irVersion, String producerName, String producerVersion, Map<String, Long> opsets, Graph graph,
                        Map<String, String> metadata) {
        public Model {
            Objects.requireNonNull(graph, "graph");
            // file order kept, so that writing what was read gives the same bytes
            opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The default domain's opset version, or 0 if the model imports none. */
        public long opset() {
            return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 0L));
        }
    }

    /** A GraphProto: nodes in topological order, the weights (initializers), and the inputs and outputs. */
    public record Graph(String name, List<Node> nodes, List<Tensor> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs) {
        public Graph {
            nodes = List.copyOf(nodes);
            initializers = List.copyOf(initializers);
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /** A NodeProto. An empty input name is an optional input left out. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
        public Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }

        /** The attribute of that name, or null. */
        public Attribute attribute(String attributeName) {
            for (Attribute a : attributes) if (a.name().equals(attributeName)) return a;
            return null;
        }

        /** Input i, or "" if the node has fewer. */
        public String input(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }

        /** "node 'name' (LSTM)", for messages; nodes without a name are named by their first output. */
        public String describe() {
            String id = name.isEmpty() ? (outputs.isEmpty() ? "?" : "with output " + outputs.getFirst()) : "'" + name + "'";
            return "node " + id + " (" + opType + ")";
        }
    }

    /** Attribute types (AttributeProto.AttributeType). */
    public enum AttributeType {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9), GRAPHS(10),
        SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        final int code;

        AttributeType(int code) {
            this.code = code;
        }

        static AttributeType of(int code) {
            for (AttributeType t : values()) if (t.code == code) return t;
            return UNDEFINED;
        }
    }

    /** An AttributeProto; only the field its type names is meaningful. */
    public record Attribute(String name, AttributeType type, float f, long i, String s, Tensor t, float[] floats, long[] ints,
                            List<String> strings) {
        public Attribute {
            Objects.requireNonNull(name, "name");
            floats = floats == null ? new float[0] : floats;
            ints = ints == null ? new long[0] : ints;
            strings = strings == null ? List.of() : List.copyOf(strings);
        }

        public static Attribute ofInt(String name, long value) {
            return new Attribute(name, AttributeType.INT, 0, value, null, null, null, null, null);
        }

        public static Attribute ofFloat(String name, float value) {
            return new Attribute(name, AttributeType.FLOAT, value, 0, null, null, null, null, null);
        }

        public static Attribute ofString(String name, String value) {
            return new Attribute(name, AttributeType.STRING, 0, 0, value, null, null, null, null);
        }

        public static Attribute ofInts(String name, long... values) {
            return new Attribute(name, AttributeType.INTS, 0, 0, null, null, null, values.clone(), null);
        }

        public static Attribute ofStrings(String name, List<String> values) {
            return new Attribute(name, AttributeType.STRINGS, 0, 0, null, null, null, null, values);
        }

        public static Attribute ofTensor(String name, Tensor value) {
            return new Attribute(name, AttributeType.TENSOR, 0, 0, null, value, null, null, null);
        }
    }

    /** A dimension of a value's shape: a size, or a symbolic name such as {@code "batch"}. */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim named(String param) {
            return new Dim(0, param);
        }
    }

    /** A ValueInfoProto of a tensor: its name, element type and shape (null when the file gives none). */
    public record ValueInfo(String name, int elemType, List<Dim> shape) {
        public ValueInfo {
            shape = shape == null ? null : List.copyOf(shape);
        }
    }

    /**
     * A TensorProto. Its values are in {@code rawData} (little-endian) or in the typed field of its data type
     * ({@code floatData}, {@code int32Data}, {@code int64Data}, {@code doubleData}); {@code external} marks data
     * kept in another file, which rnn4j does not read.
     *
     * @param dims the shape; empty for a scalar
     */
    public record Tensor(String name, int dataType, long[] dims, byte[] rawData, float[] floatData, int[] int32Data, long[] int64Data,
                         double[] doubleData, boolean external) {
        public Tensor {
            name = name == null ? "" : name;
            dims = dims == null ? new long[0] : dims;
        }

        /** A FLOAT tensor stored as raw_data, as PyTorch's exporter writes them. */
        public static Tensor ofFloats(String name, long[] dims, float[] values) {
            ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            return new Tensor(name, FLOAT, dims.clone(), buffer.array(), null, null, null, null, false);
        }

        /** An INT64 tensor stored as raw_data. */
        public static Tensor ofLongs(String name, long[] dims, long[] values) {
            ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asLongBuffer().put(values);
            return new Tensor(name, INT64, dims.clone(), buffer.array(), null, null, null, null, false);
        }

        /** The number of elements its dims give, or -1 for a negative dim or an overflow. */
        public long elementCount() {
            long n = 1;
            for (long d : dims) {
                if (d < 0) return -1;
                try {
                    n = Math.multiplyExact(n, d);
                } catch (ArithmeticException e) {
                    return -1;
                }
            }
            return n;
        }

        /**
         * The values of a FLOAT tensor, from raw_data or float_data.
         *
         * @param where names the file and the tensor's role in messages, e.g. "m.onnx: LSTM node 'lstm' input W"
         */
        public float[] floats(String where) {
            checkReadable(where);
            if (dataType != FLOAT) throw new ModelFileException(where + ": tensor '" + name + "' has data type " + dataTypeName(dataType) + ", expected FLOAT");
            int n = (int) elementCount();
            if (rawData != null) {
                checkRawLength(where, 4L * n);
                float[] values = new float[n];
                ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                return values;
            }
            float[] values = floatData == null ? new float[0] : floatData;
            if (values.length != n) throw new ModelFileException(where + ": tensor '" + name + "' has " + values.length + " values in float_data, its dims need " + n);
            return values.clone();
        }

        /** The values of an INT64 or INT32 tensor, from raw_data, int64_data or int32_data. */
        public long[] longs(String where) {
            checkReadable(where);
            int n = (int) elementCount();
            long[] values = new long[n];
            if (dataType == INT64 && rawData != null) {
                checkRawLength(where, 8L * n);
                ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            } else if (dataType == INT32 && rawData != null) {
                checkRawLength(where, 4L * n);
                ByteBuffer buffer = ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) values[k] = buffer.getInt();
            } else if (dataType == INT64) {
                long[] data = int64Data == null ? new long[0] : int64Data;
                if (data.length != n) throw new ModelFileException(where + ": tensor '" + name + "' has " + data.length + " values in int64_data, its dims need " + n);
                System.arraycopy(data, 0, values, 0, n);
            } else if (dataType == INT32) {
                int[] data = int32Data == null ? new int[0] : int32Data;
                if (data.length != n) throw new ModelFileException(where + ": tensor '" + name + "' has " + data.length + " values in int32_data, its dims need " + n);
                for (int k = 0; k < n; k++) values[k] = data[k];
            } else {
                throw new ModelFileException(where + ": tensor '" + name + "' has data type " + dataTypeName(dataType) + ", expected INT64 or INT32");
            }
            return values;
        }

        private void checkReadable(String where) {
            if (external) throw new ModelFileException(where + ": tensor '" + name + "' keeps its data in an external file, which rnn4j does not read; "
                    + "save the model with its weights inside (onnx.save_model(m, path, save_as_external_data=False))");
            long n = elementCount();
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(where + ": tensor '" + name + "' has invalid dims " + Arrays.toString(dims));
            }
        }

        private void checkRawLength(String where, long expected) {
            if (rawData.length != expected) {
                throw new ModelFileException(where + ": tensor '" + name + "' has " + rawData.length + " bytes of raw_data, its dims need " + expected);
            }
        }
    }

    /** "FLOAT", "INT64", ... for the data types rnn4j knows, else the number. */
    public static String dataTypeName(int dataType) {
        return switch (dataType) {
            case FLOAT -> "FLOAT";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case BOOL -> "BOOL";
            case DOUBLE -> "DOUBLE";
            default -> Integer.toString(dataType);
        };
    }
}
