package dev.rnn4j.data.dna;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * DNA sequences from FASTA files, labelled by file (one file per class), by a regular expression on each header, or
 * not at all (for predict).
 *
 * <p>Format: a record is a {@code >} header line followed by any number of sequence lines; its id is the header's
 * first word. Blank lines are ignored anywhere; whitespace around a sequence line is ignored; LF, CRLF and CR line
 * ends are read alike; bases are as {@link DnaEncoding} accepts, either case. A file whose name ends in {@code .gz}
 * or that starts with the gzip magic bytes is decompressed. Text is strict UTF-8.
 *
 * <p>Records come in a fixed order: files in the order given, records in file order. Labels are as written (the
 * class name, or the regex's first group). When the encoding has {@link DnaEncoding#reverseComplement()}, each
 * record's views are [sequence, reverse complement] and the augmenter returns the reverse complement.
 *
 * <p>Errors are {@link DataFileException}s naming the file and, where they apply, the line and the record: a missing
 * file, a file without records (naming the class), sequence data before the first header, a header without an id,
 * a record without a sequence, a character that is not a base (with its column), a header the label regex does
 * not match (showing the regex), a sequence shorter than the k-mer length.
 *
 * @param files    what to read, in order
 * @param encoding the encoding when {@link #read} is given none
 */
public record FastaSource(List<FastaFile> files, DnaEncoding encoding) implements SequenceSource {
    public FastaSource {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("a FASTA source needs at least one file");
        Objects.requireNonNull(encoding, "encoding");
    }

    /** How the records of one file get their label. */
    public sealed interface Labelling {
        /** Every record in the file has this class. */
        record Fixed(String label) implements Labelling {
            public Fixed {
                if (label == null || label.isBlank()) throw new IllegalArgumentException("a class name is empty");
            }
        }

        /** The label is the first group of the regex's first match ({@link Matcher#find()}) in the header line. */
        record FromHeader(Pattern regex) implements Labelling {
            public FromHeader {
                if (regex.matcher("").groupCount() < 1) {
                    throw new IllegalArgumentException("the label regex '" + regex.pattern()
                            + "' has no group; put the label in parentheses, e.g. 'class=(\\w+)'");
                }
            }
        }

        /** No labels: records to predict. */
        record Unlabelled() implements Labelling {
        }
    }

    /** One file and how its records are labelled. */
    public record FastaFile(Path path, Labelling labelling) {
        public FastaFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(labelling, "labelling");
        }
    }

    /** One file per class, in the map's order ({@code --fasta promoter=prom.fa --fasta other=neg.fa}). */
    public static FastaSource perClass(SequencedMap<String, Path> classFiles, DnaEncoding encoding) {
        List<FastaFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> entry : classFiles.entrySet()) {
            files.add(new FastaFile(entry.getValue(), new Labelling.Fixed(entry.getKey())));
        }
        return new FastaSource(files, encoding);
    }

    /** One file, each record labelled by the first group of {@code labelRegex} in its header. */
    public static FastaSource labelledByHeader(Path file, Pattern labelRegex, DnaEncoding encoding) {
        return new FastaSource(List.of(new FastaFile(file, new Labelling.FromHeader(labelRegex))), encoding);
    }

    /** Files of unlabelled records, for predict. */
    public static FastaSource unlabelled(List<Path> files, DnaEncoding encoding) {
        return new FastaSource(files.stream().map(f -> new FastaFile(f, new Labelling.Unlabelled())).toList(), encoding);
    }

    /** The files as the user named them: {@code promoter=prom.fa, other=neg.fa}. */
    public String describe() {
        return files.stream().map(f -> f.labelling() instanceof Labelling.Fixed(String label)
                ? label + "=" + f.path() : f.path().toString()).collect(Collectors.joining(", "));
    }

    /**
     * @param fitted a {@link DnaEncoding} to use instead of {@link #encoding()}, or null
     * @throws DataFileException for any problem in the files, or when {@code fitted} is not a DNA encoding
     */
    @Override
    public LabelledData read(SequenceEncoding fitted) {
        DnaEncoding used = DnaFiles.encoding(fitted, encoding, describe());
        List<LabelledSequence> records = new ArrayList<>();
        for (FastaFile file : files) {
            String source = file.path().toString();
            int before = records.size();
            try (BufferedReader reader = DnaFiles.open(file.path(), source)) {
                new FileReading(source, file.labelling(), used, records).readAll(reader);
            } catch (IOException e) {
                throw DnaFiles.readError(source, 0, e);
            }
            if (records.size() == before) {
                String forClass = file.labelling() instanceof Labelling.Fixed(String label)
                        ? " for class '" + label + "'" : "";
                throw DataFileException.ofFile(source,
                        "no FASTA record" + forClass + " (a record starts with a '>' header line)");
            }
        }
        return new LabelledData(records, used, DnaFiles.augmenter(used), describe());
    }

    /** The state of reading one file: the record being gathered, and where it started. */
    private static final class FileReading {
        private final String source;
        private final Labelling labelling;
        private final DnaEncoding encoding;
        private final List<LabelledSequence> out;
        private final StringBuilder bases = new StringBuilder();
        private int line;
        private int recordNumber;
        private int headerLine;
        private String id;
        private String label;

        FileReading(String source, Labelling labelling, DnaEncoding encoding, List<LabelledSequence> out) {
            this.source = source;
            this.labelling = labelling;
            this.encoding = encoding;
            this.out = out;
        }

        void readAll(BufferedReader reader) {
            String text;
            while ((text = nextLine(reader)) != null) {
                line++;
                int start = 0;
                int end = text.length();
                while (start < end && Character.isWhitespace(text.charAt(start))) start++;
                while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
                if (start == end) continue;
                if (text.charAt(start) == '>') {
                    finishRecord();
                    startRecord(text.substring(start + 1).strip());
                } else {
                    addBases(text, start, end);
                }
            }
            finishRecord();
        }

        private String nextLine(BufferedReader reader) {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw DnaFiles.readError(source, line + 1, e);
            }
        }

        private void startRecord(String header) {
            recordNumber++;
            headerLine = line;
            if (header.isEmpty()) throw error(line, "record " + recordNumber + " has an empty header; it needs an id after '>'");
            id = header.split("\\s+", 2)[0];
            label = switch (labelling) {
                case Labelling.Fixed(String fixed) -> fixed;
                case Labelling.Unlabelled() -> null;
                case Labelling.FromHeader(Pattern regex) -> headerLabel(regex, header);
            };
        }

        private String headerLabel(Pattern regex, String header) {
            Matcher matcher = regex.matcher(header);
            String found = matcher.find() ? matcher.group(1) : null;
            if (found == null || found.isEmpty()) {
                throw error(line, String.format(Locale.ROOT, "record %d ('%s'): the label regex '%s' %s the header '%s'",
                        recordNumber, id, regex.pattern(), found == null ? "does not match" : "finds an empty label in",
                        header));
            }
            return found;
        }

        private void addBases(String text, int start, int end) {
            if (id == null) {
                throw error(line, "sequence data before the first '>' header; a FASTA record starts with '>id'");
            }
            int bad = DnaEncoding.firstInvalid(text.subSequence(start, end));
            if (bad >= 0) {
                throw error(line, String.format(Locale.ROOT, "record %d ('%s'): %s at column %d",
                        recordNumber, id, DnaEncoding.notABase(text.charAt(start + bad)), start + bad + 1));
            }
            bases.append(text, start, end);
        }

        private void finishRecord() {
            if (id == null) return;
            if (bases.isEmpty()) {
                throw error(headerLine, String.format(Locale.ROOT, "record %d ('%s') has no sequence", recordNumber, id));
            }
            List<dev.rnn4j.train.Example> views;
            try {
                views = encoding.views(bases);
            } catch (IllegalArgumentException e) {
                throw error(headerLine, String.format(Locale.ROOT, "record %d ('%s'): %s", recordNumber, id, e.getMessage()));
            }
            String origin = String.format(Locale.ROOT, "%s: record %d (line %d)", source, recordNumber, headerLine);
            out.add(new LabelledSequence(id, views, label, origin));
            bases.setLength(0);
            id = null;
        }

        private DataFileException error(int at, String detail) {
            return new DataFileException(source, at, null, detail);
        }
    }
}
