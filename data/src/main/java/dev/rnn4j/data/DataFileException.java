package dev.rnn4j.data;

import dev.rnn4j.io.FileErrors;

import java.util.Locale;

/**
 * A data file could not be read as asked: it is missing, unreadable, malformed, or does not hold what the caller
 * asked for. Shared by every reader of user data (CSV, and later FASTA, WAV, text).
 *
 * <p>{@link #getMessage()} is a single line meant for the user, naming the file and, where they apply, the 1-based
 * line and the column, for example {@code data/sales.csv: line 14, column 'Passengers': 'abc' is not a number}.
 * The command line prints it and exits with status 2.
 */
public final class DataFileException extends RuntimeException {
    private final String source;
    private final int line;
    private final String column;
    private final String detail;

    /**
     * @param source the file, as the user named it (never null)
     * @param line   the 1-based line the problem is on, or 0 when it is not about one line
     * @param column the column name, or null when it is not about one column
     * @param detail what is wrong, and where possible what to do about it
     */
    public DataFileException(String source, int line, String column, String detail) {
        this(source, line, column, detail, null);
    }

    public DataFileException(String source, int line, String column, String detail, Throwable cause) {
        super(compose(source, line, column, detail), cause);
        if (line < 0) throw new IllegalArgumentException("line must be 0 (none) or 1-based, got " + line);
        this.source = source;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** A problem with the file as a whole: no line, no column. */
    public static DataFileException ofFile(String source, String detail) {
        return new DataFileException(source, 0, null, detail);
    }

    private static String compose(String source, int line, String column, String detail) {
        StringBuilder message = new StringBuilder(String.valueOf(source));
        String separator = ": ";
        if (line > 0) {
            message.append(separator).append(String.format(Locale.ROOT, "line %d", line));
            separator = ", ";
        }
        if (column != null) message.append(separator).append("column '").append(column).append('\'');
        return FileErrors.oneLine(message.append(": ").append(detail).toString()); // a cell may hold a newline
    }

    /** The file, as the user named it. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not about one line. */
    public int line() {
        return line;
    }

    /** The column name, or null when the problem is not about one column. */
    public String column() {
        return column;
    }

    /** The message without the file, line and column prefix. */
    public String detail() {
        return detail;
    }
}
