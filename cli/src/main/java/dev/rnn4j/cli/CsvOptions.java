package dev.rnn4j.cli;

import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.data.series.TimeSeriesCsv.MissingValues;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How a time-series CSV is read, shared by the commands that read one ({@code @Mixin CsvOptions csv;}). */
final class CsvOptions {
    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "the series: a CSV file with a header row")
    Path file;

    @Option(names = "--missing", defaultValue = "error", paramLabel = "POLICY", completionCandidates = MissingNames.class,
            description = "empty, NA or NaN cells: ${COMPLETION-CANDIDATES}; by default an error that names the line")
    MissingValues missing;

    @Option(names = "--drop-invalid", description = "leave out rows with a missing, NaN or infinite value, and count them (--missing drop)")
    boolean dropInvalid;

    /** These options applied to what the rest of the command (or a model's bundle) says to read. */
    TimeSeriesCsv.Options applyTo(TimeSeriesCsv.Options options) {
        return options.withMissing(missing(missing, dropInvalid));
    }

    /** --missing, or DROP for --drop-invalid; both at once must agree. */
    static MissingValues missing(MissingValues missing, boolean dropInvalid) {
        if (!dropInvalid) return missing;
        if (missing != MissingValues.ERROR && missing != MissingValues.DROP) {
            throw new UsageException("--drop-invalid and --missing " + missing.name().toLowerCase(java.util.Locale.ROOT) + " disagree; use one");
        }
        return MissingValues.DROP;
    }

    static final class MissingNames extends LowerCaseNames<MissingValues> {
        MissingNames() {
            super(MissingValues.class);
        }
    }
}
