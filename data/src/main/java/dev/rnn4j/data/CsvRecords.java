package dev.rnn4j.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The records of a CSV file one at a time, each with the 1-based line it starts on, skipping blank lines
 * (anywhere, so trailing blank lines are harmless). Turns every I/O and CSV syntax problem into a
 * {@link DataFileException}.
 */
public final class CsvRecords implements Closeable {
    /** RFC 4180 quoting; reads CRLF, LF and a missing final line end alike. Blank lines are skipped here. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
    private static final Pattern COMMONS_LINE = Pattern.compile("(?:startline|line:?) (\\d+)");

    private final String source;
    private final CSVParser parser;
    private final Iterator<CSVRecord> iterator;
    private long linesBeforeRecord;
    private int line;

    /** Opens {@code file}, decoding it strictly in {@code charset}. */
    public CsvRecords(Path file, String source, Charset charset) {
        this(open(file, source, charset), source);
    }

    /**
     * Reads CSV from an opened reader (a decompressed stream, say), which this object closes.
     *
     * @param source the file as the user named it, for messages
     */
    public CsvRecords(Reader reader, String source) {
        this.source = source;
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        } catch (IOException | RuntimeException e) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new DataFileException(source, 0, null, "cannot be read: " + e.getMessage(), e);
        }
        this.iterator = parser.iterator();
    }

    private static Reader open(Path file, String source, Charset charset) {
        if (Files.isDirectory(file)) throw DataFileException.ofFile(source, "is a directory, not a CSV file");
        try {
            return new StrictCharsetReader(Files.newInputStream(file), source, charset);
        } catch (NoSuchFileException e) {
            throw new DataFileException(source, 0, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataFileException(source, 0, null, "cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new DataFileException(source, 0, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** The next record with at least one non-blank field, or null at the end of the file. */
    public CSVRecord next() {
        while (true) {
            CSVRecord record;
            try {
                if (!iterator.hasNext()) return null;
                record = iterator.next();
            } catch (UncheckedIOException e) {
                throw translate(e.getCause());
            }
            // a record starts on the line after the one the previous record ended on
            line = Math.toIntExact(linesBeforeRecord + 1);
            linesBeforeRecord = parser.getCurrentLineNumber();
            if (record.size() > 1 || !record.get(0).isBlank()) return record;
        }
    }

    /** The 1-based line the last record from {@link #next()} starts on. */
    public int line() {
        return line;
    }

    private DataFileException translate(IOException cause) {
        String message = String.valueOf(cause.getMessage());
        Matcher lineNumber = COMMONS_LINE.matcher(message);
        int at = lineNumber.find() ? Integer.parseInt(lineNumber.group(1)) : 0;
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new DataFileException(source, at, null,
                    "a quoted field starting on this line has no closing quote", cause);
        }
        if (cause instanceof org.apache.commons.csv.CSVException) {
            return new DataFileException(source, at, null, "not valid CSV: " + message, cause);
        }
        return new DataFileException(source, at, null, "cannot be read: " + message, cause);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new DataFileException(source, 0, null, "cannot be closed: " + e.getMessage(), e);
        }
    }
}
