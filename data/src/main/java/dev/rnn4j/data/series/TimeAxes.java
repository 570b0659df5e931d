package dev.rnn4j.data.series;

import dev.rnn4j.data.DataFileException;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns the written times of a column into a checked {@link TimeSeries.TimeAxis}. */
final class TimeAxes {
    /** Header names (lower case) that mark a time column. */
    static final Set<String> TIME_NAMES = Set.of(
            "time", "date", "datetime", "timestamp", "month", "ds", "period", "year", "day", "week", "hour");

    private TimeAxes() {
    }

    /** Whether {@code value} parses in {@code format}. */
    static boolean parses(TimeFormat format, String value) {
        try {
            format.parse(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Parses every label with {@code explicit}, or else with the first built-in format that parses them all, and
     * checks the times strictly increase.
     *
     * @param lines the file line of each label, for messages
     */
    static TimeSeries.TimeAxis parse(String source, String column, String[] labels, int[] lines, TimeFormat explicit) {
        List<TimeFormat> tried = explicit != null ? List.of(explicit) : TimeFormat.BUILT_IN;
        List<TimeFormat> fitFirst = new ArrayList<>();
        for (TimeFormat format : tried) if (parses(format, labels[0])) fitFirst.add(format);
        if (fitFirst.isEmpty()) throw notATime(source, column, labels[0], lines[0], explicit, tried);
        int firstFailure = -1;
        for (TimeFormat format : fitFirst) {
            LocalDateTime[] times = new LocalDateTime[labels.length];
            int failure = parseAll(format, labels, times);
            if (failure < 0) {
                checkIncreasing(source, column, labels, lines, times);
                return new TimeSeries.TimeAxis(column, times, labels, format.styledLike(labels[0]),
                        Frequency.infer(times));
            }
            if (firstFailure < 0) firstFailure = failure;
        }
        throw notATime(source, column, labels[firstFailure], lines[firstFailure], explicit, tried);
    }

    /** Fills {@code times}; returns the index of the first label that does not parse, or -1. */
    private static int parseAll(TimeFormat format, String[] labels, LocalDateTime[] times) {
        for (int i = 0; i < labels.length; i++) {
            try {
                times[i] = format.parse(labels[i]);
            } catch (RuntimeException e) {
                return i;
            }
        }
        return -1;
    }

    private static DataFileException notATime(String source, String column, String value, int line,
                                              TimeFormat explicit, List<TimeFormat> tried) {
        String detail = explicit != null
                ? String.format(Locale.ROOT, "%s is not a time in the format '%s' given by --time-format",
                        Cells.quoted(value), explicit.pattern())
                : String.format(Locale.ROOT, "%s is not a time in any of the formats tried (%s) for all rows;"
                                + " pass --time-format with the pattern of this column",
                        Cells.quoted(value),
                        tried.stream().map(TimeFormat::pattern).collect(Collectors.joining(", ")));
        return new DataFileException(source, line, column, detail);
    }

    private static void checkIncreasing(String source, String column, String[] labels, int[] lines,
                                        LocalDateTime[] times) {
        for (int i = 1; i < times.length; i++) {
            if (times[i].isAfter(times[i - 1])) continue;
            String relation = times[i].isEqual(times[i - 1]) ? "repeats the time on line %d ('%s')"
                    : "is before the time on line %d ('%s')";
            throw new DataFileException(source, lines[i], column, String.format(Locale.ROOT,
                    "time '%s' " + relation + "; times must be strictly increasing (sort the file, remove duplicates)",
                    labels[i], lines[i - 1], labels[i - 1]));
        }
    }
}
