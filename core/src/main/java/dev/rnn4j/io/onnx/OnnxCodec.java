package dev.rnn4j.io.onnx;

import dev.rnn4j.io.AtomicFile;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.AttributeType;
import dev.rnn4j.io.onnx.Onnx.Dim;
import dev.rnn4j.io.onnx.Onnx.Graph;
import dev.rnn4j.io.onnx.Onnx.Model;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.Tensor;
import dev.rnn4j.io.onnx.Onnx.ValueInfo;
import dev.rnn4j.io.onnx.ProtoReader.DoubleList;
import dev.rnn4j.io.onnx.ProtoReader.FloatList;
import dev.rnn4j.io.onnx.ProtoReader.LongList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX files to {@link Onnx} records and back, by hand-written protobuf code (so core needs no protobuf library and
 * users meet no protobuf version conflicts). Writing follows protoc's field order, so the bytes equal what
 * protoc-generated classes would write for the same message; reading skips every field it does not know.
 */
public final class OnnxCodec {
    private OnnxCodec() {}

    /** Reads an ONNX file; a {@link ModelFileException} names the file for any fault. */
    public static Model read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(source + ": over 2 GB; rnn4j reads ONNX files of up to 2 GB (protobuf's own limit)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(source + ": no such file", e);
        } catch (IOException e) {
            throw new ModelFileException(source + ": cannot read: " + e.getMessage(), e);
        }
        return decode(source, bytes);
    }

    /** Writes the model atomically. */
    public static void write(Model model, Path file) {
        byte[] bytes = encode(model);
        try {
            AtomicFile.write(file, channel -> AtomicFile.writeFully(channel, ByteBuffer.wrap(bytes)));
        } catch (IOException e) {
            throw new ModelFileException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    public static byte[] encode(Model model) {
        ProtoWriter w = new ProtoWriter().int64(1, model.irVersion());
        if (model.producerName() != null) w.string(2, model.producerName());
        if (model.producerVersion() != null) w.string(3, model.producerVersion());
        w.message(7, graph(model.graph()));
        for (Map.Entry<String, Long> e : model.opsets().entrySet()) {
            w.message(8, new ProtoWriter().string(1, e.getKey()).int64(2, e.getValue()));
        }
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            w.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return w.toByteArray();
    }

    private static ProtoWriter graph(Graph g) {
        ProtoWriter w = new ProtoWriter();
        for (Node n : g.nodes()) w.message(1, node(n));
        w.string(2, g.name());
        for (Tensor t : g.initializers()) w.message(5, tensor(t));
        for (ValueInfo v : g.inputs()) w.message(11, valueInfo(v));
        for (ValueInfo v : g.outputs()) w.message(12, valueInfo(v));
        return w;
    }

    private static ProtoWriter node(Node n) {
        ProtoWriter w = new ProtoWriter();
        for (String s : n.inputs()) w.string(1, s);
        for (String s : n.outputs()) w.string(2, s);
        if (!n.name().isEmpty()) w.string(3, n.name());
        w.string(4, n.opType());
        for (Attribute a : n.attributes()) w.message(5, attribute(a));
        if (n.domain() != null && !n.domain().isEmpty()) w.string(7, n.domain());
        return w;
    }

    private static ProtoWriter attribute(Attribute a) {
        ProtoWriter w = new ProtoWriter().string(1, a.name());
        switch (a.type()) {
            case FLOAT -> w.float32(2, a.f());
            case INT -> w.int64(3, a.i());
            case STRING -> w.string(4, a.s());
            case TENSOR -> w.message(5, tensor(a.t()));
            case FLOATS -> w.floats(7, a.floats());
            case INTS -> w.int64s(8, a.ints());
            case STRINGS -> a.strings().forEach(s -> w.string(9, s));
            default -> throw new IllegalArgumentException("attribute '" + a.name() + "': writing type " + a.type() + " is not supported");
        }
        return w.int64(20, a.type().code);
    }

    private static ProtoWriter tensor(Tensor t) {
        if (t.external()) throw new IllegalArgumentException("tensor '" + t.name() + "': writing external data is not supported");
        ProtoWriter w = new ProtoWriter().int64s(1, t.dims()).int64(2, t.dataType());
        if (t.floatData() != null) w.packedFloats(4, t.floatData());
        if (t.int32Data() != null) {
            long[] widened = new long[t.int32Data().length];
            for (int i = 0; i < widened.length; i++) widened[i] = t.int32Data()[i];
            w.packedInt64(5, widened); // int32 varints are the sign-extended 64-bit ones
        }
        if (t.int64Data() != null) w.packedInt64(7, t.int64Data());
        if (!t.name().isEmpty()) w.string(8, t.name());
        if (t.rawData() != null) w.bytes(9, t.rawData());
        if (t.doubleData() != null) {
            throw new IllegalArgumentException("tensor '" + t.name() + "': writing double_data is not supported");
        }
        return w;
    }

    private static ProtoWriter valueInfo(ValueInfo v) {
        ProtoWriter tensorType = new ProtoWriter().int64(1, v.elemType());
        if (v.shape() != null) {
            ProtoWriter shape = new ProtoWriter();
            for (Dim d : v.shape()) {
                shape.message(1, d.param() == null ? new ProtoWriter().int64(1, d.value()) : new ProtoWriter().string(2, d.param()));
            }
            tensorType.message(2, shape);
        }
        return new ProtoWriter().string(1, v.name()).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** Decodes a ModelProto; {@code source} names the file in messages. */
    public static Model decode(String source, byte[] bytes) {
        ProtoReader r = new ProtoReader(source, bytes);
        long irVersion = 0;
        String producerName = null, producerVersion = null;
        Graph graph = null;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> irVersion = r.int64();
                case 2 -> producerName = r.string();
                case 3 -> producerVersion = r.string();
                case 7 -> graph = graph(r.message());
                case 8 -> {
                    ProtoReader m = r.message();
                    String domain = "";
                    long version = 0;
                    while (m.next()) {
                        switch (m.field()) {
                            case 1 -> domain = m.string();
                            case 2 -> version = m.int64();
                            default -> m.skip();
                        }
                    }
                    opsets.put(domain, version);
                }
                case 14 -> {
                    String[] entry = stringPair(r.message());
                    metadata.put(entry[0], entry[1]);
                }
                default -> r.skip();
            }
        }
        if (graph == null) throw new ModelFileException(source + ": not an ONNX model: it has no graph");
        return new Model(irVersion, producerName, producerVersion, opsets, graph, metadata);
    }

    private static String[] stringPair(ProtoReader m) {
        String key = "", value = "";
        while (m.next()) {
            switch (m.field()) {
                case 1 -> key = m.string();
                case 2 -> value = m.string();
                default -> m.skip();
            }
        }
        return new String[] {key, value};
    }

    private static Graph graph(ProtoReader r) {
        String name = "";
        List<Node> nodes = new ArrayList<>();
        List<Tensor> initializers = new ArrayList<>();
        List<ValueInfo> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> nodes.add(node(r.message()));
                case 2 -> name = r.string();
                case 5 -> initializers.add(tensor(r.message()));
                case 11 -> inputs.add(valueInfo(r.message()));
                case 12 -> outputs.add(valueInfo(r.message()));
                default -> r.skip();
            }
        }
        return new Graph(name, nodes, initializers, inputs, outputs);
    }

    private static Node node(ProtoReader r) {
        String name = "", opType = "", domain = "";
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> opType = r.string();
                case 5 -> attributes.add(attribute(r.message()));
                case 7 -> domain = r.string();
                default -> r.skip();
            }
        }
        return new Node(name, opType, domain, inputs, outputs, attributes);
    }

    private static Attribute attribute(ProtoReader r) {
        String name = "", s = null;
        int type = 0;
        float f = 0;
        long i = 0;
        Tensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        List<String> strings = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> f = r.float32();
                case 3 -> i = r.int64();
                case 4 -> s = r.string();
                case 5 -> t = tensor(r.message());
                case 7 -> r.floats(floats);
                case 8 -> r.int64s(ints);
                case 9 -> strings.add(r.string());
                case 20 -> type = r.int32();
                default -> r.skip();
            }
        }
        return new Attribute(name, AttributeType.of(type), f, i, s, t, floats.toArray(), ints.toArray(), strings);
    }

    private static Tensor tensor(ProtoReader r) {
        String name = "";
        int dataType = 0;
        LongList dims = new LongList(), int64Data = null, int32Data = null;
        FloatList floatData = null;
        DoubleList doubleData = null;
        byte[] raw = null;
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims);
                case 2 -> dataType = r.int32();
                case 4 -> r.floats(floatData = floatData == null ? new FloatList() : floatData);
                case 5 -> r.int64s(int32Data = int32Data == null ? new LongList() : int32Data);
                case 7 -> r.int64s(int64Data = int64Data == null ? new LongList() : int64Data);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 10 -> r.doubles(doubleData = doubleData == null ? new DoubleList() : doubleData);
                case 13 -> {
                    r.skip();
                    external = true;
                }
                case 14 -> external |= r.int64() == 1;
                default -> r.skip();
            }
        }
        int[] int32 = null;
        if (int32Data != null) {
            long[] wide = int32Data.toArray();
            int32 = new int[wide.length];
            for (int k = 0; k < wide.length; k++) int32[k] = (int) wide[k];
        }
        return new Tensor(name, dataType, dims.toArray(), raw, floatData == null ? null : floatData.toArray(), int32,
                int64Data == null ? null : int64Data.toArray(), doubleData == null ? null : doubleData.toArray(), external);
    }

    private static ValueInfo valueInfo(ProtoReader r) {
        String name = "";
        int elemType = 0;
        List<Dim> shape = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> {
                    ProtoReader type = r.message();
                    while (type.next()) {
                        if (type.field() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtoReader tensorType = type.message();
                        while (tensorType.next()) {
                            switch (tensorType.field()) {
                                case 1 -> elemType = tensorType.int32();
                                case 2 -> shape = shape(tensorType.message());
                                default -> tensorType.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new ValueInfo(name, elemType, shape);
    }

    private static List<Dim> shape(ProtoReader r) {
        List<Dim> dims = new ArrayList<>();
        while (r.next()) {
            if (r.field() != 1) {
                r.skip();
                continue;
            }
            ProtoReader d = r.message();
            Dim dim = Dim.named("?");
            while (d.next()) {
                switch (d.field()) {
                    case 1 -> dim = Dim.of(d.int64());
                    case 2 -> dim = Dim.named(d.string());
                    default -> d.skip();
                }
            }
            dims.add(dim);
        }
        return dims;
    }
}
