package dev.rnn4j.data.report;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.io.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's JSON-lines log as written by {@link dev.rnn4j.data.app.JsonlLog} and {@link TrainingProbe}, read back for a
 * report. Lines of kinds it does not know are skipped; a resumed run, which appends and may repeat the steps since
 * its last checkpoint, keeps the later copy of each.
 *
 * @param run       the probe's description of the network and the run, or an empty map
 * @param steps     one per training step
 * @param epochs    one per validation
 * @param end       the end line, or null while the run is unfinished
 * @param gradients the sampled ||dL/dh_t||
 * @param gates     the sampled gate saturation
 * @param views     the task's own lines (a forecast, a confusion matrix, samples, ...; see {@link TaskViews}), and the
 *                  report's title line, in order
 */
public record RunLog(Map<String, Object> run, List<Step> steps, List<Validation> epochs, Map<String, Object> end,
                     List<GradientSample> gradients, List<GateSample> gates, List<Map<String, Object>> views) {

    /** A training step; NaN for a value the log holds as null. */
    public record Step(long step, int epoch, double loss, double gradientNorm, double learningRate) {}

    /** A validation at the end of an epoch. */
    public record Validation(long step, int epoch, double loss, double bestLoss, long bestStep, double learningRate) {}

    /** ||dL/dh_t|| of one layer's direction at a sampled step, t in bins of {@code bin} steps. */
    public record GradientSample(long step, int layer, int direction, int bin, double[] norms) {}

    /** The fractions of each sigmoid gate's values near 0 and near 1 at a sampled step, by gate name. */
    public record GateSample(long step, int layer, int direction, Map<String, Double> nearZero, Map<String, Double> nearOne) {}

    /**
     * @throws DataFileException naming the file and line when it cannot be read or a line is not a JSON object
     */
    public static RunLog read(Path file) {
        Map<String, Object> run = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        List<Validation> epochs = new ArrayList<>();
        List<GradientSample> gradients = new ArrayList<>();
        List<GateSample> gates = new ArrayList<>();
        List<Map<String, Object>> views = new ArrayList<>();
        Map<String, Object> end = null;
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text; (text = in.readLine()) != null; ) {
                lineNumber++;
                if (text.isBlank()) continue;
                Map<String, Object> line;
                try {
                    line = Json.parseObject(text);
                } catch (Json.JsonException e) {
                    throw new DataFileException(file.toString(), lineNumber, null, "not a JSON object: " + e.getMessage());
                }
                try {
                    switch (String.valueOf(line.get("event"))) {
                        case "run" -> {
                            run = line;
                            end = null; // a resumed run starts again
                        }
                        case "step" -> {
                            Step s = new Step(integer(line, "step"), (int) integer(line, "epoch"), number(line, "loss"),
                                    number(line, "grad_norm"), number(line, "learning_rate"));
                            while (!steps.isEmpty() && steps.getLast().step() >= s.step()) steps.removeLast();
                            steps.add(s);
                        }
                        case "epoch" -> {
                            Validation v = new Validation(integer(line, "step"), (int) integer(line, "epoch"), number(line, "validation_loss"),
                                    number(line, "best_validation_loss"), integer(line, "best_step"), number(line, "learning_rate"));
                            while (!epochs.isEmpty() && epochs.getLast().step() >= v.step()) epochs.removeLast();
                            epochs.add(v);
                        }
                        case "end" -> end = line;
                        case "gradient_by_time" -> {
                            List<?> values = (List<?>) line.get("norms");
                            double[] norms = new double[values.size()];
                            for (int i = 0; i < norms.length; i++) norms[i] = values.get(i) == null ? Double.NaN : ((Number) values.get(i)).doubleValue();
                            int bin = line.containsKey("bin") ? (int) integer(line, "bin") : 1;
                            gradients.add(new GradientSample(integer(line, "step"), (int) integer(line, "layer"), (int) integer(line, "direction"), bin, norms));
                        }
                        case "gates" -> gates.add(new GateSample(integer(line, "step"), (int) integer(line, "layer"),
                                (int) integer(line, "direction"), fractions(line, "near_0"), fractions(line, "near_1")));
                        default -> views.add(line); // the task's own, drawn by TaskViews if it knows them
                    }
                } catch (ClassCastException | NullPointerException e) {
                    throw new DataFileException(file.toString(), lineNumber, null, "a " + line.get("event") + " line with a missing or mistyped field");
                }
            }
        } catch (IOException e) {
            throw DataFileException.ofFile(file.toString(), "cannot read the log: " + e.getMessage());
        }
        return new RunLog(run, steps, epochs, end, gradients, gates, views);
    }

    /** The clipping threshold of the run, or NaN when it did not clip (or the log does not say). */
    public double clipNorm() {
        return run.get("clip_norm") instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The step whose validation was best (the early-stopping point), or -1 without validations. */
    public long bestStep() {
        if (end != null && end.get("best_step") instanceof Number n && n.longValue() > 0) return n.longValue();
        return epochs.isEmpty() ? -1 : epochs.getLast().bestStep();
    }

    /** The title the last report gave the run, or {@code fallback}. */
    public String title(String fallback) {
        String title = fallback;
        for (Map<String, Object> line : views) {
            if ("report".equals(line.get("event")) && line.get("title") instanceof String t) title = t;
        }
        return title;
    }

    /** Whether early stopping ended the run. */
    public boolean stoppedEarly() {
        return end != null && Boolean.TRUE.equals(end.get("stopped_early"));
    }

    private static long integer(Map<String, Object> line, String key) {
        return ((Number) line.get(key)).longValue();
    }

    private static double number(Map<String, Object> line, String key) {
        Object v = line.get(key);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static Map<String, Double> fractions(Map<String, Object> line, String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        ((Map<?, ?>) line.get(key)).forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).doubleValue()));
        return out;
    }
}
