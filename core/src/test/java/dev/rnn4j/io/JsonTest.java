package dev.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @Test
    void prettyIsTheSameJsonIndented() {
        java.util.Map<String, Object> inner = new java.util.LinkedHashMap<>();
        inner.put("rmse", 1.5);
        inner.put("empty", java.util.Map.of());
        java.util.Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("test", inner);
        value.put("folds", java.util.List.of(1L, 2L));
        value.put("rows", java.util.List.of(java.util.Map.of("a", true)));
        String pretty = Json.writePretty(value);
        org.junit.jupiter.api.Assertions.assertEquals("""
                {
                  "test": {
                    "rmse": 1.5,
                    "empty": {}
                  },
                  "folds": [1,2],
                  "rows": [
                    {
                      "a": true
                    }
                  ]
                }""", pretty);
        org.junit.jupiter.api.Assertions.assertEquals(Json.write(value), Json.write(Json.parse(pretty)));
    }

    @Test
    void parsesEveryValueType() {
        Map<String, Object> m = Json.parseObject(
                " {\"s\": \"x\", \"i\": -12, \"big\": 12345678901234567890, \"d\": 1.5e2, \"t\": true, \"f\": false,"
                        + " \"n\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}} ");
        assertEquals("x", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(1.2345678901234567e19, m.get("big"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(List.of("s", "i", "big", "d", "t", "f", "n", "a", "o"), List.copyOf(m.keySet()), "document order");
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() {
        assertEquals("a\"b\\c/d\b\f\n\r\té😀", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void writesAndReadsBackStringsWithQuotesControlsAndUnicode() {
        String tricky = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 é 中文 😀 \u2028";
        String json = Json.quote(tricky);
        assertEquals("\"quote \\\" backslash \\\\ newline \\n tab \\t nul \\u0000 bell \\u0007 é 中文 😀 \\u2028\"", json);
        assertEquals(tricky, Json.parse(json));
    }

    @Test
    void writesNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1, 2.5, true));
        m.put("b", null);
        m.put("c", new long[] {3, 4});
        m.put("d", 3.0);
        m.put("e", Arrays.asList("x", null));
        assertEquals("{\"a\":[1,2.5,true],\"b\":null,\"c\":[3,4],\"d\":3,\"e\":[\"x\",null]}", Json.write(m));
    }

    @Test
    void rejectsNonFiniteNumbers() {
        assertEquals("JSON has no NaN", assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN)).getMessage());
    }

    @Test
    void reportsWhatWasExpectedAndWhere() {
        assertError("{\"a\": 1,}", "expected a string key but found '}' at character 8");
        assertError("{\"a\" 1}", "expected ':' but found '1' at character 5");
        assertError("[1 2]", "expected ']' but found '2' at character 3");
        assertError("{\"a\": tru}", "expected a value but found 't' at character 6");
        assertError("\"abc", "unterminated string at character 4");
        assertError("\"a\nb\"", "unescaped control character U+000A in string at character 2");
        assertError("\"\\x\"", "bad escape '\\x' at character 1");
        assertError("01", "unexpected '1' after the value at character 1");
        assertError("-", "bad number at character 1");
        assertError("1.", "bad number: digits expected after '.' at character 2");
        assertError("", "expected a value but found end of input at character 0");
        assertError("{\"a\": 1, \"a\": 2}", "duplicate key \"a\" at character 9");
        assertError("[".repeat(300), "nesting deeper than 256 at character 257");
    }

    @Test
    void parseObjectRejectsOtherDocuments() {
        assertEquals("expected a JSON object, got array",
                assertThrows(Json.JsonException.class, () -> Json.parseObject("[]")).getMessage());
    }

    private static void assertError(String json, String message) {
        assertEquals(message, assertThrows(Json.JsonException.class, () -> Json.parse(json)).getMessage(), json);
    }
}
