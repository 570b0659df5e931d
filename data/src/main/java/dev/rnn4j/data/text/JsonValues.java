package dev.rnn4j.data.text;

import dev.rnn4j.io.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading the text package's JSON back (bundles), with messages that name the key. */
final class JsonValues {
    private JsonValues() {}

    static Object required(Map<String, Object> json, String key) {
        if (!json.containsKey(key)) throw new IllegalArgumentException("missing '" + key + "'");
        return json.get(key);
    }

    static boolean bool(Map<String, Object> json, String key) {
        if (required(json, key) instanceof Boolean b) return b;
        throw new IllegalArgumentException("'" + key + "' must be true or false, got " + Json.write(json.get(key)));
    }

    static int integer(Map<String, Object> json, String key) {
        if (required(json, key) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        throw new IllegalArgumentException("'" + key + "' must be an integer, got " + Json.write(json.get(key)));
    }

    static String string(Map<String, Object> json, String key) {
        if (required(json, key) instanceof String s) return s;
        throw new IllegalArgumentException("'" + key + "' must be a string, got " + Json.write(json.get(key)));
    }

    static String stringOrNull(Map<String, Object> json, String key) {
        Object v = required(json, key);
        if (v == null || v instanceof String) return (String) v;
        throw new IllegalArgumentException("'" + key + "' must be a string or null, got " + Json.write(v));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> json, String key) {
        if (required(json, key) instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("'" + key + "' must be an object, got " + Json.write(json.get(key)));
    }

    static List<String> strings(Map<String, Object> json, String key) {
        if (!(required(json, key) instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + key + "' must be a list of strings, got " + Json.write(json.get(key)));
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) throw new IllegalArgumentException("'" + key + "' must hold strings only, got " + Json.write(o));
            out.add(s);
        }
        return out;
    }

    static <E extends Enum<E>> E enumValue(Map<String, Object> json, String key, Class<E> type) {
        String s = string(json, key);
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
        throw new IllegalArgumentException("'" + key + "' must be one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + s + "'");
    }
}
