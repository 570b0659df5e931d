package dev.rnn4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --report DIR}: the option of every train and evaluate command that draws an HTML report. */
final class ReportOptions {
    @Option(names = "--report", paramLabel = "DIR", description = "draws an HTML report of the run into DIR/index.html (its log in DIR/run.jsonl unless --log-jsonl)")
    Path dir;

    @Option(names = "--inspect-example", paramLabel = "N",
            description = "the report also shows the states and gates at every step of sequence N (a test sequence; forecasting: "
                    + "the window ending at row N; language models: the validation text from token N)")
    Integer inspectExample;

    /** The report folder, or null for none. */
    Path dir() {
        return dir;
    }

    /** The sequence to inspect, or null; it needs a report to show it. */
    Integer inspectExample() {
        if (inspectExample != null && dir == null) throw new UsageException("--inspect-example draws into a report: add --report DIR");
        if (inspectExample != null && inspectExample < 0) throw new UsageException("--inspect-example must be 0 or more, got " + inspectExample);
        return inspectExample;
    }
}
