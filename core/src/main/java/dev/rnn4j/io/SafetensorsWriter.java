package dev.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and metadata, then writes them as one safetensors file, atomically: readers see either the
 * previous file or the complete new one, and a failed write leaves nothing behind.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .metadata("format", "rnn4j-model")
 *         .putFloats("weight_ih_l0", w, 16, 8)
 *         .write(Path.of("model.rnn4j"));
 * }</pre>
 *
 * Tensors are written in insertion order, back to back (as the format requires: no gaps), after a header
 * padded with spaces so that the data starts at a multiple of 8 bytes.
 */
public final class SafetensorsWriter {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    private record Entry(Dtype dtype, long[] shape, byte[] data) {}

    /** Adds (or replaces) a {@code __metadata__} string. */
    public SafetensorsWriter metadata(String key, String value) {
        if (key == null || value == null) throw new IllegalArgumentException("metadata key and value must not be null");
        metadata.put(key, value);
        return this;
    }

    /** An F32 tensor; {@code shape} must hold exactly {@code data.length} elements (no dims: a scalar). */
    public SafetensorsWriter putFloats(String name, float[] data, long... shape) {
        ByteBuffer bytes = allocate(name, Dtype.F32, data.length, shape);
        bytes.asFloatBuffer().put(data);
        return put(name, Dtype.F32, shape, bytes);
    }

    /** {@link #putFloats(String, float[], long...)} with an int shape, as {@code Parameter.shape()} returns. */
    public SafetensorsWriter putFloats(String name, float[] data, int... shape) {
        return putFloats(name, data, toLongs(shape));
    }

    /** An F64 tensor. */
    public SafetensorsWriter putDoubles(String name, double[] data, long... shape) {
        ByteBuffer bytes = allocate(name, Dtype.F64, data.length, shape);
        bytes.asDoubleBuffer().put(data);
        return put(name, Dtype.F64, shape, bytes);
    }

    public SafetensorsWriter putDoubles(String name, double[] data, int... shape) {
        return putDoubles(name, data, toLongs(shape));
    }

    /** An I64 tensor. */
    public SafetensorsWriter putLongs(String name, long[] data, long... shape) {
        ByteBuffer bytes = allocate(name, Dtype.I64, data.length, shape);
        bytes.asLongBuffer().put(data);
        return put(name, Dtype.I64, shape, bytes);
    }

    public SafetensorsWriter putLongs(String name, long[] data, int... shape) {
        return putLongs(name, data, toLongs(shape));
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    private ByteBuffer allocate(String name, Dtype dtype, int length, long[] shape) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must not be empty");
        if (name.equals(SafetensorsFile.METADATA_KEY)) throw new IllegalArgumentException(name + " is reserved for metadata");
        if (tensors.containsKey(name)) throw new IllegalArgumentException("tensor '" + name + "' was already added");
        long elements = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            elements = Math.multiplyExact(elements, d);
        }
        if (elements != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + elements
                    + " elements but " + length + " were given");
        }
        return ByteBuffer.allocate(Math.multiplyExact(length, dtype.bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private SafetensorsWriter put(String name, Dtype dtype, long[] shape, ByteBuffer bytes) {
        tensors.put(name, new Entry(dtype, shape.clone(), bytes.array()));
        return this;
    }

    /** The file's bytes: header length, padded JSON header, data. */
    public byte[] toBytes() {
        byte[] header = header();
        long total = 8L + header.length;
        for (Entry e : tensors.values()) total += e.data.length;
        if (total > Integer.MAX_VALUE - 64) throw new IllegalStateException("over 2 GiB; use write(Path)");
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (Entry e : tensors.values()) out.put(e.data);
        return out.array();
    }

    private byte[] header() {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put(SafetensorsFile.METADATA_KEY, metadata);
        long offset = 0;
        for (Map.Entry<String, Entry> t : tensors.entrySet()) {
            Entry e = t.getValue();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype.name());
            info.put("shape", e.shape);
            info.put("data_offsets", new long[] {offset, offset + e.data.length});
            header.put(t.getKey(), info);
            offset += e.data.length;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // pad with spaces (allowed JSON whitespace) so the data section starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Writes the file atomically: to a hidden temporary file in the same directory, synced, then renamed over
     * {@code file}. On failure the temporary file is deleted and {@code file} is untouched.
     *
     * @throws ModelFileException naming {@code file} if it cannot be written
     */
    public void write(Path file) {
        String source = file.toString();
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(file)) throw new ModelFileException(source + ": cannot write: is a directory");
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ModelFileException(source + ": cannot write: directory " + dir + " does not exist");
        }
        try {
            AtomicFile.write(absolute, channel -> {
                byte[] header = header();
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                AtomicFile.writeFully(channel, prefix);
                for (Entry e : tensors.values()) AtomicFile.writeFully(channel, ByteBuffer.wrap(e.data));
            });
        } catch (IOException e) {
            throw new ModelFileException(source + ": cannot write: " + FileErrors.describe(e) + " (a full disk or a file size limit?); "
                    + (Files.exists(absolute) ? "the file there is unchanged" : "no file was written"), e);
        }
    }

    /** Names added so far, in order. */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }
}
