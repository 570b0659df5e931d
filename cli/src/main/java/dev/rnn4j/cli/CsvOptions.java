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

    /** These options applied to what the rest of the command (or a model's bundle) says to read. */
    TimeSeriesCsv.Options applyTo(TimeSeriesCsv.Options options) {
        return options.withMissing(missing);
    }

    static final class MissingNames extends LowerCaseNames<MissingValues> {
        MissingNames() {
            super(MissingValues.class);
        }
    }
}
