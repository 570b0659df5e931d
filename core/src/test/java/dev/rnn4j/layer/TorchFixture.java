package dev.rnn4j.layer;

import dev.rnn4j.io.SafetensorsFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One fixture written by {@code core/src/test/resources/torch/make_fixtures.py}, read with {@link SafetensorsFile},
 * plus the case's name and typed metadata. Inputs, weights and loss weights must be F32 (so the float copy is
 * exact); references are F64.
 */
final class TorchFixture {
    private final String name;
    private final SafetensorsFile file;

    private TorchFixture(String name, SafetensorsFile file) {
        this.name = name;
        this.file = file;
    }

    static TorchFixture read(Path path) {
        String fileName = path.getFileName().toString();
        String name = fileName.endsWith(".safetensors") ? fileName.substring(0, fileName.length() - ".safetensors".length()) : fileName;
        return new TorchFixture(name, SafetensorsFile.read(path));
    }

    /** The file name without {@code .safetensors}: the case's name. */
    String name() {
        return name;
    }

    Map<String, String> metadata() {
        return file.metadata();
    }

    /** A metadata value; fails if missing. */
    String meta(String key) {
        String v = file.metadata().get(key);
        if (v == null) throw new IllegalStateException(name + ": metadata has no " + key + "; it has " + file.metadata().keySet());
        return v;
    }

    int metaInt(String key) {
        return Integer.parseInt(meta(key));
    }

    boolean metaBoolean(String key) {
        String v = meta(key);
        if (!v.equals("true") && !v.equals("false")) throw new IllegalStateException(name + ": " + key + " is " + v);
        return v.equals("true");
    }

    Set<String> names() {
        return file.names();
    }

    boolean has(String tensor) {
        return file.has(tensor);
    }

    long[] shape(String tensor) {
        return file.shape(tensor);
    }

    /** An F32 tensor, exactly (an F64 one is refused: rounding it would hide a generator bug). */
    float[] floats(String tensor) {
        if (!file.dtype(tensor).equals("F32")) {
            throw new IllegalStateException(name + ": " + tensor + " is " + file.dtype(tensor) + ", expected F32");
        }
        return file.floats(tensor);
    }

    /** An F64 (or F32) tensor as doubles. */
    double[] doubles(String tensor) {
        return file.doubles(tensor);
    }

    /** An I64 tensor. */
    long[] longs(String tensor) {
        return file.longs(tensor);
    }

    @Override
    public String toString() {
        return name;
    }
}
