package dev.rnn4j.data.series;

import dev.rnn4j.data.CsvRecords;
import dev.rnn4j.data.DataFileException;
import org.apache.commons.csv.CSVRecord;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a CSV file with a header line into a {@link TimeSeries}: the target column, optional feature columns,
 * and an optional time column.
 *
 * <p>The file is decoded strictly (UTF-8 unless {@link Options#encoding()} says otherwise; a leading byte order
 * mark is skipped), parsed as RFC 4180 CSV (quoted fields, CRLF or LF, with or without a final line end) and
 * streamed one record at a time; blank lines are skipped. Header names and cells are trimmed.
 *
 * <p>Cells: numbers are plain decimals ({@code 12}, {@code -3.5}, {@code 1e6}). Empty, {@code NA}, {@code N/A},
 * {@code NaN} and {@code null} (any case) are missing; {@code inf}, {@code Infinity}, {@code -inf} and overflowing
 * numbers are not finite and count as missing for {@link MissingValues}; anything else is an error.
 *
 * <p>The time column is the one named in the options; otherwise the first other column whose header is one of
 * time, date, datetime, timestamp, month, ds, period, year, day, week, hour (any case); otherwise the first other
 * column whose every value is a date in one of the {@link TimeFormat} built-in formats that is not a bare integer
 * (a column of plain integers is taken for data, not years or Unix times); otherwise there is none. Times must
 * all parse and strictly increase.
 *
 * <p>Every problem is a {@link DataFileException} naming the file and, where it applies, the line and column.
 */
public final class TimeSeriesCsv {
    /** What to do with a missing or non-finite value in the target or a feature. */
    public enum MissingValues {
        /** Refuse the file, naming the line and column. */
        ERROR,
        /** Fill linearly by row between the nearest values before and after; refuse a gap at either end. */
        INTERPOLATE,
        /** Leave the row out, and count it in {@link TimeSeries#droppedRows()}. */
        DROP
    }

    /**
     * What to read.
     *
     * @param target     the column to forecast (required)
     * @param features   further input columns, in order (may be empty)
     * @param timeColumn the time column, or null to detect it
     * @param timeFormat a {@link java.time.format.DateTimeFormatter} pattern for the time column, or null to detect it
     * @param missing    what to do with missing values (null means {@link MissingValues#ERROR})
     * @param encoding   the file's character encoding (null means UTF-8)
     */
    public record Options(String target, List<String> features, String timeColumn, String timeFormat,
                          MissingValues missing, Charset encoding) {
        public Options {
            if (target == null || target.isBlank()) throw new IllegalArgumentException("a target column is required");
            target = target.trim();
            features = features == null ? List.of() : features.stream().map(String::trim).toList();
            timeColumn = timeColumn == null ? null : timeColumn.trim();
            missing = Objects.requireNonNullElse(missing, MissingValues.ERROR);
            encoding = Objects.requireNonNullElse(encoding, StandardCharsets.UTF_8);
        }

        /** Reads {@code target} alone, detecting the time column and its format, refusing missing values. */
        public static Options target(String target) {
            return new Options(target, List.of(), null, null, MissingValues.ERROR, StandardCharsets.UTF_8);
        }

        public Options withFeatures(List<String> features) {
            return new Options(target, features, timeColumn, timeFormat, missing, encoding);
        }

        public Options withTimeColumn(String timeColumn) {
            return new Options(target, features, timeColumn, timeFormat, missing, encoding);
        }

        public Options withTimeFormat(String timeFormat) {
            return new Options(target, features, timeColumn, timeFormat, missing, encoding);
        }

        public Options withMissing(MissingValues missing) {
            return new Options(target, features, timeColumn, timeFormat, missing, encoding);
        }

        public Options withEncoding(Charset encoding) {
            return new Options(target, features, timeColumn, timeFormat, missing, encoding);
        }
    }

    /** Which header positions hold the asked-for columns (target first) and the time (-1: none). */
    private record Layout(List<String> header, int[] selected, int time) {
        List<String> selectedNames() {
            return Arrays.stream(selected).mapToObj(header::get).toList();
        }
    }

    private static final int UNDECIDED = -2;

    private TimeSeriesCsv() {
    }

    /**
     * Reads {@code file} as {@code options} ask.
     *
     * @throws DataFileException for anything that stops the file from being read as a time series
     */
    public static TimeSeries read(Path file, Options options) {
        String source = file.toString();
        TimeFormat explicitFormat = explicitFormat(source, options.timeFormat());
        try (CsvRecords records = new CsvRecords(file, source, options.encoding())) {
            Layout layout = layout(source, readHeader(records, source), records.line(), options);
            if (layout.time() == UNDECIDED) {
                int time = detectTimeByValues(file, source, options, layout, explicitFormat);
                layout = new Layout(layout.header(), layout.selected(), time);
            }
            Rows rows = readRows(records, source, layout, options.missing());
            String[] labels = rows.labels();
            int[] lines = rows.lines();
            if (options.missing() == MissingValues.INTERPOLATE) {
                interpolate(source, layout.selectedNames(), rows.values(), lines);
            }
            TimeSeries.TimeAxis axis = layout.time() < 0 ? TimeSeries.TimeAxis.rowNumbers(labels.length)
                    : TimeAxes.parse(source, layout.header().get(layout.time()), labels, lines, explicitFormat);
            return new TimeSeries(source, axis, layout.selectedNames(), rows.values(), lines, rows.dropped());
        }
    }

    private static TimeFormat explicitFormat(String source, String pattern) {
        if (pattern == null) return null;
        try {
            return TimeFormat.ofPattern(pattern);
        } catch (IllegalArgumentException e) {
            throw DataFileException.ofFile(source, String.format(Locale.ROOT,
                    "'%s' is not a valid --time-format pattern: %s", pattern, e.getMessage()));
        }
    }

    private static List<String> readHeader(CsvRecords records, String source) {
        CSVRecord header = records.next();
        if (header == null) throw DataFileException.ofFile(source, "the file is empty");
        return header.stream().map(String::trim).toList();
    }

    private static Layout layout(String source, List<String> header, int headerLine, Options options) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            Integer earlier = positions.putIfAbsent(header.get(i), i);
            if (earlier != null && !header.get(i).isEmpty()) {
                throw new DataFileException(source, headerLine, header.get(i), String.format(Locale.ROOT,
                        "the header names this column twice (columns %d and %d)", earlier + 1, i + 1));
            }
        }
        List<String> asked = new ArrayList<>();
        asked.add(options.target());
        asked.addAll(options.features());
        int[] selected = new int[asked.size()];
        for (int a = 0; a < asked.size(); a++) {
            String name = asked.get(a);
            if (asked.indexOf(name) != a) {
                throw new DataFileException(source, 0, name, "is asked for twice (as target or feature)");
            }
            selected[a] = position(source, header, positions, name, a == 0 ? "target" : "feature");
        }
        int time = UNDECIDED;
        if (options.timeColumn() != null) {
            time = position(source, header, positions, options.timeColumn(), "time column");
            if (asked.contains(options.timeColumn())) {
                throw new DataFileException(source, 0, options.timeColumn(), String.format(Locale.ROOT,
                        "is the time column and cannot also be %s",
                        options.timeColumn().equals(options.target()) ? "the target" : "a feature"));
            }
        } else {
            for (int i = 0; i < header.size() && time == UNDECIDED; i++) {
                boolean timeName = TimeAxes.TIME_NAMES.contains(header.get(i).toLowerCase(Locale.ROOT));
                if (timeName && !asked.contains(header.get(i))) time = i;
            }
        }
        return new Layout(header, selected, time);
    }

    private static int position(String source, List<String> header, Map<String, Integer> positions, String name,
                                String role) {
        Integer position = positions.get(name);
        if (position == null) {
            throw new DataFileException(source, 0, null, String.format(Locale.ROOT,
                    "no column '%s' (the %s) in the header; the columns are: %s",
                    name, role, String.join(", ", header)));
        }
        return position;
    }

    /**
     * An extra pass over the file for the first column (not asked for) whose every value parses as a time in a
     * format that is not a bare integer. Only runs when no header names a time column.
     *
     * @return its position, or -1
     */
    private static int detectTimeByValues(Path file, String source, Options options, Layout layout,
                                          TimeFormat explicit) {
        List<TimeFormat> formats = explicit != null ? List.of(explicit)
                : TimeFormat.BUILT_IN.stream().filter(format -> !format.bareInteger()).toList();
        int width = layout.header().size();
        // viable[c]: bit f set while every value so far of column c parses with formats.get(f)
        long[] viable = new long[width];
        long all = (1L << formats.size()) - 1;
        Arrays.fill(viable, all);
        for (int asked : layout.selected()) viable[asked] = 0;
        boolean anyRow = false;
        try (CsvRecords records = new CsvRecords(file, source, options.encoding())) {
            records.next();
            for (CSVRecord record = records.next(); record != null; record = records.next()) {
                if (record.size() != width) continue; // the main pass reports it
                anyRow = true;
                for (int c = 0; c < width; c++) {
                    if (viable[c] == 0) continue;
                    String value = record.get(c).trim();
                    for (int f = 0; f < formats.size(); f++) {
                        if ((viable[c] & (1L << f)) != 0 && !TimeAxes.parses(formats.get(f), value)) {
                            viable[c] &= ~(1L << f);
                        }
                    }
                }
            }
        }
        if (!anyRow) return -1;
        for (int c = 0; c < width; c++) if (viable[c] != 0) return c;
        return -1;
    }

    /** The kept rows, column-major, grown by doubling. */
    private static final class Rows {
        private double[][] values;
        private int[] lines = new int[64];
        private String[] labels;
        private int size;
        private int dataRows;
        private int dropped;

        Rows(int columns, boolean timed) {
            values = new double[columns][64];
            labels = timed ? new String[64] : null;
        }

        void add(double[] row, String label, int line) {
            if (size == lines.length) {
                int capacity = Math.multiplyExact(size, 2);
                for (int c = 0; c < values.length; c++) values[c] = Arrays.copyOf(values[c], capacity);
                lines = Arrays.copyOf(lines, capacity);
                if (labels != null) labels = Arrays.copyOf(labels, capacity);
            }
            for (int c = 0; c < values.length; c++) values[c][size] = row[c];
            lines[size] = line;
            if (labels != null) labels[size] = label;
            size++;
        }

        double[][] values() {
            for (int c = 0; c < values.length; c++) values[c] = Arrays.copyOf(values[c], size);
            return values;
        }

        int[] lines() {
            return Arrays.copyOf(lines, size);
        }

        String[] labels() {
            return labels == null ? new String[size] : Arrays.copyOf(labels, size);
        }

        int dropped() {
            return dropped;
        }
    }

    private static Rows readRows(CsvRecords records, String source, Layout layout, MissingValues missing) {
        List<String> names = layout.selectedNames();
        int width = layout.header().size();
        Rows rows = new Rows(names.size(), layout.time() >= 0);
        double[] row = new double[names.size()];
        for (CSVRecord record = records.next(); record != null; record = records.next()) {
            int line = records.line();
            rows.dataRows++;
            if (record.size() != width) {
                throw new DataFileException(source, line, null, String.format(Locale.ROOT,
                        "the line has %d field%s, the header has %d", record.size(), record.size() == 1 ? "" : "s",
                        width));
            }
            boolean complete = true;
            for (int c = 0; c < row.length; c++) {
                String cell = record.get(layout.selected()[c]).trim();
                Cells.Kind kind = Cells.classify(cell);
                switch (kind) {
                    case NUMBER -> row[c] = Double.parseDouble(cell);
                    case NOT_A_NUMBER -> throw notANumber(source, line, names.get(c), cell, c == 0);
                    case MISSING, NOT_FINITE -> {
                        if (missing == MissingValues.ERROR) throw missingValue(source, line, names.get(c), cell, kind);
                        row[c] = Double.NaN;
                        complete = false;
                    }
                }
            }
            if (!complete && missing == MissingValues.DROP) {
                rows.dropped++;
                continue;
            }
            String label = null;
            if (layout.time() >= 0) {
                label = record.get(layout.time()).trim();
                if (label.isEmpty()) {
                    String column = layout.header().get(layout.time());
                    throw new DataFileException(source, line, column, "the time is missing");
                }
            }
            rows.add(row, label, line);
        }
        if (rows.size >= 2) return rows;
        String detail;
        if (rows.dataRows == 0) detail = "the file has a header but no rows";
        else if (rows.size == 0) detail = String.format(Locale.ROOT,
                "no rows left: --missing drop removed all %d rows", rows.dropped);
        else detail = "only 1 row" + (rows.dropped > 0
                ? String.format(Locale.ROOT, " left after --missing drop removed %d", rows.dropped) : "")
                + "; a time series needs at least 2";
        throw DataFileException.ofFile(source, detail);
    }

    private static DataFileException notANumber(String source, int line, String column, String cell,
                                                boolean target) {
        boolean time = TimeFormat.BUILT_IN.stream().anyMatch(format -> TimeAxes.parses(format, cell));
        String hint = !time ? "" : String.format(Locale.ROOT,
                "; it is a time, so this is the time column, which cannot also be %s",
                target ? "the target" : "a feature");
        return new DataFileException(source, line, column, Cells.quoted(cell) + " is not a number" + hint);
    }

    private static DataFileException missingValue(String source, int line, String column, String cell,
                                                  Cells.Kind kind) {
        String what = kind == Cells.Kind.NOT_FINITE ? Cells.quoted(cell) + " is not finite"
                : "the value is missing (" + (cell.isEmpty() ? "empty" : "'" + cell + "'") + ")";
        return new DataFileException(source, line, column,
                what + "; pass --drop-invalid (--missing drop) to leave such rows out, or --missing interpolate");
    }

    /** Fills NaN runs of each column linearly by row index between the nearest values on either side. */
    private static void interpolate(String source, List<String> names, double[][] values, int[] lines) {
        for (int c = 0; c < values.length; c++) {
            double[] column = values[c];
            int previous = -1;
            for (int i = 0; i < column.length; i++) {
                if (Double.isNaN(column[i])) continue;
                if (i - previous > 1) {
                    if (previous < 0) throw unfillable(source, lines[0], names.get(c), "earlier");
                    for (int k = previous + 1; k < i; k++) {
                        double weight = (double) (k - previous) / (i - previous);
                        column[k] = column[previous] + weight * (column[i] - column[previous]);
                    }
                }
                previous = i;
            }
            if (previous < 0) throw unfillable(source, lines[0], names.get(c), "earlier");
            if (previous < column.length - 1) throw unfillable(source, lines[previous + 1], names.get(c), "later");
        }
    }

    private static DataFileException unfillable(String source, int line, String column, String side) {
        return new DataFileException(source, line, column, String.format(Locale.ROOT,
                "the value is missing or not finite and there is no %s value to interpolate from;"
                        + " pass --missing drop", side));
    }
}
