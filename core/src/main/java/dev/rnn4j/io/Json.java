package dev.rnn4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer, enough for safetensors headers and model metadata, so that
 * core needs no dependency.
 *
 * <p>{@link #parse} returns {@code Map<String, Object>} (keys in document order), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit), {@code Double} (any other number), {@code Boolean} or
 * {@code null}. {@link #write} accepts the same types, plus any {@link Number} and {@code long[]}/{@code int[]}.
 */
public final class Json {
    /** Guards against stack overflow on hostile input; real headers nest 3 deep. */
    private static final int MAX_DEPTH = 256;

    private Json() {}

    /** Thrown for malformed JSON; the message says what was expected and at which character offset. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(FileErrors.oneLine(message)); // it quotes the text, which may hold a raw newline
        }
    }

    /** Parses one JSON value (surrounding whitespace allowed, nothing else after it). */
    public static Object parse(String text) {
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) throw parser.error("unexpected " + parser.describeHere() + " after the value");
        return value;
    }

    /** Parses a JSON object; a valid document that is not an object is an error too. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) throw new JsonException("expected a JSON object, got " + typeName(value));
        return (Map<String, Object>) value;
    }

    /** The JSON type of a parsed value, for error messages: object, array, string, number, boolean or null. */
    public static String typeName(Object value) {
        if (value == null) return "null";
        if (value instanceof Map) return "object";
        if (value instanceof List) return "array";
        if (value instanceof String) return "string";
        if (value instanceof Number) return "number";
        if (value instanceof Boolean) return "boolean";
        return value.getClass().getSimpleName();
    }

    /** Compact JSON for a value tree (see the class comment for the accepted types). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * The same JSON as {@link #write}, indented by two spaces per level with one member or element per line, for
     * files people read (metrics); empty objects and arrays stay {@code {}} and {@code []}.
     */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        writePretty(value, out, 0);
        return out.toString();
    }

    private static void writePretty(Object value, StringBuilder out, int depth) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                out.append("  ".repeat(depth + 1));
                writeString(key, out);
                out.append(": ");
                writePretty(e.getValue(), out, depth + 1);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append('}');
        } else if (value instanceof Iterable<?> items && items.iterator().hasNext() && !isFlat(items)) {
            out.append("[\n");
            var it = items.iterator();
            while (it.hasNext()) {
                out.append("  ".repeat(depth + 1));
                writePretty(it.next(), out, depth + 1);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append(']');
        } else {
            write(value, out); // scalars, and arrays of scalars on one line
        }
    }

    private static boolean isFlat(Iterable<?> items) {
        for (Object item : items) if (item instanceof Map || item instanceof Iterable) return false;
        return true;
    }

    /** The JSON string literal for {@code s}, quotes included. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        writeString(s, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(s, out);
            case Boolean b -> out.append(b);
            case Double d -> writeDouble(d, out);
            case Float f -> writeDouble(f.doubleValue(), out);
            case Number n -> out.append(n.longValue());
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    if (!first) out.append(',');
                    first = false;
                    writeString(key, out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) out.append(',');
                    first = false;
                    write(item, out);
                }
                out.append(']');
            }
            case long[] longs -> {
                out.append('[');
                for (int i = 0; i < longs.length; i++) out.append(i == 0 ? "" : ",").append(longs[i]);
                out.append(']');
            }
            case int[] ints -> {
                out.append('[');
                for (int i = 0; i < ints.length; i++) out.append(i == 0 ? "" : ",").append(ints[i]);
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeDouble(double d, StringBuilder out) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no " + d);
        // integral doubles print without ".0" when exact, so 3.0 round-trips as the Long 3 (same JSON number)
        if (d == Math.rint(d) && Math.abs(d) < 1e15) out.append((long) d);
        else out.append(d);
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // control characters must be escaped; U+2028/2029 too, so the output is also valid JavaScript
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        JsonException error(String message) {
            return new JsonException(message + " at character " + pos);
        }

        String describeHere() {
            if (pos >= text.length()) return "end of input";
            char c = text.charAt(pos);
            return c < 0x20 ? String.format("character U+%04X", (int) c) : "'" + c + "'";
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            if (pos >= text.length()) throw error("expected a value but found end of input");
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("expected a value but found " + describeHere());
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) throw error("expected a value but found " + describeHere());
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected a string key but found " + describeHere());
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = value(depth + 1);
                // duplicate keys are ambiguous (which one wins?), so a header with them is rejected
                if (map.containsKey(key)) {
                    pos = keyAt;
                    throw error("duplicate key " + quote(key));
                }
                map.put(key, value);
                skipWhitespace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private List<Object> array(int depth) {
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return Collections.unmodifiableList(list);
            }
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) throw error("expected '" + c + "' but found " + describeHere());
            pos++;
        }

        private String string() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) throw error("unterminated string");
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c < 0x20) throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in string");
                if (c != '\\') {
                    out.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= text.length()) throw error("unterminated string");
                char e = text.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) throw error("truncated \\u escape");
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(text.charAt(pos + i), 16);
                            if (digit < 0) throw error("bad \\u escape");
                            code = code * 16 + digit;
                        }
                        pos += 4;
                        out.append((char) code); // surrogate pairs arrive as two escapes and recombine here
                    }
                    default -> {
                        pos -= 2;
                        throw error("bad escape '\\" + e + "'");
                    }
                }
            }
        }

        private Number number() {
            int start = pos;
            boolean integral = true;
            if (text.charAt(pos) == '-') pos++;
            if (pos < text.length() && text.charAt(pos) == '0') {
                pos++;
            } else if (!digits()) {
                throw error("bad number");
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (!digits()) throw error("bad number: digits expected after '.'");
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
                if (!digits()) throw error("bad number: digits expected in the exponent");
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // falls through to a double, as JavaScript would read it
                }
            }
            double value = Double.parseDouble(literal);
            if (Double.isInfinite(value)) { // JSON has no infinity, and write() could not give it back
                pos = start;
                throw error("number " + (literal.length() > 24 ? literal.substring(0, 24) + "..." : literal) + " is too large for a double");
            }
            return value;
        }

        private boolean digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
            return pos > start;
        }
    }
}
