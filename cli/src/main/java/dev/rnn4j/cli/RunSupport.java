package dev.rnn4j.cli;

import dev.rnn4j.data.report.RunRecorder;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.train.NonFiniteValue;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.io.Json;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every task's train command does around its workflow: where checkpoints go, progress, the JSON-lines log and
 * Ctrl-C while it trains, the command line for the record, and what to print after an interruption.
 */
final class RunSupport {
    private final CommandSpec spec;
    private final TrainOptions train;
    private RunRecorder recorder; // the log and the report of the run train() ran, or null before it

    RunSupport(CommandSpec spec, TrainOptions train) {
        this.spec = spec;
        this.train = train;
    }

    /** The run directory: --resume's, else --run-dir, else MODEL.run beside --out, else none. */
    static Path checkpoints(Path out, Path runDir, Path resume) {
        if (resume != null && !Files.isDirectory(resume)) throw new UsageException(resume + ": no such run directory to resume");
        return resume != null ? resume : runDir != null ? runDir : out == null ? null : Path.of(out + ".run");
    }

    /**
     * Runs {@code fit} with the progress display, the log and the report's probe (the log appended to when resuming)
     * and Ctrl-C stopping the run. The log stays open for the task's report lines until {@link #writeReport}.
     */
    <T> T train(TrainingRun run, RunOptions files, Supplier<T> fit) {
        PrintWriter err = spec.commandLine().getErr();
        recorder = RunRecorder.open(files.logJsonl, files.report.dir(), files.resuming(), run.trainer());
        try (TrainingProgress progress = new TrainingProgress(train.display(), err);
             Interrupts interrupts = Interrupts.install(run::stop, err)) {
            run.listener(progress);
            run.listener(new SkippedSteps(err));
            recorder.listeners().forEach(run::listener);
            return fit.get();
        } catch (RuntimeException | Error e) {
            recorder.close();
            throw e;
        }
    }

    /**
     * With --report: adds the task's view lines (computed only then) and the title to the log, closes it, draws the
     * page and says where it went. Without, closes the log as training left it.
     */
    void writeReport(String title, Supplier<List<Map<String, Object>>> views) {
        if (recorder == null) return;
        if (recorder.reportDir() == null) {
            recorder.close();
            return;
        }
        views.get().forEach(recorder::record);
        spec.commandLine().getOut().println("report written to " + recorder.writeReport(title));
    }

    /**
     * After a run that did not finish. After Ctrl-C: says where the checkpoint is, saves the best model so far with
     * {@code saveBest} (when there is an --out and a best), prints the command that resumes, and returns exit code
     * 130. After a NaN or infinity stopped it (--on-nonfinite stop): says what went bad where, that the last good
     * checkpoint stays, saves the best model (if validation found one) and returns exit code 1.
     */
    int unfinished(TrainingRun run, TrainResult result, Path out, Runnable saveBest) {
        PrintWriter err = spec.commandLine().getErr();
        if (result.nonFinite() != null) {
            NonFiniteValue bad = result.nonFinite();
            StringBuilder message = new StringBuilder(ErrorReport.PREFIX + "training stopped: " + bad.message() + "; " + bad.advice());
            Path checkpoint = run.runDirectory() == null ? null : TrainingRun.checkpoint(run.runDirectory());
            if (checkpoint != null && Files.isRegularFile(checkpoint)) {
                message.append("; the last good checkpoint stays in ").append(checkpoint);
            }
            if (out != null && result.restoredBest()) {
                saveBest.run();
                message.append("; the best model so far is in ").append(out);
            } else if (out != null) {
                message.append("; no model written (no validation before the bad step)");
            }
            err.println(Main.oneLine(message.toString()));
            return Main.FAILED;
        }
        StringBuilder message = new StringBuilder("interrupted after step " + result.steps());
        if (run.runDirectory() != null) message.append("; checkpoint written to ").append(TrainingRun.checkpoint(run.runDirectory()));
        if (out != null && run.restoreBest()) {
            saveBest.run();
            message.append("; the best model so far is in ").append(out);
        }
        err.println(message);
        if (run.runDirectory() != null) err.println("resume with: " + resumeCommand(run.runDirectory()));
        return Main.INTERRUPTED;
    }

    /** Checks the outputs' folders before anything long runs: --out, --metrics-out, --log-jsonl. */
    void checkOutputs(RunOptions files) {
        for (Path p : new Path[] {files.out, train.metricsOut(), files.logJsonl}) AtomicFiles.checkWritable(p);
        AtomicFiles.checkWritable(files.report.dir()); // its folder must exist; the report folder itself is made
    }

    /** Settings built from the options; a value the library rejects is a usage error naming it (exit 2). */
    <T> T fromOptions(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The metrics document: the command line, then the task's body, then the seconds (left out when NaN). */
    Map<String, Object> metrics(Map<String, Object> body, double seconds) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("command", commandLine());
        metrics.putAll(body);
        if (Double.isFinite(seconds)) metrics.put("seconds", seconds);
        return metrics;
    }

    /** Writes the metrics (pretty JSON) to --metrics-out, if given, and says so. */
    void writeMetrics(Map<String, Object> metrics) {
        if (train.metricsOut() == null) return;
        AtomicFiles.writeString(train.metricsOut(), Json.writePretty(metrics) + "\n");
        spec.commandLine().getOut().println("metrics written to " + train.metricsOut());
    }

    List<String> arguments() {
        return spec.root().commandLine().getParseResult().originalArgs();
    }

    /** The command as typed, for the metrics file and the bundle's provenance. */
    String commandLine() {
        return "rnn4j " + String.join(" ", arguments().stream().map(RunSupport::quoted).toList());
    }

    String resumeCommand(Path dir) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < arguments().size(); i++) {
            String a = arguments().get(i);
            if (a.equals("--resume")) {
                i++;
                continue;
            }
            if (a.startsWith("--resume=")) continue;
            args.add(quoted(a));
        }
        return "./rnn4j " + String.join(" ", args) + " --resume " + quoted(dir.toString());
    }

    static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Says on stderr which steps --on-nonfinite skip dropped: the first few, then how many in all at the end. */
    private static final class SkippedSteps implements TrainingListener {
        private static final int SHOWN = 5;
        private final PrintWriter err;
        private long count;

        SkippedSteps(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onSkippedStep(NonFiniteValue value) {
            if (++count <= SHOWN) err.println("skipped step " + value.step() + ": " + value.message());
            if (count == SHOWN) err.println("(further skipped steps are counted, not shown)");
        }

        @Override
        public void onEnd(TrainResult result) {
            if (result.skippedSteps() > 0) err.println(result.skippedSteps() + " steps skipped for NaN or infinite values");
        }
    }
}
