package dev.rnn4j.data.series;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One or more numeric columns observed at the same increasing times, as read from a file: the target (column 0)
 * and the features, in the order they were asked for.
 *
 * <p>Every row has a value in every column (missing values were refused, interpolated or dropped when the file
 * was read), and, when there is a time column, a time strictly after the previous row's. Without a time column,
 * {@link #times()}, {@link #timeColumn()} and {@link #timeFormat()} are null, {@link #frequency()} is
 * {@link Frequency#NONE} and the labels are the row numbers 1, 2, ...
 *
 * <p>Immutable: the array accessors return copies.
 */
public final class TimeSeries {
    /** The time side of a series, kept together because each part only makes sense with the others. */
    record TimeAxis(String column, LocalDateTime[] times, String[] labels, TimeFormat format, Frequency frequency) {
        static TimeAxis rowNumbers(int length) {
            String[] labels = new String[length];
            for (int i = 0; i < length; i++) labels[i] = Integer.toString(i + 1);
            return new TimeAxis(null, null, labels, null, Frequency.NONE);
        }
    }

    private final String source;
    private final TimeAxis axis;
    private final List<String> columns;
    private final double[][] values;
    private final int[] lines;
    private final int droppedRows;

    TimeSeries(String source, TimeAxis axis, List<String> columns, double[][] values, int[] lines, int droppedRows) {
        int length = axis.labels().length;
        if (columns.isEmpty() || columns.size() != values.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d column names for %d value columns", columns.size(), values.length));
        }
        for (double[] column : values) {
            if (column.length != length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "a column of %d values in a series of %d rows", column.length, length));
            }
        }
        if (lines.length != length || (axis.times() != null && axis.times().length != length)) {
            throw new IllegalArgumentException("times, labels and lines must have one entry per row");
        }
        this.source = source;
        this.axis = axis;
        this.columns = List.copyOf(columns);
        this.values = values;
        this.lines = lines;
        this.droppedRows = droppedRows;
    }

    /**
     * A series held in memory, without a time column (for tests and generated data): labels and lines are the
     * row numbers 1, 2, ...
     *
     * @param values one array per column, all of the same length; copied
     */
    public static TimeSeries of(String source, List<String> columns, double[]... values) {
        double[][] copies = new double[values.length][];
        for (int c = 0; c < values.length; c++) copies[c] = values[c].clone();
        int length = values.length == 0 ? 0 : values[0].length;
        int[] lines = new int[length];
        Arrays.setAll(lines, i -> i + 1);
        return new TimeSeries(source, TimeAxis.rowNumbers(length), columns, copies, lines, 0);
    }

    /** The file the series was read from, as the user named it. */
    public String source() {
        return source;
    }

    /** The name of the time column, or null when there is none. */
    public String timeColumn() {
        return axis.column();
    }

    /** The time of each row, or null when there is no time column. */
    public LocalDateTime[] times() {
        return axis.times() == null ? null : axis.times().clone();
    }

    /** The time of each row as written in the file, or the row numbers "1", "2", ... without a time column. */
    public String[] timeLabels() {
        return axis.labels().clone();
    }

    /** The format the times were read with, able to write later times alike; null without a time column. */
    public TimeFormat timeFormat() {
        return axis.format();
    }

    public Frequency frequency() {
        return axis.frequency();
    }

    /** Column names: the target first, then the features in the order asked for. */
    public List<String> columns() {
        return columns;
    }

    /** The values of column {@code column} (0 is the target), one per row. */
    public double[] values(int column) {
        return values[column].clone();
    }

    /** The values of the target column. */
    public double[] target() {
        return values(0);
    }

    /** The number of rows. */
    public int length() {
        return lines.length;
    }

    /** The 1-based line of the file each row was read from, so later checks can point at it. */
    public int[] lines() {
        return lines.clone();
    }

    /** How many rows of the file were dropped for a missing or non-finite value. */
    public int droppedRows() {
        return droppedRows;
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive). The slice keeps the source, columns, time format,
     * the frequency of the whole series, and the count of dropped rows of the read.
     */
    public TimeSeries slice(int from, int to) {
        if (from < 0 || to > length() || from > to) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "slice [%d, %d) of a series of %d rows", from, to, length()));
        }
        double[][] sliced = new double[values.length][];
        for (int c = 0; c < values.length; c++) sliced[c] = Arrays.copyOfRange(values[c], from, to);
        LocalDateTime[] times = axis.times() == null ? null : Arrays.copyOfRange(axis.times(), from, to);
        TimeAxis slicedAxis = new TimeAxis(axis.column(), times, Arrays.copyOfRange(axis.labels(), from, to),
                axis.format(), axis.frequency());
        return new TimeSeries(source, slicedAxis, columns, sliced, Arrays.copyOfRange(lines, from, to), droppedRows);
    }

    /**
     * A SHA-256 fingerprint (lower-case hex) of the parsed content: the time column name, the column names, the
     * time labels and the exact values. Not of the bytes of the file: the same data with other line ends, quoting
     * or file name has the same fingerprint.
     */
    public String sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        updateText(digest, "rnn4j time series v1");
        updateText(digest, axis.column() == null ? "" : axis.column());
        digest.update(ByteBuffer.allocate(8).putInt(columns.size()).putInt(length()).array());
        for (String column : columns) updateText(digest, column);
        ByteBuffer row = ByteBuffer.allocate(8 * values.length);
        for (int i = 0; i < length(); i++) {
            updateText(digest, axis.labels()[i]);
            row.clear();
            for (double[] column : values) row.putLong(Double.doubleToLongBits(column[i]));
            digest.update(row.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Length-prefixed, so that no two different sequences of strings hash alike. */
    private static void updateText(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TimeSeries[%s, %d rows, columns %s, time %s, %s]",
                source, length(), columns, axis.column(), axis.frequency());
    }
}
