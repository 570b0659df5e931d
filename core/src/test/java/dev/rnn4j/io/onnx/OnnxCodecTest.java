package dev.rnn4j.io.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Model;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.Tensor;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written codec against protobuf-java reading ONNX's own schema (onnx-1.12.desc, made from python3-onnx's
 * onnx.proto by {@code protoc --descriptor_set_out=onnx-1.12.desc onnx.proto}), and on damaged input.
 */
class OnnxCodecTest {
    static final Path FIXTURES = Path.of("src/test/resources/onnx");
    static final Descriptor MODEL_PROTO = modelProto();

    private static Descriptor modelProto() {
        try {
            FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(FIXTURES.resolve("onnx-1.12.desc")));
            return FileDescriptor.buildFrom(set.getFile(0), new FileDescriptor[0]).findMessageTypeByName("ModelProto");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<Model> exports() {
        List<Model> models = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            RecurrentConfig c = new RecurrentConfig(cell, 3, 4, 2, true, true, Nonlinearity.RELU, GruVariant.RESET_AFTER);
            models.add(OnnxExport.of(OnnxExportRuntimeTest.randomNetwork(c, 2), OnnxExport.Options.defaults().withBatchFirst(true),
                    Map.of("config", "{\"a\": \"é\"}", "bundle", "{}")));
        }
        SequenceModel attention = SequenceModel.builder().vocabulary(6).embeddingSize(3).cell(CellType.GRU).hiddenSize(4)
                .head(Head.ATTENTION).outputs(2).seed(1).build();
        models.add(OnnxExport.of(attention, true, OnnxExport.Options.defaults().withOpset(18), Map.of()));
        return models;
    }

    @Test
    void protobufJavaReadsWhatWeWriteFieldForFieldAndWritesTheSameBytes() throws Exception {
        for (Model model : exports()) {
            byte[] ours = OnnxCodec.encode(model);
            DynamicMessage parsed = DynamicMessage.parseFrom(MODEL_PROTO, ours);
            assertNoUnknownFields(parsed, "ModelProto");
            // protoc's serialisation of what it parsed is byte for byte ours: same fields, same order, same encodings
            assertArrayEquals(ours, parsed.toByteArray());
            assertEquals(model.irVersion(), parsed.getField(field(MODEL_PROTO, "ir_version")));
            Message graph = (Message) parsed.getField(field(MODEL_PROTO, "graph"));
            List<?> nodes = (List<?>) graph.getField(field(graph.getDescriptorForType(), "node"));
            assertEquals(model.graph().nodes().size(), nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                Message node = (Message) nodes.get(i);
                Node expected = model.graph().nodes().get(i);
                assertEquals(expected.opType(), node.getField(field(node.getDescriptorForType(), "op_type")));
                assertEquals(expected.inputs(), node.getField(field(node.getDescriptorForType(), "input")));
                assertEquals(expected.attributes().size(), ((List<?>) node.getField(field(node.getDescriptorForType(), "attribute"))).size());
            }
            List<?> metadata = (List<?>) parsed.getField(field(MODEL_PROTO, "metadata_props"));
            assertEquals(model.metadata().size(), metadata.size());
        }
    }

