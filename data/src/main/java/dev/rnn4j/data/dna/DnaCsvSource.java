package dev.rnn4j.data.dna;

import dev.rnn4j.data.CsvRecords;
import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * DNA sequences from a CSV file with a header line: a sequence column, an optional label column (absent for
 * predict) and an optional id column ({@code --csv splice.csv --sequence-column sequence --label-column label}).
 *
 * <p>Format: RFC 4180 CSV (quoted fields, CRLF or LF, with or without a final line end), strict UTF-8, gzip-compressed
 * when the name ends in {@code .gz} or the file starts with the gzip magic bytes. Header names and cells are trimmed
 * (the UCI splice file pads every field with spaces); blank lines are skipped. Every line must have as many fields
 * as the header. Records come in file order; the label is the cell as written, trimmed; the id is the id column's
 * cell, or the record's 1-based line number when there is no id column.
 *
 * <p>Errors are {@link DataFileException}s naming the file, the line and the column: a missing file or column, an
 * empty file, a line with the wrong number of fields, an empty sequence, label or id, a character that is not a
 * base (with its position in the sequence), a sequence shorter than the k-mer length, no rows at all.
 *
 * @param file           the CSV file, as the user named it
 * @param sequenceColumn the column of bases
 * @param labelColumn    the column of class names, or null for unlabelled records
 * @param idColumn       the column that names each record, or null to use line numbers
 * @param encoding       the encoding when {@link #read} is given none
 */
public record DnaCsvSource(Path file, String sequenceColumn, String labelColumn, String idColumn, DnaEncoding encoding)
        implements SequenceSource {
    /** RFC 4180 quoting; blank lines come through as one empty field so that line numbers stay right. */

    public DnaCsvSource {
        Objects.requireNonNull(file, "file");
        if (sequenceColumn == null || sequenceColumn.isBlank()) {
            throw new IllegalArgumentException("a sequence column is required");
        }
        sequenceColumn = sequenceColumn.trim();
        labelColumn = labelColumn == null ? null : labelColumn.trim();
        idColumn = idColumn == null ? null : idColumn.trim();
        Objects.requireNonNull(encoding, "encoding");
    }

    /** Labelled records, ids by line number. */
    public static DnaCsvSource labelled(Path file, String sequenceColumn, String labelColumn, DnaEncoding encoding) {
        return new DnaCsvSource(file, sequenceColumn, labelColumn, null, encoding);
    }

    public DnaCsvSource withIdColumn(String idColumn) {
        return new DnaCsvSource(file, sequenceColumn, labelColumn, idColumn, encoding);
    }

    /**
     * @param fitted a {@link DnaEncoding} to use instead of {@link #encoding()}, or null
     * @throws DataFileException for any problem in the file, or when {@code fitted} is not a DNA encoding
     */
    @Override
    public LabelledData read(SequenceEncoding fitted) {
        String source = file.toString();
        DnaEncoding used = DnaFiles.encoding(fitted, encoding, source);
        List<LabelledSequence> records = new ArrayList<>();
        try (CsvRecords rows = new CsvRecords(DnaFiles.open(file, source), source)) {
            CSVRecord header = rows.next();
            if (header == null) throw DataFileException.ofFile(source, "the file is empty; it needs a header line");
            List<String> names = header.stream().map(String::trim).toList();
            int headerLine = rows.line();
            int sequenceAt = position(source, names, headerLine, sequenceColumn, "sequence column");
            int labelAt = labelColumn == null ? -1 : position(source, names, headerLine, labelColumn, "label column");
            int idAt = idColumn == null ? -1 : position(source, names, headerLine, idColumn, "id column");
            for (CSVRecord row = rows.next(); row != null; row = rows.next()) {
                int line = rows.line();
                if (row.size() != names.size()) {
                    throw new DataFileException(source, line, null, String.format(Locale.ROOT,
                            "the line has %d field%s, the header has %d", row.size(), row.size() == 1 ? "" : "s",
                            names.size()));
                }
                String bases = cell(source, row, line, sequenceAt, sequenceColumn, "sequence");
                checkBases(source, line, bases);
                String label = labelAt < 0 ? null : cell(source, row, line, labelAt, labelColumn, "label");
                String id = idAt < 0 ? Integer.toString(line) : cell(source, row, line, idAt, idColumn, "id");
                List<dev.rnn4j.train.Example> views;
                try {
                    views = used.views(bases);
                } catch (IllegalArgumentException e) {
                    throw new DataFileException(source, line, sequenceColumn, e.getMessage());
                }
                records.add(new LabelledSequence(id, views, label, source + ": line " + line));
            }
        }
        if (records.isEmpty()) throw DataFileException.ofFile(source, "has a header but no rows");
        return new LabelledData(records, used, DnaFiles.augmenter(used), source);
    }

    private void checkBases(String source, int line, String bases) {
        int bad = DnaEncoding.firstInvalid(bases);
        if (bad >= 0) {
            throw new DataFileException(source, line, sequenceColumn, String.format(Locale.ROOT,
                    "%s at position %d of the sequence", DnaEncoding.notABase(bases.charAt(bad)), bad + 1));
        }
    }

    private static String cell(String source, CSVRecord row, int line, int at, String column, String what) {
        String value = row.get(at).trim();
        if (value.isEmpty()) throw new DataFileException(source, line, column, "the " + what + " is empty");
        return value;
    }

    private static int position(String source, List<String> names, int headerLine, String column, String role) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer earlier = positions.putIfAbsent(names.get(i), i);
            if (earlier != null && names.get(i).equals(column)) {
                throw new DataFileException(source, headerLine, column, String.format(Locale.ROOT,
                        "the header names this column twice (columns %d and %d)", earlier + 1, i + 1));
            }
        }
        Integer position = positions.get(column);
        if (position == null) {
            throw new DataFileException(source, headerLine, null, String.format(Locale.ROOT,
                    "no column '%s' (the %s) in the header; the columns are: %s", column, role, String.join(", ", names)));
        }
        return position;
    }

    /** The non-blank records one at a time, each with the 1-based line it starts on; CSV errors as DataFileException. */
}
