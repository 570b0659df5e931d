package dev.rnn4j.io;

import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parameter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks shared by model files, PyTorch imports and the CLI's input files. Every message starts with the
 * file's path, so the user knows which file to fix.
 */
public final class Tensors {
    private Tensors() {}

    /** {@code [2, 3]} for a shape or an index. */
    public static String format(long[] dims) {
        return Arrays.toString(dims);
    }

    /** {@code [2, 3]} for a shape or an index. */
    public static String format(int[] dims) {
        return Arrays.toString(dims);
    }

    /** The multi-dimensional index of flat (row-major) position {@code flat} in a tensor of that shape. */
    public static long[] unflatten(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return index;
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    /** Throws naming the tensor, the value and its index if {@code values} holds a NaN or an infinity. */
    public static void requireFinite(String source, String tensor, float[] values, long[] shape) {
        String problem = firstNonFinite(values, shape);
        if (problem != null) throw new ModelFileException(source + ": tensor '" + tensor + "' has " + problem);
    }

    /** "NaN at index [1, 2]" for the first non-finite value, or null if all are finite. */
    static String firstNonFinite(float[] values, long[] shape) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) return values[i] + " at index " + format(unflatten(i, shape));
        }
        return null;
    }

    /** Throws unless the tensor exists, is F32 and has exactly that shape. */
    public static void requireF32(SafetensorsFile file, String tensor, long[] expectedShape) {
        if (!file.has(tensor)) throw new ModelFileException(file.source() + ": missing tensor '" + tensor + "'");
        if (!file.dtype(tensor).equals("F32")) {
            throw new ModelFileException(file.source() + ": tensor '" + tensor + "' has dtype " + file.dtype(tensor)
                    + ", expected F32");
        }
        long[] shape = file.shape(tensor);
        if (!Arrays.equals(shape, expectedShape)) {
            throw new ModelFileException(file.source() + ": tensor '" + tensor + "' has shape " + format(shape)
                    + ", expected " + format(expectedShape));
        }
    }

    /** The values of an F32 tensor of exactly that shape, all finite; else throws as {@link #requireF32} and {@link #requireFinite}. */
    static float[] readF32(SafetensorsFile file, String tensor, long[] shape) {
        requireF32(file, tensor, shape);
        float[] values = file.floats(tensor);
        requireFinite(file.source(), tensor, values, shape);
        return values;
    }

    /**
     * Adds an F32 tensor to {@code writer}, or throws "&lt;file&gt;: not saved: &lt;what&gt; has NaN at index [..]" if a
     * value is not finite (such a file could not be loaded back).
     */
    static void putFinite(SafetensorsWriter writer, Path file, String what, String tensor, float[] values, long[] shape) {
        String problem = firstNonFinite(values, shape);
        if (problem != null) throw new ModelFileException(file + ": not saved: " + what + " has " + problem);
        writer.putFloats(tensor, values, shape);
    }

    static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /**
     * Copies every parameter and buffer of {@code network} from the tensor of the same name, after checking that the
     * file has exactly the network's parameters and buffers (none missing, none extra), each F32 of the exact shape
     * and finite.
     *
     * @param otherTensors names the file may also hold that are not parameters (ignored)
     */
    static void copyParameters(SafetensorsFile file, Recurrent network, Set<String> otherTensors) {
        String source = file.source();
        Set<String> expected = new LinkedHashSet<>();
        for (RecurrentConfig.ParameterSpec spec : network.config().parameterSpecs()) expected.add(spec.name());
        for (RecurrentConfig.ParameterSpec spec : network.config().bufferSpecs()) expected.add(spec.name());
        for (String name : expected) {
            if (!file.has(name)) {
                throw new ModelFileException(source + ": missing tensor '" + name + "', which " + describe(network.config()) + " needs");
            }
        }
        for (String name : file.names()) {
            if (!expected.contains(name) && !otherTensors.contains(name)) {
                throw new ModelFileException(source + ": unexpected tensor '" + name + "', not a parameter of "
                        + describe(network.config()));
            }
        }
        for (Parameter p : network.parameters()) p.set(readF32(file, p.name(), toLongs(p.shape())));
        for (Buffer b : network.buffers()) b.set(readF32(file, b.name(), toLongs(b.shape())));
    }

    /** "a 2-layer bidirectional LSTM", for messages. */
    static String describe(RecurrentConfig c) {
        return "a " + c.layers() + "-layer " + (c.bidirectional() ? "bidirectional " : "") + c.cellType()
                + (c.bias() ? "" : " without bias");
    }
}
