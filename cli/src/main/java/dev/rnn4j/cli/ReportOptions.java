package dev.rnn4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --report DIR}: the option of every train and evaluate command that draws an HTML report. */
final class ReportOptions {
    @Option(names = "--report", paramLabel = "DIR", description = "draws an HTML report of the run into DIR/index.html (its log in DIR/run.jsonl unless --log-jsonl)")
    Path dir;

    /** The report folder, or null for none. */
    Path dir() {
        return dir;
    }
}
