package dev.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A safetensors file read into memory and validated: an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}},
 * then the little-endian tensor data, offsets relative to its start.
 *
 * <p>{@link #read} checks the whole header up front, so that the accessors only fail for a missing tensor or a
 * dtype the caller cannot use. Every problem is a {@link ModelFileException} whose message starts with the
 * file's path.
 */
public final class SafetensorsFile {
    /** The reference implementation's cap; a larger "length" means the file is not safetensors at all. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private final String source;
    private final byte[] bytes;
    private final int dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors; // in header order

    private record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
        long elements() {
            return (end - begin) / dtype.bytes;
        }
    }

    private SafetensorsFile(String source, byte[] bytes, int dataStart, Map<String, String> metadata,
                            Map<String, TensorInfo> tensors) {
        this.source = source;
        this.bytes = bytes;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = tensors;
    }

    /** Reads and validates the whole file. */
    public static SafetensorsFile read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) throw new ModelFileException(source + ": is a directory, not a safetensors file");
        byte[] bytes;
        try {
            long size = Files.size(file);
            // a Java array holds at most ~2^31 bytes; larger models would need a mapped reader
            if (size > Integer.MAX_VALUE - 64) {
                throw new ModelFileException(source + ": file is " + size + " bytes; files over 2 GiB are not supported");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFileException(source + ": cannot read: " + FileErrors.describe(e), e);
        }
        return parse(source, bytes);
    }

    /**
     * Validates safetensors bytes already in memory.
     *
     * @param source the name used in error messages, usually the file's path
     */
    public static SafetensorsFile parse(String source, byte[] bytes) {
        if (bytes.length < 8) {
            throw new ModelFileException(source + ": truncated: " + bytes.length
                    + " bytes, too short for a safetensors header");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFileException(source + ": header length " + Long.toUnsignedString(headerLength)
                    + " is not plausible; not a safetensors file");
        }
        if (8 + headerLength > bytes.length) {
            throw new ModelFileException(source + ": header length " + headerLength + " runs past the end of the file ("
                    + bytes.length + " bytes); the file is truncated or not safetensors");
        }
        int dataStart = (int) (8 + headerLength);
        String headerText;
        try {
            headerText = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) headerLength))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(source + ": header is not valid UTF-8; not a safetensors file");
        }
        Object header;
        try {
            header = Json.parse(headerText);
        } catch (Json.JsonException e) {
            throw new ModelFileException(source + ": header is not valid JSON: " + e.getMessage());
        }
        if (!(header instanceof Map<?, ?> entries)) {
            throw new ModelFileException(source + ": header is a JSON " + Json.typeName(header) + ", expected an object");
        }

        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(source, e.getValue(), metadata);
            } else {
                tensors.put(name, readTensorInfo(source, name, e.getValue(), dataLength));
            }
        }
        checkLayout(source, tensors.values(), dataLength);
        return new SafetensorsFile(source, bytes, dataStart, metadata, tensors);
    }

    private static void readMetadata(String source, Object value, Map<String, String> into) {
        if (value == null) return; // some writers emit null for "no metadata"
        if (!(value instanceof Map<?, ?> map)) {
            throw new ModelFileException(source + ": " + METADATA_KEY + " is a JSON " + Json.typeName(value) + ", expected an object");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new ModelFileException(source + ": " + METADATA_KEY + " value of '" + e.getKey() + "' is a JSON "
                        + Json.typeName(e.getValue()) + ", expected a string");
            }
            into.put((String) e.getKey(), s);
        }
    }

    private static TensorInfo readTensorInfo(String source, String name, Object value, long dataLength) {
        String where = source + ": tensor '" + name + "': ";
        if (!(value instanceof Map<?, ?> info)) {
            throw new ModelFileException(where + "header entry is a JSON " + Json.typeName(value) + ", expected an object");
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new ModelFileException(where + (info.containsKey("dtype") ? "dtype is not a string" : "missing 'dtype'"));
        }
        Dtype dtype = Dtype.byName(dtypeName);
        if (dtype == null) throw new ModelFileException(where + "unknown dtype '" + dtypeName + "'");

        long[] shape = longList(info.get("shape"), -1);
        if (shape == null || Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw new ModelFileException(where + (info.containsKey("shape")
                    ? "shape must be a list of non-negative integers, got " + Json.write(info.get("shape"))
                    : "missing 'shape'"));
        }
        long[] offsets = longList(info.get("data_offsets"), 2);
        if (offsets == null || offsets[0] < 0 || offsets[1] < 0) {
            throw new ModelFileException(where + (info.containsKey("data_offsets")
                    ? "data_offsets must be [begin, end] non-negative integers, got " + Json.write(info.get("data_offsets"))
                    : "missing 'data_offsets'"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        String offsetsText = "data_offsets [" + begin + ", " + end + "]";
        if (end < begin) throw new ModelFileException(where + offsetsText + " end before they begin");
        if (end > dataLength) {
            throw new ModelFileException(where + offsetsText + " run past the end of the data (" + dataLength
                    + " bytes); the file is truncated or corrupt");
        }
        long needed;
        try {
            needed = dtype.bytes;
            for (long d : shape) needed = Math.multiplyExact(needed, d);
        } catch (ArithmeticException overflow) {
            needed = -1;
        }
        if (needed != end - begin) {
            throw new ModelFileException(where + offsetsText + " hold " + (end - begin) + " bytes but " + dtype + " "
                    + Arrays.toString(shape) + " needs " + (needed < 0 ? "more than 2^63" : Long.toString(needed)));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** A JSON array of integers as long[], or null if it is not one (or has the wrong length when length >= 0). */
    private static long[] longList(Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) return null;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) return null;
            out[i] = l;
        }
        return out;
    }

    /**
     * The tensors' data must tile the data section: no overlap, no gap, nothing after the last (as the reference
     * implementation requires); bytes that belong to no tensor mean the offsets, or the file, are damaged.
     */
    private static void checkLayout(String source, Iterable<TensorInfo> infos, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : infos) {
            if (t.end > t.begin) sorted.add(t); // empty tensors occupy no bytes and overlap nothing
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (previous != null && t.begin < covered) {
                throw new ModelFileException(source + ": tensors '" + previous.name + "' and '" + t.name + "' overlap: data_offsets ["
                        + previous.begin + ", " + previous.end + "] and [" + t.begin + ", " + t.end + "]");
            }
            if (t.begin > covered) {
                throw new ModelFileException(source + ": bytes " + covered + ".." + t.begin + " of the data belong to no tensor ("
                        + (previous == null ? "the first, '" + t.name + "', starts at " + t.begin
                        : "a gap between '" + previous.name + "' and '" + t.name + "'") + "); the offsets are damaged");
            }
            covered = t.end;
            previous = t;
        }
        if (covered < dataLength) {
            throw new ModelFileException(source + ": " + (dataLength - covered) + " bytes after the last tensor's data belong to no tensor"
                    + " (the data is " + dataLength + " bytes, the tensors end at " + covered + "); the file is damaged or has something appended");
        }
    }

    /** The path (or name) this file was read from, as used at the start of error messages. */
    public String source() {
        return source;
    }

    /** The {@code __metadata__} string map (empty if the file has none), in file order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in file order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tensors.keySet()));
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The safetensors dtype name: "F32", "F64", "I64", "I32", "F16", "BF16", ... */
    public String dtype(String name) {
        return info(name).dtype.name();
    }

    public long[] shape(String name) {
        return info(name).shape.clone();
    }

    /** Number of elements, the product of the shape. */
    public long elementCount(String name) {
        return info(name).elements();
    }

    /** The tensor's raw little-endian bytes, read-only. */
    public ByteBuffer bytes(String name) {
        TensorInfo t = info(name);
        return ByteBuffer.wrap(bytes, dataStart + (int) t.begin, (int) (t.end - t.begin))
                .slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** F32 values bit for bit, or F64 values rounded to float. */
    public float[] floats(String name) {
        TensorInfo t = info(name);
        ByteBuffer data = bytes(name);
        float[] out = new float[arrayLength(t)];
        switch (t.dtype) {
            case F32 -> data.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) out[i] = (float) data.getDouble(8 * i);
            }
            default -> throw wrongDtype(t, "F32 or F64");
        }
        return out;
    }

    /** F64 values, or F32 values widened exactly. */
    public double[] doubles(String name) {
        TensorInfo t = info(name);
        ByteBuffer data = bytes(name);
        double[] out = new double[arrayLength(t)];
        switch (t.dtype) {
            case F64 -> data.asDoubleBuffer().get(out);
            case F32 -> {
                for (int i = 0; i < out.length; i++) out[i] = data.getFloat(4 * i);
            }
            default -> throw wrongDtype(t, "F64 or F32");
        }
        return out;
    }

    /** I64 values, or I32 values widened. */
    public long[] longs(String name) {
        TensorInfo t = info(name);
        ByteBuffer data = bytes(name);
        long[] out = new long[arrayLength(t)];
        switch (t.dtype) {
            case I64 -> data.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < out.length; i++) out[i] = data.getInt(4 * i);
            }
            default -> throw wrongDtype(t, "I64 or I32");
        }
        return out;
    }

    private TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            // listing what is there makes typos obvious; a few names are enough for that
            String available = tensors.isEmpty() ? "it has none"
                    : "it has " + tensors.keySet().stream().limit(8).map(n -> "'" + n + "'").collect(Collectors.joining(", "))
                    + (tensors.size() > 8 ? ", ..." : "");
            throw new ModelFileException(source + ": missing tensor '" + name + "' (" + available + ")");
        }
        return t;
    }

    private int arrayLength(TensorInfo t) {
        long n = t.elements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelFileException(source + ": tensor '" + t.name + "' has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    private ModelFileException wrongDtype(TensorInfo t, String expected) {
        return new ModelFileException(source + ": tensor '" + t.name + "' has dtype " + t.dtype + ", expected " + expected);
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + tensors.size() + " tensors]";
    }
}
