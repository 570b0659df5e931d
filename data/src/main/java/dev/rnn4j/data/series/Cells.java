package dev.rnn4j.data.series;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What a trimmed numeric cell holds: a finite number, a missing marker, a non-finite value, or text. */
final class Cells {
    enum Kind { NUMBER, MISSING, NOT_FINITE, NOT_A_NUMBER }

    /** Plain decimal numbers only: Double.parseDouble would also take "0x1p3", "1d" and "Infinity". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> MISSING_MARKERS = Set.of("", "na", "n/a", "nan", "null");
    private static final Set<String> INFINITIES = Set.of("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

    private Cells() {
    }

    static Kind classify(String trimmed) {
        if (DECIMAL.matcher(trimmed).matches()) {
            return Double.isFinite(Double.parseDouble(trimmed)) ? Kind.NUMBER : Kind.NOT_FINITE;
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (MISSING_MARKERS.contains(lower)) return Kind.MISSING;
        if (INFINITIES.contains(lower)) return Kind.NOT_FINITE;
        return Kind.NOT_A_NUMBER;
    }

    /** The cell as quoted in messages. */
    static String quoted(String trimmed) {
        return trimmed.isEmpty() ? "the empty value" : "'" + trimmed + "'";
    }
}
