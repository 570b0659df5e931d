package dev.rnn4j.io.onnx;

import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.onnx.Onnx.Attribute;
import dev.rnn4j.io.onnx.Onnx.Graph;
import dev.rnn4j.io.onnx.Onnx.Node;
import dev.rnn4j.io.onnx.Onnx.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph's constant values: initializers, Constant nodes, and what the shape ops (Identity, Transpose, Reshape,
 * Squeeze, Unsqueeze, Slice, Concat, Cast) compute from them, so that {@link OnnxImport} finds a recurrent node's
 * weights however an exporter arranged them. Only FLOAT and INT64/INT32 values are kept; others are not constants
 * here, and the importer reports the weight they feed as not constant.
 */
final class ConstantFolder {
    /** The ops folded when all their inputs are constant. */
    static final Set<String> FOLDED = Set.of("Identity", "Transpose", "Reshape", "Squeeze", "Unsqueeze", "Slice", "Concat", "Cast");

    /** A constant: FLOAT values in {@code floats} or integers in {@code longs}, row-major in {@code dims}. */
    record Value(long[] dims, float[] floats, long[] longs) {
        int size() {
            return floats != null ? floats.length : longs.length;
        }
    }

    private final String source;
    private final Map<String, Value> values = new HashMap<>();
    private final Set<String> external = new java.util.HashSet<>();

    ConstantFolder(String source, Graph graph) {
        this.source = source;
        for (Tensor t : graph.initializers()) {
            if (t.external()) external.add(t.name());
            else put(t.name(), t, "initializer '" + t.name() + "'");
        }
        for (Node n : graph.nodes()) {
            if (n.opType().equals("Constant") && n.domain().isEmpty() && n.outputs().size() == 1) {
                Attribute value = n.attribute("value");
                if (value != null && value.t() != null && !value.t().external()) put(n.outputs().getFirst(), value.t(), n.describe());
            } else if (FOLDED.contains(n.opType()) && n.domain().isEmpty() && n.outputs().size() == 1 && inputsConstant(n)) {
                Value folded = fold(n);
                if (folded != null) values.put(n.outputs().getFirst(), folded);
            }
        }
    }

    /** The constant of that name, or null if it is computed at run time. */
    Value get(String name) {
        return values.get(name);
    }

    /** Whether the value is an initializer whose data is in an external file. */
    boolean isExternal(String name) {
        return external.contains(name);
    }

    private void put(String name, Tensor t, String what) {
        String where = source + ": " + what;
        if (t.dataType() == Onnx.FLOAT) values.put(name, new Value(t.dims(), t.floats(where), null));
        else if (t.dataType() == Onnx.INT64 || t.dataType() == Onnx.INT32) values.put(name, new Value(t.dims(), null, t.longs(where)));
    }

    private boolean inputsConstant(Node n) {
        for (String input : n.inputs()) if (!input.isEmpty() && !values.containsKey(input)) return false;
        return !n.inputs().isEmpty();
    }

    private Value fold(Node n) {
        Value x = values.get(n.inputs().getFirst());
        if (x == null) return null;
        try {
            return switch (n.opType()) {
                case "Identity" -> x;
                case "Cast" -> cast(x, n.attribute("to"));
                case "Transpose" -> transpose(x, n.attribute("perm") == null ? reversed(x.dims.length) : n.attribute("perm").ints());
                case "Reshape" -> reshape(x, longsOf(n.input(1)));
                case "Squeeze" -> squeeze(x, axes(n, x.dims.length));
                case "Unsqueeze" -> unsqueeze(x, axes(n, x.dims.length + axes(n, Integer.MAX_VALUE).length));
                case "Slice" -> slice(x, n);
                case "Concat" -> concat(n);
                default -> null;
            };
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException e) {
            throw new ModelFileException(source + ": " + n.describe() + ": cannot compute it from its constant inputs: " + e.getMessage());
        }
    }

    private long[] longsOf(String name) {
        Value v = values.get(name);
        if (v == null || v.longs == null) throw new IllegalArgumentException("input '" + name + "' is not a constant integer tensor");
        return v.longs;
    }