    @Test
    void weReadWhatProtobufJavaReadsInPyTorchsFiles() throws Exception {
        for (String name : List.of("lstm_bi2_plain", "gru2_packed", "helper_gru_constants", "helper_lstm_bi_float_data")) {
            byte[] bytes = Files.readAllBytes(FIXTURES.resolve(name + ".onnx"));
            Model ours = OnnxCodec.decode(name, bytes);
            Message theirs = DynamicMessage.parseFrom(MODEL_PROTO, bytes);
            assertEquals(theirs.getField(field(MODEL_PROTO, "ir_version")), ours.irVersion());
            Message graph = (Message) theirs.getField(field(MODEL_PROTO, "graph"));
            Descriptor g = graph.getDescriptorForType();
            List<?> nodes = (List<?>) graph.getField(field(g, "node"));
            assertEquals(nodes.size(), ours.graph().nodes().size());
            for (int i = 0; i < nodes.size(); i++) {
                Message node = (Message) nodes.get(i);
                Descriptor n = node.getDescriptorForType();
                Node mine = ours.graph().nodes().get(i);
                assertEquals(node.getField(field(n, "op_type")), mine.opType());
                assertEquals(node.getField(field(n, "name")), mine.name());
                assertEquals(node.getField(field(n, "input")), mine.inputs());
                assertEquals(node.getField(field(n, "output")), mine.outputs());
                for (Object a : (List<?>) node.getField(field(n, "attribute"))) {
                    Message attribute = (Message) a;
                    Descriptor ad = attribute.getDescriptorForType();
                    Attribute match = mine.attribute((String) attribute.getField(field(ad, "name")));
                    assertEquals(attribute.getField(field(ad, "i")), match.i());
                    assertEquals(((List<?>) attribute.getField(field(ad, "ints"))).size(), match.ints().length);
                    if (attribute.hasField(field(ad, "t"))) {
                        Message t = (Message) attribute.getField(field(ad, "t"));
                        assertEquals(((List<?>) t.getField(field(t.getDescriptorForType(), "float_data"))).size(),
                                match.t().floatData() == null ? 0 : match.t().floatData().length);
                    }
                }
            }
            List<?> initializers = (List<?>) graph.getField(field(g, "initializer"));
            for (int i = 0; i < initializers.size(); i++) {
                Message t = (Message) initializers.get(i);
                Descriptor td = t.getDescriptorForType();
                Tensor mine = ours.graph().initializers().get(i);
                assertEquals(t.getField(field(td, "name")), mine.name());
                assertEquals(t.getField(field(td, "dims")), java.util.Arrays.stream(mine.dims()).boxed().toList());
                if (t.hasField(field(td, "raw_data"))) assertArrayEquals(((ByteString) t.getField(field(td, "raw_data"))).toByteArray(), mine.rawData());
                else assertEquals(t.getField(field(td, "float_data")), mine.floatData() == null ? List.of() : boxed(mine.floatData()));
                assertEquals(t.getField(field(td, "int64_data")), mine.int64Data() == null ? List.of() : java.util.Arrays.stream(mine.int64Data()).boxed().toList());
            }
        }
    }

