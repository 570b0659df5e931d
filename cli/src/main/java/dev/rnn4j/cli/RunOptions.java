package dev.rnn4j.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a training run writes and whether it continues one: the same options on every task's train command. */
final class RunOptions {
    @Option(names = "--out", paramLabel = "MODEL", description = "writes the model bundle")
    Path out;

    @Option(names = "--log-jsonl", paramLabel = "F", description = "writes one JSON line per step and per epoch")
    Path logJsonl;

    @Mixin
    ReportOptions report;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "checkpoints go here (default: MODEL.run beside --out; none without --out)")
    Path runDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "continues the interrupted run in DIR bit for bit (same data and options)")
    Path resume;

    /** The run directory: --resume's, else --run-dir, else MODEL.run beside --out, else none. */
    Path checkpoints() {
        return RunSupport.checkpoints(out, runDir, resume);
    }

    boolean resuming() {
        return resume != null;
    }
}