    /** Axes from the attribute (before opset 13) or the second input, made non-negative for the given rank. */
    private long[] axes(Node n, int rank) {
        long[] axes = n.attribute("axes") != null ? n.attribute("axes").ints() : n.input(1).isEmpty() ? new long[0] : longsOf(n.input(1));
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) out[i] = axes[i] < 0 && rank != Integer.MAX_VALUE ? axes[i] + rank : axes[i];
        return out;
    }

    private static Value cast(Value x, Attribute to) {
        if (to == null) throw new IllegalArgumentException("Cast without 'to'");
        if (to.i() == Onnx.FLOAT) {
            if (x.floats != null) return x;
            float[] f = new float[x.longs.length];
            for (int i = 0; i < f.length; i++) f[i] = x.longs[i];
            return new Value(x.dims, f, null);
        }
        if (to.i() == Onnx.INT64 || to.i() == Onnx.INT32) {
            if (x.longs != null) return x;
            long[] l = new long[x.floats.length];
            for (int i = 0; i < l.length; i++) l[i] = (long) x.floats[i];
            return new Value(x.dims, null, l);
        }
        return null;
    }

    private static long[] reversed(int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        return perm;
    }

    private static Value transpose(Value x, long[] perm) {
        int rank = x.dims.length;
        long[] sorted = perm.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            // a repeated axis would make the result larger than its input
            if (sorted[i] != i || perm.length != rank) throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (rank - 1));
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) dims[i] = x.dims[(int) perm[i]];
        int[] inStrides = strides(x.dims);
        int n = x.size();
        int[] from = new int[n];
        int[] index = new int[rank];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (int a = 0; a < rank; a++) offset += index[a] * inStrides[(int) perm[a]];
            from[i] = offset;
            for (int a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return gather(x, dims, from);
    }

    private static Value reshape(Value x, long[] shape) {
        long[] dims = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0) dims[i] = x.dims[i];
            if (dims[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("two -1 in shape " + Arrays.toString(shape));
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        if (unknown >= 0) dims[unknown] = known == 0 ? 0 : x.size() / known;
        if (count(dims) != x.size()) throw new IllegalArgumentException("cannot reshape " + Arrays.toString(x.dims) + " to " + Arrays.toString(shape));
        return new Value(dims, x.floats, x.longs);
    }

    private static Value squeeze(Value x, long[] axes) {
        long[] dims = Arrays.stream(x.dims).toArray();
        int kept = 0;
        for (int a = 0; a < dims.length; a++) {
            boolean drop = axes.length == 0 ? dims[a] == 1 : contains(axes, a);
            if (drop && dims[a] != 1) throw new IllegalArgumentException("axis " + a + " has size " + dims[a] + ", not 1");
            if (!drop) dims[kept++] = dims[a];
        }
        return new Value(Arrays.copyOf(dims, kept), x.floats, x.longs);
    }

    private static Value unsqueeze(Value x, long[] axes) {
        long[] dims = new long[x.dims.length + axes.length];
        for (int a = 0, from = 0; a < dims.length; a++) dims[a] = contains(axes, a) ? 1 : x.dims[from++];
        return new Value(dims, x.floats, x.longs);
    }

    private Value slice(Value x, Node n) {
        int rank = x.dims.length;
        boolean attributes = n.attribute("starts") != null; // before opset 10
        long[] starts = attributes ? n.attribute("starts").ints() : longsOf(n.input(1));
        long[] ends = attributes ? n.attribute("ends").ints() : longsOf(n.input(2));
        long[] axes = attributes ? (n.attribute("axes") == null ? null : n.attribute("axes").ints())
                : n.input(3).isEmpty() ? null : longsOf(n.input(3));
        long[] steps = attributes || n.input(4).isEmpty() ? null : longsOf(n.input(4));
        long[] begin = new long[rank], step = new long[rank], dims = x.dims.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) (axes == null ? i : axes[i] < 0 ? axes[i] + rank : axes[i]);
            long size = x.dims[axis], s = steps == null ? 1 : steps[i];
            if (s == 0) throw new IllegalArgumentException("slice step 0");
            long lo = clampIndex(starts[i], size, s > 0 ? 0 : -1, s > 0 ? size : size - 1);
            long hi = clampIndex(ends[i], size, s > 0 ? 0 : -1, s > 0 ? size : size - 1);
            begin[axis] = lo;
            step[axis] = s;
            dims[axis] = s > 0 ? Math.max(0, (hi - lo + s - 1) / s) : Math.max(0, (lo - hi - s - 1) / -s);
        }
        int[] inStrides = strides(x.dims);
        int total = (int) count(dims);
        int[] from = new int[total];
        int[] index = new int[rank];
        for (int i = 0; i < total; i++) {
            int offset = 0;
            for (int a = 0; a < rank; a++) offset += (int) (begin[a] + index[a] * step[a]) * inStrides[a];
            from[i] = offset;
            for (int a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return gather(x, dims, from);
    }

    private static long clampIndex(long index, long size, long low, long high) {
        if (index < 0) index += size;
        return Math.max(low, Math.min(high, index));
    }

    private Value concat(Node n) {
        List<Value> parts = n.inputs().stream().filter(s -> !s.isEmpty()).map(values::get).toList();
        Value first = parts.getFirst();
        int rank = first.dims.length;
        long axisAttribute = n.attribute("axis") == null ? 0 : n.attribute("axis").i();
        int axis = (int) (axisAttribute < 0 ? axisAttribute + rank : axisAttribute);
        long[] dims = first.dims.clone();
        dims[axis] = 0;
        for (Value p : parts) {
            if (p.dims.length != rank || (p.floats == null) != (first.floats == null)) throw new IllegalArgumentException("inputs of different ranks or types");
            dims[axis] += p.dims[axis];
        }
        long outer = 1;
        for (int a = 0; a < axis; a++) outer *= dims[a];
        int total = (int) count(dims);
        float[] f = first.floats == null ? null : new float[total];
        long[] l = first.longs == null ? null : new long[total];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (Value p : parts) {
                int chunk = (int) (p.size() / outer);
                if (f != null) System.arraycopy(p.floats, (int) o * chunk, f, at, chunk);
                else System.arraycopy(p.longs, (int) o * chunk, l, at, chunk);
                at += chunk;
            }
        }
        return new Value(dims, f, l);
    }

    private static Value gather(Value x, long[] dims, int[] from) {
        if (x.floats != null) {
            float[] f = new float[from.length];
            for (int i = 0; i < from.length; i++) f[i] = x.floats[from[i]];
            return new Value(dims, f, null);
        }
        long[] l = new long[from.length];
        for (int i = 0; i < from.length; i++) l[i] = x.longs[from[i]];
        return new Value(dims, null, l);
    }

    private static int[] strides(long[] dims) {
        int[] s = new int[dims.length];
        int stride = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
            s[a] = stride;
            stride *= (int) dims[a];
        }
        return s;
    }

    /** The element count of dims; an ArithmeticException for a negative dim or one beyond an array's reach. */
    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new ArithmeticException("negative dimension in " + Arrays.toString(dims));
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) throw new ArithmeticException(Arrays.toString(dims) + " has too many elements");
        return n;
    }

    private static boolean contains(long[] axes, int axis) {
        for (long a : axes) if (a == axis) return true;
        return false;
    }
}
