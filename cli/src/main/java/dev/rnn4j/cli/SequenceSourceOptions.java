package dev.rnn4j.cli;

import dev.rnn4j.data.audio.AudioDirectorySource;
import dev.rnn4j.data.audio.AudioFeatures;
import dev.rnn4j.data.audio.Augmentation;
import dev.rnn4j.data.audio.FeatureKind;
import dev.rnn4j.data.classify.SequenceSource;
import dev.rnn4j.data.dna.DnaCsvSource;
import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.data.dna.FastaSource;
import dev.rnn4j.data.text.TextCsvSource;
import dev.rnn4j.data.text.TextDirectorySource;
import dev.rnn4j.data.text.TextEncoding;
import dev.rnn4j.data.text.TextLinesSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where labelled sequences come from, for train classify, evaluate and predict ({@code @Mixin SequenceSourceOptions data;}):
 * exactly one kind of input, and the domain's settings. Turning them into a {@link SequenceSource} is all this does.
 */
final class SequenceSourceOptions {
    // ---- DNA
    @Option(names = "--fasta", paramLabel = "CLASS=FILE", description = "DNA: a FASTA file per class (repeat), or one FILE with --label-regex")
    List<String> fasta = new ArrayList<>();

    @Option(names = "--label-regex", paramLabel = "REGEX", description = "the label: the first group of REGEX in each FASTA header, or in each line of --text-lines")
    String labelRegex;