    @Test
    void skipsUnknownFieldsOfEveryWireTypeAtEveryLevel() throws Exception {
        byte[] plain = Files.readAllBytes(FIXTURES.resolve("helper_gru_constants.onnx"));
        DynamicMessage model = DynamicMessage.parseFrom(MODEL_PROTO, plain);
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(900, UnknownFieldSet.Field.newBuilder().addVarint(-5).addVarint(1L << 62).build())
                .addField(901, UnknownFieldSet.Field.newBuilder().addFixed32(7).build())
                .addField(902, UnknownFieldSet.Field.newBuilder().addFixed64(-1).build())
                .addField(903, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .addField(904, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.newBuilder()
                        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(3).build()).build()).build())
                .build();
        byte[] noisy = withUnknownFields(model, unknown).toByteArray();
        assertTrue(noisy.length > plain.length + 100);
        assertArrayEquals(OnnxCodec.encode(OnnxCodec.decode("plain", plain)), OnnxCodec.encode(OnnxCodec.decode("noisy", noisy)));
    }

    /** The message with the unknown fields added to it and to every message inside it. */
    private static Message withUnknownFields(Message message, UnknownFieldSet unknown) {
        Message.Builder builder = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            if (e.getKey().isRepeated()) {
                List<Object> values = new ArrayList<>();
                for (Object v : (List<?>) e.getValue()) values.add(withUnknownFields((Message) v, unknown));
                builder.setField(e.getKey(), values);
            } else {
                builder.setField(e.getKey(), withUnknownFields((Message) e.getValue(), unknown));
            }
        }
        return builder.setUnknownFields(unknown).build();
    }

    @Test
    void readsPackedAndUnpackedRepeatedFieldsAndNegativeIntegers() {
        ProtoWriter packedDims = new ProtoWriter().packedInt64(1, new long[] {2, 3}).int64(2, Onnx.FLOAT)
                .floats(4, new float[] {1, 2, 3, 4, 5, 6}).string(8, "w");
        ProtoWriter unpackedInt64s = new ProtoWriter().int64s(1, new long[] {3}).int64(2, Onnx.INT64).int64(7, -2).int64(7, Long.MIN_VALUE).int64(7, 5).string(8, "v");
        ProtoWriter attribute = new ProtoWriter().string(1, "axes").packedInt64(8, new long[] {-1, -3}).int64s(8, new long[] {-7})
                .int64(3, -9).int64(20, 7);
        ProtoWriter node = new ProtoWriter().string(1, "w").string(2, "y").string(4, "Squeeze").message(5, attribute);
        ProtoWriter graph = new ProtoWriter().message(1, node).message(5, packedDims).message(5, unpackedInt64s);
        Model model = OnnxCodec.decode("t", new ProtoWriter().int64(1, 7).message(7, graph).toByteArray());

        Tensor w = model.graph().initializers().get(0);
        assertArrayEquals(new long[] {2, 3}, w.dims());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats("t"));
        assertArrayEquals(new long[] {-2, Long.MIN_VALUE, 5}, model.graph().initializers().get(1).longs("t"));
        Attribute axes = model.graph().nodes().getFirst().attribute("axes");
        assertArrayEquals(new long[] {-1, -3, -7}, axes.ints());
        assertEquals(-9, axes.i());
    }

    @Test
    void refusesLengthsBeyondTheBytesLeftAndTruncatedValues() {
        assertEquals("f: not a valid ONNX file: field 7 claims 1000 bytes but 2 are left (byte 1)",
                assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", new byte[] {0x3A, (byte) 0xE8, 0x07, 1, 2})).getMessage());
        assertEquals("f: not a valid ONNX file: truncated varint (byte 2)",
                assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", new byte[] {0x08, (byte) 0x80})).getMessage());
        // a negative length (a ten-byte varint) is refused before any allocation
        byte[] negative = {0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        assertTrue(assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", negative)).getMessage().contains("claims -1 bytes"));
        assertEquals("f: not an ONNX model: it has no graph",
                assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", new byte[] {0x08, 0x07})).getMessage());
        // unknown groups nested deeper than the limit, as a crafted file could, cannot exhaust the stack
        byte[] deep = new byte[200];
        java.util.Arrays.fill(deep, 0, 100, (byte) 0x7B); // start group, field 15
        java.util.Arrays.fill(deep, 100, 200, (byte) 0x7C); // end group, field 15
        assertTrue(assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", deep)).getMessage().contains("groups nested more than 64 deep"));
        byte[] shallow = {0x7B, 0x7B, 0x08, 0x01, 0x7C, 0x7C, 0x08, 0x07};
        assertEquals("f: not an ONNX model: it has no graph", assertThrows(ModelFileException.class, () -> OnnxCodec.decode("f", shallow)).getMessage());
    }

    /** Random damage to a real file: every outcome is a model or a ModelFileException, never another exception. */
    @Test
    void damagedFilesFailWithAModelFileException() throws Exception {
        byte[] original = Files.readAllBytes(FIXTURES.resolve("lstm_bi_packed.onnx"));
        SplittableRandom random = new SplittableRandom(17);
        int failures = 0;
        for (int trial = 0; trial < 800; trial++) {
            byte[] damaged = original.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            if (random.nextInt(4) == 0) damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
            try {
                OnnxImport.of(OnnxCodec.decode("d.onnx", damaged), "d.onnx");
            } catch (ModelFileException expected) {
                failures++;
            }

        }
        assertTrue(failures > 50, "only " + failures + " of 800 damaged files were refused");
    }

    private static List<Float> boxed(float[] values) {
        List<Float> out = new ArrayList<>();
        for (float v : values) out.add(v);
        return out;
    }

    private static FieldDescriptor field(Descriptor d, String name) {
        FieldDescriptor f = d.findFieldByName(name);
        if (f == null) throw new AssertionError(d.getName() + " has no field " + name);
        return f;
    }

    private static void assertNoUnknownFields(Message m, String path) {
        assertTrue(m.getUnknownFields().asMap().isEmpty(), path + " has unknown fields " + m.getUnknownFields().asMap().keySet());
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            if (e.getKey().isRepeated()) for (Object v : (List<?>) e.getValue()) assertNoUnknownFields((Message) v, path + "." + e.getKey().getName());
            else assertNoUnknownFields((Message) e.getValue(), path + "." + e.getKey().getName());
        }
    }
}
