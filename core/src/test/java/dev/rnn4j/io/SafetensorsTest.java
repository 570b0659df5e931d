package dev.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeBitForBit() {
        float[] floats = {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.intBitsToFloat(0x7fc12345),
                Float.NEGATIVE_INFINITY, 3.14159f};
        double[] doubles = {Math.PI, -0.0, Double.MIN_VALUE, Double.NaN, 1e300, -7};
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 42};
        Path file = dir.resolve("all.safetensors");
        new SafetensorsWriter()
                .metadata("quote", "say \"hi\"\n\\ end")
                .metadata("unicode", "é 中文 😀")
                .putFloats("f32", floats, 2, 4)
                .putDoubles("f64", doubles, 3L, 2L)
                .putLongs("i64", longs, 6)
                .putFloats("empty", new float[0], 0)
                .putFloats("empty2d", new float[0], 3, 0)
                .putFloats("scalar", new float[] {7f})
                .putFloats("odd", new float[] {1, 2, 3}, 3) // leaves the data unaligned for what follows
                .putLongs("after_odd", new long[] {5}, 1)
                .write(file);

        SafetensorsFile read = SafetensorsFile.read(file);
        assertEquals(Map.of("quote", "say \"hi\"\n\\ end", "unicode", "é 中文 😀"), read.metadata());
        assertEquals(List.of("f32", "f64", "i64", "empty", "empty2d", "scalar", "odd", "after_odd"), List.copyOf(read.names()));
        assertEquals("F32", read.dtype("f32"));
        assertEquals("F64", read.dtype("f64"));
        assertEquals("I64", read.dtype("i64"));
        assertArrayEquals(new long[] {2, 4}, read.shape("f32"));
        assertArrayEquals(new long[] {3, 2}, read.shape("f64"));
        assertArrayEquals(new long[] {3, 0}, read.shape("empty2d"));
        assertArrayEquals(new long[] {}, read.shape("scalar"));
        assertArrayEquals(bits(floats), bits(read.floats("f32")));
        assertArrayEquals(Arrays.stream(doubles).mapToLong(Double::doubleToRawLongBits).toArray(),
                Arrays.stream(read.doubles("f64")).mapToLong(Double::doubleToRawLongBits).toArray());
        assertArrayEquals(longs, read.longs("i64"));
        assertEquals(0, read.floats("empty").length);
        assertEquals(0, read.floats("empty2d").length);
        assertArrayEquals(new float[] {7f}, read.floats("scalar"));
        assertArrayEquals(new long[] {5}, read.longs("after_odd"));
        assertTrue(read.has("odd"));
        assertFalse(read.has("nope"));
    }

    @Test
    void convertsBetweenFloatWidths() {
        SafetensorsFile read = parse(new SafetensorsWriter()
                .putDoubles("d", new double[] {0.1, 2}, 2)
                .putFloats("f", new float[] {0.1f}, 1));
        assertArrayEquals(new float[] {0.1f, 2f}, read.floats("d"));
        assertArrayEquals(new double[] {(double) 0.1f}, read.doubles("f"));
    }

    @Test
    void readsI32AsLongs() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(9).array();
        SafetensorsFile read = SafetensorsFile.parse("x",
                file("{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data));
        assertArrayEquals(new long[] {-3, 9}, read.longs("a"));
    }

    @Test
    void writesTheLayoutOfTheFormat() {
        byte[] bytes = new SafetensorsWriter().metadata("k", "v").putFloats("a", new float[] {1f}, 1).toBytes();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                header.stripTrailing());
        assertEquals(1f, buffer.position(8 + (int) headerLength).getFloat());
        assertEquals(8 + headerLength + 4, bytes.length);
    }

    @Test
    void readsHeadersFormattedByOtherWriters() {
        // whitespace, no metadata, null metadata, extra keys: all accepted
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array();
        SafetensorsFile read = SafetensorsFile.parse("x", file(
                "{ \"__metadata__\" : null,\n \"w\" : { \"shape\" : [ 1 ], \"dtype\" : \"F32\", \"data_offsets\" : [ 0 , 4 ], \"x\": 1 } }  ", data));
        assertEquals(Map.of(), read.metadata());
        assertArrayEquals(new float[] {2.5f}, read.floats("w"));
    }

    @Test
    void reportsCorruptFiles() throws IOException {
        byte[] good = new SafetensorsWriter().putFloats("weight_ih_l0", new float[32], 4, 8).toBytes();

        assertReadError(Arrays.copyOf(good, good.length - 1),
                "tensor 'weight_ih_l0': data_offsets [0, 128] run past the end of the data (127 bytes); the file is truncated or corrupt");
        assertReadError(Arrays.copyOf(good, 5), "truncated: 5 bytes, too short for a safetensors header");
        assertReadError(Arrays.copyOf(good, 40), "header length 72 runs past the end of the file (40 bytes); the file is truncated or not safetensors");
        assertReadError(new byte[0], "truncated: 0 bytes, too short for a safetensors header");
        assertReadError("hello, world, not safetensors".getBytes(StandardCharsets.US_ASCII),
                "header length 8583909746840200552 is not plausible; not a safetensors file");
        assertReadError(file("{\"a\": ", new byte[0]), "header is not valid JSON: expected a value but found end of input at character 6");
        assertReadError(file("[1]", new byte[0]), "header is a JSON array, expected an object");
        assertReadError(withHeaderBytes(new byte[] {'{', (byte) 0xff, '}'}), "header is not valid UTF-8; not a safetensors file");
        assertReadError(file("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", new byte[16]),
                "tensor 'a': unknown dtype 'F128'");
        assertReadError(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'a': missing 'dtype'");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'a': missing 'shape'");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'a': shape must be a list of non-negative integers, got [-1]");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'a': shape must be a list of non-negative integers, got [1.5]");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
                "tensor 'a': data_offsets must be [begin, end] non-negative integers, got [0]");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[4]),
                "tensor 'a': data_offsets [4, 8] run past the end of the data (4 bytes); the file is truncated or corrupt");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "tensor 'a': data_offsets [4, 0] end before they begin");
        assertReadError(file("{\"weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[4,8],\"data_offsets\":[0,96]}}", new byte[128]),
                "tensor 'weight_ih_l0': data_offsets [0, 96] hold 96 bytes but F32 [4, 8] needs 128");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'a': data_offsets [0, 4] hold 4 bytes but F32 [4294967296, 4294967296] needs more than 2^63");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensors 'a' and 'b' overlap: data_offsets [0, 8] and [4, 12]");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
                "bytes 4..8 of the data belong to no tensor (a gap between 'a' and 'b'); the offsets are damaged");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "bytes 0..4 of the data belong to no tensor (the first, 'a', starts at 4); the offsets are damaged");
        assertReadError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[10]),
                "6 bytes after the last tensor's data belong to no tensor (the data is 10 bytes, the tensors end at 4); "
                        + "the file is damaged or has something appended");
        assertReadError(file("{\"a\":[]}", new byte[0]), "tensor 'a': header entry is a JSON array, expected an object");
        assertReadError(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ value of 'k' is a JSON number, expected a string");
        assertReadError(file("{\"__metadata__\":[]}", new byte[0]), "__metadata__ is a JSON array, expected an object");
    }

    @Test
    void namesTheFileWhenItCannotBeRead() {
        Path missing = dir.resolve("missing.safetensors");
        assertEquals(missing + ": cannot read: no such file or directory",
                assertThrows(ModelFileException.class, () -> SafetensorsFile.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not a safetensors file",
                assertThrows(ModelFileException.class, () -> SafetensorsFile.read(dir)).getMessage());
    }

    @Test
    void accessorsNameTheTensorAndItsDtype() {
        SafetensorsFile read = parse(new SafetensorsWriter()
                .putLongs("lengths", new long[] {1}, 1)
                .putFloats("input", new float[] {1}, 1));
        assertEquals("x: tensor 'lengths' has dtype I64, expected F32 or F64",
                assertThrows(ModelFileException.class, () -> read.floats("lengths")).getMessage());
        assertEquals("x: tensor 'lengths' has dtype I64, expected F64 or F32",
                assertThrows(ModelFileException.class, () -> read.doubles("lengths")).getMessage());
        assertEquals("x: tensor 'input' has dtype F32, expected I64 or I32",
                assertThrows(ModelFileException.class, () -> read.longs("input")).getMessage());
        assertEquals("x: missing tensor 'h0' (it has 'lengths', 'input')",
                assertThrows(ModelFileException.class, () -> read.floats("h0")).getMessage());
    }

    @Test
    void writerRejectsBadTensors() {
        SafetensorsWriter w = new SafetensorsWriter().putFloats("a", new float[2], 2);
        assertEquals("tensor 'b': shape [2, 2] holds 4 elements but 3 were given",
                assertThrows(IllegalArgumentException.class, () -> w.putFloats("b", new float[3], 2, 2)).getMessage());
        assertEquals("tensor 'a' was already added",
                assertThrows(IllegalArgumentException.class, () -> w.putFloats("a", new float[2], 2)).getMessage());
        assertEquals("__metadata__ is reserved for metadata",
                assertThrows(IllegalArgumentException.class, () -> w.putFloats("__metadata__", new float[1])).getMessage());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter().putFloats("a", new float[] {1}, 1).write(file);
        new SafetensorsWriter().putFloats("b", new float[] {2}, 1).write(file);
        assertEquals(List.of("b"), List.copyOf(SafetensorsFile.read(file).names()));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failedWriteLeavesNothingBehind() throws IOException {
        Path inMissingDir = dir.resolve("no/such/dir/m.safetensors");
        assertEquals(inMissingDir + ": cannot write: directory " + dir.resolve("no/such/dir") + " does not exist",
                assertThrows(ModelFileException.class, () -> new SafetensorsWriter().write(inMissingDir)).getMessage());
        Path subdir = Files.createDirectory(dir.resolve("sub"));
        assertEquals(subdir + ": cannot write: is a directory",
                assertThrows(ModelFileException.class, () -> new SafetensorsWriter().write(subdir)).getMessage());
        assertEquals(List.of(subdir), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static SafetensorsFile parse(SafetensorsWriter writer) {
        return SafetensorsFile.parse("x", writer.toBytes());
    }

    private void assertReadError(byte[] bytes, String message) throws IOException {
        Path file = dir.resolve("x.safetensors");
        Files.write(file, bytes);
        assertEquals(file + ": " + message, assertThrows(ModelFileException.class, () -> SafetensorsFile.read(file)).getMessage());
    }

    /** A safetensors file with this exact header text and data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static byte[] withHeaderBytes(byte[] header) {
        return ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array();
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Float.floatToRawIntBits(values[i]);
        return out;
    }
}
