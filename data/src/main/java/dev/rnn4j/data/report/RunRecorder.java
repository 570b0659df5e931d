package dev.rnn4j.data.report;

import dev.rnn4j.data.app.JsonlLog;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training command records for the user and the report: the JSON-lines log ({@link JsonlLog}) with the
 * sampled diagnostics ({@link TrainingProbe}) in it, and, when a report folder is given, the page drawn from that
 * log once training ends. Without a log file the log goes to {@code REPORT/run.jsonl}; without either, nothing is
 * recorded.
 *
 * <pre>{@code
 * try (RunRecorder recorder = RunRecorder.open(logFile, reportDir, false, trainer)) {
 *     recorder.listeners().forEach(trainer::addListener);
 *     trainer.fit(...);
 *     recorder.writeReport("my run");
 * }
 * }</pre>
 */
public final class RunRecorder implements AutoCloseable {
    private final Path logFile;
    private final Path reportDir;
    private final JsonlLog log;
    private final List<TrainingListener> listeners;

    private RunRecorder(Path logFile, Path reportDir, JsonlLog log, List<TrainingListener> listeners) {
        this.logFile = logFile;
        this.reportDir = reportDir;
        this.log = log;
        this.listeners = listeners;
    }

    /**
     * @param logFile   the log to write, or null for {@code reportDir/run.jsonl} (or none without a report)
     * @param reportDir where the page goes, or null for none
     * @param append    keep what the log holds (a resumed run)
     */
    public static RunRecorder open(Path logFile, Path reportDir, boolean append, Trainer trainer) {
        Path file = logFile != null ? logFile : reportDir != null ? reportDir.resolve(TrainingReport.LOG_FILE) : null;
        if (file == null) return new RunRecorder(null, null, null, List.of());
        try {
            if (reportDir != null) Files.createDirectories(reportDir);
        } catch (IOException e) {
            throw new UncheckedIOException(reportDir + ": cannot create the report folder: " + e.getMessage(), e);
        }
        JsonlLog log = new JsonlLog(file, append);
        return new RunRecorder(file, reportDir, log, List.of(log, new TrainingProbe(trainer, log)));
    }

    /** A recorder of a report without training (an evaluation, an inspection): its log in {@code reportDir/run.jsonl}. */
    public static RunRecorder openViews(Path reportDir) {
        try {
            Files.createDirectories(reportDir);
        } catch (IOException e) {
            throw new UncheckedIOException(reportDir + ": cannot create the report folder: " + e.getMessage(), e);
        }
        Path file = reportDir.resolve(TrainingReport.LOG_FILE);
        return new RunRecorder(file, reportDir, new JsonlLog(file, false), List.of());
    }

    /** The listeners to add to the trainer: the log and the probe (none when nothing is recorded). */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    /** The log file, or null. */
    public Path logFile() {
        return logFile;
    }

    /** The report folder, or null. */
    public Path reportDir() {
        return reportDir;
    }

    /** Adds a task's line to the log (a view {@link TaskViews} draws); nothing when nothing is recorded. */
    public void record(Map<String, Object> line) {
        if (log != null) log.record(line);
    }

    /**
     * Adds the title to the log, closes it and draws the page into the report folder; returns its path, or null
     * without a report folder.
     */
    public Path writeReport(String title) {
        if (log == null) return null;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "report");
        line.put("title", title);
        log.record(line);
        close();
        return reportDir == null ? null : TrainingReport.write(logFile, reportDir);
    }

    @Override
    public void close() {
        if (log != null) log.close();
    }
}
