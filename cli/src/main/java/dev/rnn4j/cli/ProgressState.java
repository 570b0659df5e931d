package dev.rnn4j.cli;

import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingStart;
import dev.rnn4j.train.ValidationMetrics;

import java.util.Locale;

/**
 * What a training progress display shows, worked out from the trainer's events: epoch, step of the planned total,
 * smoothed loss, the last validation, examples per second and the time left. No clock of its own (only the
 * trainer's elapsed seconds), so tests can feed it events and compare the text.
 */
final class ProgressState {
    /** Weight of the newest step in the smoothed loss and speed: about the last 20 steps count. */
    private static final double SMOOTHING = 0.05;

    private long firstStep;
    private long lastStep = -1;
    private int epochs; // 0 if unknown
    private long perEpoch = -1;
    private long step;
    private int epoch = -1;
    private double loss = Double.NaN;
    private double examplesPerStep = Double.NaN;
    private double secondsPerStep = Double.NaN;
    private double elapsed;
    private double validation = Double.NaN;

    void start(TrainingStart start) {
        firstStep = start.step();
        step = start.step();
        lastStep = start.plannedLastStep();
        perEpoch = start.stepsPerEpochPlanned();
        epochs = start.epochs() > 0 ? start.epochs()
                : lastStep > 0 && perEpoch > 0 ? (int) Math.min(Integer.MAX_VALUE, (lastStep + perEpoch - 1) / perEpoch) : 0;
    }

    void step(StepMetrics m) {
        step = m.step();
        epoch = m.epoch();
        elapsed = m.elapsedSeconds();
        loss = smooth(loss, m.loss());
        examplesPerStep = smooth(examplesPerStep, m.examples());
        secondsPerStep = smooth(secondsPerStep, m.seconds());
    }

    void validation(ValidationMetrics m) {
        validation = m.loss();
    }

    private static double smooth(double average, double value) {
        return Double.isNaN(average) ? value : average + SMOOTHING * (value - average);
    }

    /** The epoch of the last step, 0-based; -1 before the first. */
    int epoch() {
        return epoch;
    }

    long step() {
        return step;
    }

    /** The step the run is planned to end at, or -1 if unknown (the bar is then indefinite). */
    long lastStep() {
        return lastStep;
    }

    /** {@code epoch 3/50  step 120/2000  loss 0.01234  validation 0.01500  812 examples/s  ETA 1m05s}. */
    String line() {
        return "epoch " + (epoch + 1) + (epochs > 0 ? "/" + epochs : "") + "  step " + step + (lastStep > 0 ? "/" + lastStep : "")
                + "  " + metrics();
    }

    /** The bar draws step, total and ETA itself; this is the text beside it. */
    String barMessage() {
        return "epoch " + (epoch + 1) + (epochs > 0 ? "/" + epochs : "") + "  " + metrics().replace("  ETA " + eta(), "");
    }

    private String metrics() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "loss %.5f", loss));
        if (!Double.isNaN(validation)) s.append(String.format(Locale.ROOT, "  validation %.5f", validation));
        if (secondsPerStep > 0) s.append(String.format(Locale.ROOT, "  %.0f examples/s", examplesPerStep / secondsPerStep));
        String eta = eta();
        if (!eta.isEmpty()) s.append("  ETA ").append(eta);
        return s.toString();
    }

    /** Time left at the pace so far (steps since this fit started over its elapsed time); "" if unknown. */
    String eta() {
        long done = step - firstStep;
        if (lastStep <= 0 || done <= 0 || elapsed <= 0) return "";
        return duration(Math.max(0, lastStep - step) * elapsed / done);
    }

    /** 45s, 1m05s, 2h03m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
