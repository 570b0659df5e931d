package dev.rnn4j.train;

import dev.rnn4j.io.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Strict reading of one JSON object: every key must be read once, with the right type. */
final class JsonFields {
    private final Map<String, Object> json;
    private final String where;
    private final Set<String> read = new HashSet<>();

    JsonFields(Map<String, Object> json, String where) {
        this.json = json;
        this.where = where;
    }

    Object raw(String key) {
        if (!json.containsKey(key)) throw new IllegalArgumentException(where + "missing '" + key + "'");
        read.add(key);
        return json.get(key);
    }

    boolean isNull(String key) {
        return raw(key) == null;
    }

    String string(String key) {
        Object v = raw(key);
        if (v instanceof String s) return s;
        throw wrongType(key, "a string", v);
    }

    String stringOrNull(String key) {
        return raw(key) == null ? null : string(key);
    }

    boolean bool(String key) {
        Object v = raw(key);
        if (v instanceof Boolean b) return b;
        throw wrongType(key, "true or false", v);
    }

    long integer(String key) {
        Object v = raw(key);
        if (v instanceof Long l) return l;
        throw wrongType(key, "an integer", v);
    }

    int int32(String key) {
        long v = integer(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw wrongType(key, "a 32-bit integer", v);
        return (int) v;
    }

    /** A number, or one of the strings "Infinity", "-Infinity", "NaN" that {@link #number(double)} writes. */
    /** The int at key, or {@code absent} when the key is missing (a field added after files without it were written). */
    int int32OrDefault(String key, int absent) {
        return json.containsKey(key) ? int32(key) : absent;
    }

    double number(String key) {
        Object v = raw(key);
        if (v instanceof Number n) return n.doubleValue();
        if ("Infinity".equals(v)) return Double.POSITIVE_INFINITY;
        if ("-Infinity".equals(v)) return Double.NEGATIVE_INFINITY;
        if ("NaN".equals(v)) return Double.NaN;
        throw wrongType(key, "a number", v);
    }

    Double numberOrNull(String key) {
        return raw(key) == null ? null : number(key);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object v = raw(key);
        if (v instanceof Map) return (Map<String, Object>) v;
        throw wrongType(key, "an object", v);
    }

    Map<String, Object> objectOrNull(String key) {
        return raw(key) == null ? null : object(key);
    }

    /** The list under {@code key}, or null when the key is absent or null. */
    @SuppressWarnings("unchecked")
    List<Object> listOrNull(String key) {
        if (!json.containsKey(key)) return null;
        Object v = raw(key);
        if (v == null) return null;
        if (!(v instanceof List)) throw wrongType(key, "a list", v);
        return (List<Object>) v;
    }

    void requireNoOthers() {
        for (String key : json.keySet()) {
            if (!read.contains(key)) throw new IllegalArgumentException(where + "unknown key '" + key + "'");
        }
    }

    /**
     * Reads a {@code {"type": ..., ...}} object (a loss, a schedule, an optimizer): {@code read} builds the value of a
     * type it knows from the other fields, and returns null for a type it does not know; a {@code "custom"} one
     * (written with only its description) cannot be rebuilt. Every field must be read.
     *
     * @param what the kind of value, for messages: "loss", "schedule", "optimizer"
     */
    static <T> T typed(Map<String, Object> json, String where, String what, BiFunction<String, JsonFields, T> read) {
        JsonFields f = new JsonFields(json, where);
        String type = f.string("type");
        if (type.equals("custom")) {
            throw new IllegalArgumentException(where + "a custom " + what + " (" + f.string("description")
                    + ") cannot be rebuilt from its description: pass the TrainConfig itself");
        }
        T value = read.apply(type, f);
        if (value == null) throw new IllegalArgumentException(where + "unknown " + what + " type '" + type + "'");
        f.requireNoOthers();
        return value;
    }

    private IllegalArgumentException wrongType(String key, String expected, Object v) {
        return new IllegalArgumentException(where + "'" + key + "' must be " + expected + ", got " + Json.write(v));
    }

    /** A double as JSON: the number when finite (exact: Java prints the shortest repr that reads back), else a string. */
    static Object number(double v) {
        if (Double.isFinite(v)) return v;
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
