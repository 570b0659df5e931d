package dev.rnn4j.cli;

import dev.rnn4j.data.report.TrainingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j report RUN_DIR}: draws a run's HTML report again from its JSON-lines log. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"Draws the HTML report of a run from its JSON-lines log: RUN_DIR/run.jsonl (a --report folder) or a log "
            + "written with --log-jsonl, into index.html beside it. Works while the run trains, and after.", ""})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a --report folder, or a --log-jsonl file")
    Path run;

    @Override
    public Integer call() {
        boolean folder = Files.isDirectory(run);
        Path log = folder ? run.resolve(TrainingReport.LOG_FILE) : run;
        if (!Files.isRegularFile(log)) {
            throw new UsageException(log + ": no run log here; train with --report DIR or --log-jsonl F first");
        }
        Path dir = folder ? run : run.toAbsolutePath().getParent();
        Path page = TrainingReport.write(log, dir);
        spec.commandLine().getOut().println("report written to " + page);
        return Main.OK;
    }
}
