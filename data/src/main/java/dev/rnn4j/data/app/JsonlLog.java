package dev.rnn4j.data.app;

import dev.rnn4j.io.Json;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.NonFiniteValue;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.ValidationMetrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a run's history as JSON lines, for the user's own tools and for reports: one line per training step
 * <pre>{@code {"event":"step","step":12,"epoch":0,"loss":0.41,"grad_norm":1.7,"learning_rate":0.003,"seconds":0.004,"examples":32}}</pre>
 * one per validation
 * <pre>{@code {"event":"epoch","step":40,"epoch":0,"validation_loss":0.38,"best_validation_loss":0.38,"best_step":40,"improved":true,"learning_rate":0.003}}</pre>
 * and one at the end ({@code "event":"end"}); listeners such as {@link dev.rnn4j.data.report.TrainingProbe} add lines of
 * their own kinds through {@link #record}. A resumed run appends to the same file. Lines are flushed at every
 * epoch, so a crash loses at most the current epoch's step lines. Non-finite numbers are written as null.
 */
public final class JsonlLog implements TrainingListener, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    /**
     * @param append keep what the file holds (a resumed run), else start it afresh
     */
    public JsonlLog(Path file, boolean append) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the log: " + e.getMessage(), e);
        }
    }

    @Override
    public void onStep(StepMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "step");
        line.put("step", m.step());
        line.put("epoch", m.epoch());
        line.put("loss", finite(m.loss()));
        line.put("grad_norm", finite(m.gradientNorm()));
        line.put("learning_rate", m.learningRate());
        line.put("seconds", m.seconds());
        line.put("examples", m.examples());
        write(line, false);
    }

    @Override
    public void onValidation(ValidationMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "epoch");
        line.put("step", m.step());
        line.put("epoch", m.epoch());
        line.put("validation_loss", finite(m.loss()));
        line.put("best_validation_loss", finite(m.bestLoss()));
        line.put("best_step", m.bestStep());
        line.put("improved", m.improved());
        line.put("learning_rate", m.learningRate());
        write(line, true);
    }

    @Override
    public void onEnd(TrainResult r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "end");
        line.put("steps", r.steps());
        line.put("epochs", r.epochs());
        line.put("best_validation_loss", finite(r.bestValidationLoss()));
        line.put("best_step", r.bestStep());
        line.put("stopped_early", r.stoppedEarly());
        line.put("interrupted", r.interrupted());
        line.put("skipped_steps", r.skippedSteps());
        line.put("stopped_by", r.nonFinite() == null ? null : r.nonFinite().message());
        write(line, true);
    }

    @Override
    public void onSkippedStep(NonFiniteValue value) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "skipped");
        line.put("step", value.step());
        line.put("epoch", value.epoch());
        line.put("batch", value.batch());
        line.put("reason", value.message());
        write(line, true);
    }

    /**
     * Adds a line of another kind (its {@code "event"} first), such as the sampled diagnostics of
     * {@link dev.rnn4j.data.report.TrainingProbe}; flushed with the next epoch's line.
     */
    public void record(Map<String, Object> line) {
        if (!(line.get("event") instanceof String)) throw new IllegalArgumentException("a log line needs an \"event\" name, got " + line);
        write(line, false);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void write(Map<String, Object> line, boolean flush) {
        try {
            out.write(Json.write(line));
            out.write('\n');
            if (flush) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the log: " + e.getMessage(), e);
        }
    }
}
