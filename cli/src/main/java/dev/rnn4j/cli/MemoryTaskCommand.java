package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskResult;
import dev.rnn4j.data.synthetic.MemoryTaskRun;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import dev.rnn4j.io.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rnn4j train adding|copy}: maps the options to {@link MemoryTaskSettings}, runs {@link MemoryTaskRun} with a
 * progress display and Ctrl-C handling, prints the test score and writes the files. The options both tasks take
 * are here; each task's own defaults are in its subclass.
 */
abstract class MemoryTaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions train;

    @Option(names = "--cell", required = true, paramLabel = "CELL", completionCandidates = CellNames.class,
            description = "the recurrent cell: ${COMPLETION-CANDIDATES}")
    CellType cell;

    @Option(names = "--length", required = true, paramLabel = "T", description = "T: the sequence length (adding) or the delay (copy)")
    Integer length;

    @Option(names = "--steps", defaultValue = "" + MemoryTaskSettings.DEFAULT_STEPS, paramLabel = "N", description = "training steps")
    long steps;

    @Option(names = "--batch", defaultValue = "" + MemoryTaskSettings.DEFAULT_BATCH, paramLabel = "B", description = "sequences per step")
    int batch;

    @Option(names = "--model-out", paramLabel = "MODEL", description = "writes the trained model (atomically)")
    Path modelOut;

    /** How the gate biases start. */
    enum GateInit {
        /** an LSTM's forget-gate bias at 1, other biases 0 */
        DEFAULT,
        /** Tallec &amp; Ollivier's chrono initialisation for --max-dependency */
        CHRONO
    }

    @Option(names = "--init", defaultValue = "default", paramLabel = "INIT", completionCandidates = GateInitNames.class,
            description = "${COMPLETION-CANDIDATES}: gate biases as usual (an LSTM's forget bias at 1), or chrono (Tallec & Ollivier 2018): "
                    + "forget biases log U(1, D-1), input biases their negation")
    GateInit init;

    @Option(names = "--max-dependency", paramLabel = "D", description = "chrono's longest dependency in steps (default: the sequence length)")
    Integer maxDependency;

    /** The task's defaults with this command's own options applied (hidden size, learning rate, ...). */
    abstract MemoryTaskSettings taskSettings();

    abstract MemoryTask task();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MemoryTaskSettings settings = settings();
        AtomicFiles.checkWritable(train.metricsOut());
        AtomicFiles.checkWritable(modelOut);

        MemoryTaskRun run = MemoryTaskRun.prepare(settings);
        out.printf(Locale.ROOT, "training a %s (hidden size %d%s) on the %s task, T = %d, %d steps of %d sequences%n",
                settings.cell().name().toLowerCase(Locale.ROOT), settings.hiddenSize(),
                settings.chrono() > 0 ? ", chrono init for " + settings.chrono() + " steps" : "", settings.task().id(),
                run.sequenceLength(), settings.steps(), settings.batch());
        out.flush();
        MemoryTaskResult result;
        try (TrainingProgress progress = new TrainingProgress(train.display(), err);
             Interrupts interrupts = Interrupts.install(run::stop, err)) {
            run.addListener(progress);
            result = run.train();
        }
        out.printf(Locale.ROOT, "test %s %.5f (baseline %.5f) after %d steps, %.0f s%n", settings.task().metricName(),
                result.testScore(), result.baseline(), result.train().steps(), result.seconds());
        if (result.metrics().containsKey("solved_at_step")) {
            Object solved = result.metrics().get("solved_at_step");
            out.println(solved == null ? "not solved: the validation MSE never fell below " + MemoryTaskRun.SOLVED_MSE
                    : "solved at step " + solved + " (the first validation MSE below " + MemoryTaskRun.SOLVED_MSE + ")");
        }
        if (modelOut != null) {
            run.saveModel(modelOut);
            out.println("model written to " + modelOut);
        }
        if (train.metricsOut() != null) {
            AtomicFiles.writeString(train.metricsOut(), Json.write(result.metrics()) + "\n");
            out.println("metrics written to " + train.metricsOut());
        }
        if (!result.train().interrupted()) return Main.OK;
        err.println("interrupted after step " + result.train().steps() + " of " + settings.steps()
                + (modelOut != null ? "; the model so far is in " + modelOut : "")
                + ". The synthetic tasks have no checkpoint: run the command again to restart (it does not resume).");
        return Main.INTERRUPTED;
    }

    private MemoryTaskSettings settings() {
        try {
            if (maxDependency != null && init != GateInit.CHRONO) throw new IllegalArgumentException("--max-dependency needs --init chrono");
            MemoryTaskSettings s = taskSettings().withCell(cell).withLength(length).withSteps(steps).withBatch(batch).withSeed(train.seed())
                    .withThreads(train.threads());
            return init == GateInit.CHRONO ? s.withChrono(maxDependency != null ? maxDependency : s.length()) : s;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), asOption(e.getMessage()));
        }
    }

    private static final Pattern SETTING = Pattern.compile("^([a-z]+)([A-Z][a-z]*)*\\b");

    /** The settings' messages name fields ("hiddenSize must be ..."); on the command line they are options (--hidden-size). */
    static String asOption(String message) {
        Matcher m = SETTING.matcher(message);
        if (!m.find()) return message;
        String option = "--" + m.group().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        return option + message.substring(m.end());
    }

    static final class GateInitNames extends LowerCaseNames<GateInit> {
        GateInitNames() {
            super(GateInit.class);
        }
    }

    /** The cells in lower case, as --help and bash completion offer them. */
    static final class CellNames extends LowerCaseNames<CellType> {
        CellNames() {
            super(CellType.class);
        }
    }
}
