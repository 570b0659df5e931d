package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Labelled texts in a CSV or TSV file with a header row ({@code --text-csv F --text-column C --label-column L}):
 * one record per row. The delimiter is a tab for {@code .tsv} and {@code .tab} files and a comma otherwise, unless
 * given. Quoted fields may span lines. A row without the text or the label cell is an error naming its line.
 *
 * @param file        the table
 * @param textColumn  the column of the texts
 * @param labelColumn the column of the labels, or null for unlabelled texts (predict)
 * @param delimiter   the field separator, or null for the file's extension's
 * @param charset     how the file is encoded
 * @param settings    how to fit the encoding when none is given
 */
public record TextCsvSource(Path file, String textColumn, String labelColumn, Character delimiter, Charset charset,
                            TextEncoding.Settings settings) implements SequenceSource {
    public TextCsvSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(textColumn, "textColumn");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(settings, "settings");
    }

    /** The delimiter used: the given one, or a tab for .tsv and .tab files, else a comma. */
    public char effectiveDelimiter() {
        if (delimiter != null) return delimiter;
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tab") ? '\t' : ',';
    }

    @Override
    public LabelledData read(SequenceEncoding fitted) {
        TextFile text = TextFile.read(file, charset);
        String source = text.source();
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(effectiveDelimiter()).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).get();
        List<TextRecords.Raw> raw = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text.text())).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            checkColumn(source, header, textColumn);
            if (labelColumn != null) checkColumn(source, header, labelColumn);
            long line = parser.getCurrentLineNumber() + 1;
            for (CSVRecord record : parser) {
                int at = (int) line;
                line = parser.getCurrentLineNumber() + 1;
                String body = cell(source, record, textColumn, at);
                String label = labelColumn == null ? null : cell(source, record, labelColumn, at);
                if (label != null && label.isBlank()) throw new DataFileException(source, at, labelColumn, "the label is empty");
                raw.add(new TextRecords.Raw("row " + record.getRecordNumber(), body, label == null ? null : label.strip(),
                        source + ": line " + at));
            }
        } catch (IOException e) {
            throw DataFileException.ofFile(source, "cannot be read: " + e.getMessage());
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            if (e instanceof DataFileException d) throw d;
            throw DataFileException.ofFile(source, "not a valid CSV table: " + e.getMessage());
        }
        return TextRecords.encode(raw, fitted, settings, source);
    }

    private static void checkColumn(String source, List<String> header, String column) {
        if (!header.contains(column)) throw new DataFileException(source, 1, column, "no such column; the header has " + header);
    }

    private static String cell(String source, CSVRecord record, String column, int line) {
        if (!record.isSet(column)) throw new DataFileException(source, line, column, "the row has only " + record.size() + " fields");
        return record.get(column);
    }
}
