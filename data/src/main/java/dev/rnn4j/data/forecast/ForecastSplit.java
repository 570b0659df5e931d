package dev.rnn4j.data.forecast;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.series.TimeSeries;

import java.time.LocalDateTime;

/**
 * A chronological split of a series' rows: training [0, validationStart), validation [validationStart, testStart),
 * test [testStart, rows). A forecast belongs to the part its targets fall in; its window may reach back into earlier
 * parts, as it would in use.
 */
public record ForecastSplit(int validationStart, int testStart, int rows) {

    public ForecastSplit {
        if (!(0 < validationStart && validationStart < testStart && testStart < rows)) {
            throw new IllegalArgumentException("a split needs 0 < validation start < test start < rows, got " + validationStart + ", "
                    + testStart + ", " + rows);
        }
    }

    /** The split the settings ask for: the last {@code testFraction} of the rows (or from {@code testFrom}), and before it {@code validationFraction}. */
    public static ForecastSplit of(TimeSeries series, ForecastSettings settings) {
        int n = series.length();
        int testStart = settings.testFrom() == null
                ? n - (int) Math.round(n * settings.testFraction())
                : firstRowFrom(series, settings.testFrom());
        int validationStart = testStart - (int) Math.round(n * settings.validationFraction());
        if (validationStart < 1 || testStart >= n || validationStart >= testStart) {
            throw new DataFileException(series.source(), 0, null, "cannot split " + n + " rows into training, validation and test parts"
                    + (settings.testFrom() == null ? "" : " with the test part from " + settings.testFrom()) + "; it needs more rows");
        }
        return new ForecastSplit(validationStart, testStart, n);
    }

    private static int firstRowFrom(TimeSeries series, String text) {
        if (series.times() == null || series.timeFormat() == null) {
            throw new DataFileException(series.source(), 0, null, "--test-from needs a time column, and none was found; name it with --time-column");
        }
        LocalDateTime from;
        try {
            from = series.timeFormat().parse(text);
        } catch (RuntimeException e) {
            throw new DataFileException(series.source(), 0, series.timeColumn(), "--test-from '" + text + "' is not a time like the file's ("
                    + series.timeFormat().pattern() + ")");
        }
        LocalDateTime[] times = series.times();
        for (int i = 0; i < times.length; i++) {
            if (!times[i].isBefore(from)) return i;
        }
        throw new DataFileException(series.source(), 0, series.timeColumn(), "--test-from '" + text + "' is after the last time, "
                + series.timeLabels()[times.length - 1]);
    }

    public int trainingRows() {
        return validationStart;
    }

    public int validationRows() {
        return testStart - validationStart;
    }

    public int testRows() {
        return rows - testStart;
    }
}
