package dev.rnn4j.cli;

import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingStart;
import dev.rnn4j.train.ValidationMetrics;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows how training goes, on stderr, so that stdout keeps only results: a progress bar on a terminal, otherwise
 * (a pipe, a log file, CI) one plain line per epoch, and for an endless source one per validation (its epoch).
 * Attach it to a Trainer (or a run that wraps one) and close it when training ends.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {

    private static final int DEFAULT_WIDTH = 80;
    static final String TERMINAL_PROPERTY = "rnn4j.stderr.terminal";

    /** How progress is shown. */
    enum Display {
        /** A redrawn bar: only where stderr is a terminal. */
        BAR,
        /** One line per epoch: for logs. */
        LINES,
        /** Nothing (--quiet). */
        OFF;

        /**
         * BAR when stderr is a terminal, LINES otherwise. The ./rnn4j launcher, which pipes stderr through a filter,
         * says which in {@value #TERMINAL_PROPERTY}; without it, the console's answer (JDK 22+) stands.
         */
        static Display forConsole() {
            String launcher = System.getProperty(TERMINAL_PROPERTY);
            if (launcher != null) return Boolean.parseBoolean(launcher) ? BAR : LINES;
            Console console = System.console();
            return console != null && console.isTerminal() ? BAR : LINES;
        }
    }

    private final Display display;
    private final PrintWriter lines;
    private final ProgressState state = new ProgressState();
    private int printedEpoch = -1;
    private ProgressBar bar;

    /**
     * @param lines where LINES mode prints; the BAR draws on System.err, the terminal it was chosen for
     */
    TrainingProgress(Display display, PrintWriter lines) {
        this.display = display;
        this.lines = lines;
    }

    @Override
    public void onStart(TrainingStart start) {
        state.start(start);
        if (display == Display.BAR) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(state.lastStep())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err, terminalWidth() - 1))
                    .startsFrom(start.step(), Duration.ZERO).build();
        }
    }

    @Override
    public void onStep(StepMetrics m) {
        // the first step of a new epoch: the last one ended without validation, so its line is still due
        if (m.epoch() > state.epoch() && printedEpoch < state.epoch()) printLine();
        state.step(m);
        if (bar != null) {
            bar.stepTo(m.step());
            bar.setExtraMessage(state.barMessage());
        }
    }

    @Override
    public void onValidation(ValidationMetrics m) {
        state.validation(m);
        if (bar != null) bar.setExtraMessage(state.barMessage());
        printLine();
    }

    @Override
    public void onEnd(TrainResult result) {
        if (state.epoch() >= 0 && printedEpoch < state.epoch()) printLine();
        close();
    }

    private void printLine() {
        printedEpoch = state.epoch();
        if (display != Display.LINES) return;
        lines.println(state.line());
        lines.flush();
    }

    /**
     * The terminal's width, asked here once rather than by the progress bar: its jline terminal would put back
     * the JVM's default SIGINT handler (nativeSignals), and Ctrl-C would then kill the run instead of stopping it.
     */
    private static int terminalWidth() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build()) {
            int width = terminal.getWidth();
            return width > 20 ? width : DEFAULT_WIDTH;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Ends the bar (if any); safe to call twice. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