    @Option(names = "--sequence-column", defaultValue = "sequence", paramLabel = "COL", description = "DNA from --csv: the sequence column")
    String sequenceColumn;

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "COL", description = "the CSV's label column (DNA or text)")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "the CSV's id column (default: the line number)")
    String idColumn;

    @Option(names = "--kmer", defaultValue = "0", paramLabel = "K", description = "DNA: 0 = one-hot bases; K = overlapping k-mer tokens with an embedding")
    int kmer;

    @Option(names = "--revcomp", description = "DNA: train on both strands and average the prediction over both")
    boolean revcomp;

    // ---- audio
    @Option(names = "--audio-dir", paramLabel = "DIR",
            description = "speech: WAV files, one subfolder per class (Keras' audio_dataset_from_directory), or flat with --label-pattern")
    Path audioDir;

    @Option(names = "--label-pattern", paramLabel = "REGEX", description = "audio: the label is the first group of REGEX in each file name, e.g. '^(\\d)_'")
    String labelPattern;

    @Option(names = "--sample-rate", defaultValue = "" + AudioFeatures.DEFAULT_SAMPLE_RATE, paramLabel = "HZ",
            description = "audio is resampled to this rate before its features")
    int sampleRate;

    @Option(names = "--features", defaultValue = "mfcc", paramLabel = "F", completionCandidates = FeatureNames.class,
            description = "audio: ${COMPLETION-CANDIDATES} (13 MFCCs or 40 log-mel bands, 25 ms frames every 10 ms)")
    FeatureKind features;

    @Option(names = "--deltas", negatable = true, defaultValue = "true", fallbackValue = "true", description = "audio: add first and second differences")
    boolean deltas;

    @Option(names = "--cmvn", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "audio: normalise each coefficient per recording (mean 0, variance 1)")
    boolean cmvn;

    @Option(names = "--augment", description = "audio: two more training copies of each recording (time shift, noise at 20 dB, time and frequency masks)")
    boolean augment;

    // ---- text
    @Option(names = "--text-csv", paramLabel = "FILE", description = "sentences: a CSV (or .tsv) with --text-column and --label-column")
    Path textCsv;

    @Option(names = "--text-column", defaultValue = "text", paramLabel = "COL", description = "the text CSV's text column")
    String textColumn;

    @Option(names = "--text-dir", paramLabel = "DIR", description = "sentences: one subfolder per class of text files (Keras' text_dataset_from_directory)")
    Path textDir;

    @Option(names = "--text-lines", paramLabel = "FILE", description = "sentences: one per line, the label captured by --label-regex, the rest is the text")
    Path textLines;

    @Mixin
    TokenOptions tokens;

    // ---- the test part
    @Option(names = "--test", paramLabel = "SOURCE",
            description = "the test records, of the same kind as the training input (CLASS=FILE for --fasta, repeat; a file or folder otherwise); "
                    + "without it, a stratified part of the training input")
    List<String> test = new ArrayList<>();

    /**
     * The training (or evaluation) input.
     *
     * @param csv the command's --csv (DNA with --sequence-column), or null
     */
    SequenceSource source(Path csv) {
        return source(csv, null);
    }

    /** The --test input, of the same kind and with the same settings, or null. */
    SequenceSource testSource(Path csv) {
        return test.isEmpty() ? null : source(csv, test);
    }

    /**
     * @param inputs replaces the primary input's files (for --test), or null
     */
    private SequenceSource source(Path dnaCsv, List<String> inputs) {
        int kinds = (fasta.isEmpty() ? 0 : 1) + (dnaCsv == null ? 0 : 1) + (audioDir == null ? 0 : 1) + (textCsv == null ? 0 : 1)
                + (textDir == null ? 0 : 1) + (textLines == null ? 0 : 1);
        if (kinds == 0) {
            throw new UsageException("which data? give --fasta CLASS=FILE (repeat), --fasta FILE --label-regex R, --csv FILE (DNA), --audio-dir DIR, "
                    + "--text-csv FILE, --text-dir DIR or --text-lines FILE --label-regex R");
        }
        if (kinds > 1) throw new UsageException("give one kind of input: --fasta, --csv, --audio-dir, --text-csv, --text-dir or --text-lines");
        if (audioDir != null) return audio(inputs == null ? audioDir : single(inputs, "--audio-dir"));
        if (textCsv != null) return new TextCsvSource(inputs == null ? textCsv : single(inputs, "--text-csv"), textColumn, labelColumn, null, tokens.charset(), text());
        if (textDir != null) return new TextDirectorySource(inputs == null ? textDir : single(inputs, "--text-dir"), tokens.charset(), text());
        if (textLines != null) {
            if (labelRegex == null) throw new UsageException("--text-lines needs --label-regex R: the label is what R captures");
            return new TextLinesSource(inputs == null ? textLines : single(inputs, "--text-lines"), regex(), tokens.charset(), text());
        }
        DnaEncoding encoding = dnaEncoding();
        if (!fasta.isEmpty()) return fasta(inputs == null ? fasta : inputs, encoding);
        Path file = inputs == null ? dnaCsv : single(inputs, "--csv");
        DnaCsvSource csv = new DnaCsvSource(file, sequenceColumn, labelColumn, null, encoding);
        return idColumn == null ? csv : csv.withIdColumn(idColumn);
    }

    private TextEncoding.Settings text() {
        return new TextEncoding.Settings(tokens.tokenization(), tokens.limits());
    }

    private AudioDirectorySource audio(Path dir) {
        AudioFeatures settings;
        try {
            settings = AudioFeatures.of(features, sampleRate).withDeltas(deltas).withCmvn(cmvn);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sample-rate: " + e.getMessage());
        }
        AudioDirectorySource source;
        if (labelPattern == null) {
            source = AudioDirectorySource.bySubfolder(dir, settings);
        } else {
            try {
                source = AudioDirectorySource.byFileName(dir, labelPattern, settings);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--label-pattern: " + e.getMessage());
            }
        }
        return augment ? source.withAugmentation(Augmentation.defaults()) : source;
    }

    private DnaEncoding dnaEncoding() {
        try {
            return new DnaEncoding(kmer, revcomp);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kmer: " + e.getMessage());
        }
    }

    private FastaSource fasta(List<String> specs, DnaEncoding encoding) {
        boolean perClass = specs.getFirst().contains("=");
        if (!perClass) {
            if (labelRegex == null) throw new UsageException("--fasta " + specs.getFirst() + " has no CLASS=; name the class of each file, or give --label-regex");
            return FastaSource.labelledByHeader(Path.of(single(specs, "--fasta").toString()), regex(), encoding);
        }
        SequencedMap<String, Path> files = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) throw new UsageException("--fasta '" + spec + "' is not CLASS=FILE");
            String label = spec.substring(0, eq);
            if (files.containsKey(label)) throw new UsageException("--fasta names class '" + label + "' twice");
            files.put(label, Path.of(spec.substring(eq + 1)));
        }
        return FastaSource.perClass(files, encoding);
    }

    private Pattern regex() {
        try {
            return Pattern.compile(labelRegex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--label-regex '" + labelRegex + "' is not a regular expression: " + e.getDescription());
        }
    }

    static final class FeatureNames extends LowerCaseNames<FeatureKind> {
        FeatureNames() {
            super(FeatureKind.class);
        }
    }

    private static Path single(List<String> inputs, String option) {
        if (inputs.size() != 1) throw new UsageException(option + " takes one file; --test got " + inputs.size());
        return Path.of(inputs.getFirst());
    }

}
