package dev.rnn4j.data.report;

import dev.rnn4j.data.app.OutputFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report of a training run, drawn from its JSON-lines log ({@link RunLog}): the training curves, the gradient
 * reaching each time step over training (the vanishing and exploding gradient view) and the saturation of the
 * gates, followed by the task's own views.
 *
 * <pre>{@code
 * TrainingReport.write(Path.of("runs/a/run.jsonl"), Path.of("runs/a"), "adding problem, LSTM", List.of());  // runs/a/index.html
 * }</pre>
 */
public final class TrainingReport {
    /** The log's name inside a report directory. */
    public static final String LOG_FILE = "run.jsonl";
    /** The page's name inside a report directory. */
    public static final String PAGE_FILE = "index.html";

    private TrainingReport() {}

    /**
     * Writes {@code dir/index.html} (atomically; the folder is created) from the log: the training's sections, if it
     * trained, then the task's views ({@link TaskViews}). The title is the log's (see {@link RunLog#title}), else the
     * log's file name. Returns the page's path.
     *
     * @throws dev.rnn4j.data.DataFileException when the log cannot be read
     */
    public static Path write(Path log, Path dir) {
        RunLog run = RunLog.read(log);
        ReportPage page = new ReportPage(run.title("rnn4j: " + log.getFileName()));
        if (!run.steps().isEmpty() || run.views().stream().noneMatch(TaskViews::known)) addTo(page, run);
        for (Map<String, Object> view : run.views()) TaskViews.addTo(page, view);
        return writePage(page, dir);
    }

    /** Writes a page as {@code dir/index.html}, creating the folder. */
    public static Path writePage(ReportPage page, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the report folder: " + e.getMessage(), e);
        }
        Path file = dir.resolve(PAGE_FILE);
        OutputFiles.writeAtomically(file, page.render());
        return file;
    }

    /** The training sections of a run: curves, gradients by time step, gate saturation. */
    public static void addTo(ReportPage page, RunLog run) {
        trainingCurves(page, run);
        gradientView(page, run);
        gateSaturation(page, run);
    }

    private static void trainingCurves(ReportPage page, RunLog run) {
        page.heading("Training");
        if (run.steps().isEmpty()) {
            page.note("The log has no training steps yet.");
            return;
        }
        double clip = run.clipNorm();
        long clipped = Double.isNaN(clip) ? 0 : run.steps().stream().filter(s -> s.gradientNorm() > clip).count();
        long best = run.bestStep();
        Map<String, String> facts = new LinkedHashMap<>();
        if (!run.run().isEmpty()) {
            facts.put("network", run.run().get("cell") + ", " + run.run().get("layers") + " layer(s) of " + run.run().get("hidden_size")
                    + (((Number) run.run().get("directions")).intValue() == 2 ? ", bidirectional" : ""));
        }
        facts.put("training steps", String.valueOf(run.steps().getLast().step()));
        facts.put("last training loss", ReportPage.number(run.steps().getLast().loss()));
        if (!run.epochs().isEmpty()) {
            facts.put("best validation loss", ReportPage.number(run.epochs().getLast().bestLoss()) + " at step " + best
                    + (run.stoppedEarly() ? " (early stopping ended the run)" : ""));
        }
        if (!Double.isNaN(clip)) facts.put("gradient clipping", "to norm " + ReportPage.number(clip) + ": " + clipped + " of "
                + run.steps().size() + " steps clipped");
        page.facts(facts);

        // one x axis for both curves: every training step, the validations at their steps
        List<Long> x = new ArrayList<>();
        List<Double> loss = new ArrayList<>(), validation = new ArrayList<>(), rate = new ArrayList<>(), norm = new ArrayList<>(),
                clipEvents = new ArrayList<>(), clipLine = new ArrayList<>();
        Map<Long, Double> validationAt = new TreeMap<>();
        for (RunLog.Validation v : run.epochs()) validationAt.put(v.step(), v.loss());
        for (RunLog.Step s : run.steps()) {
            x.add(s.step());
            loss.add(s.loss());
            validation.add(validationAt.get(s.step()));
            rate.add(s.learningRate());
            norm.add(s.gradientNorm());
            clipEvents.add(s.gradientNorm() > clip ? s.gradientNorm() : null);
            clipLine.add(Double.isNaN(clip) ? null : clip);
        }
        List<ReportPage.Mark> marks = best > 0 ? List.of(new ReportPage.Mark(best, "best validation (step " + best + ")")) : List.of();
        List<ReportPage.Series> lossSeries = new ArrayList<>(List.of(ReportPage.Series.line("training loss", loss, ReportPage.COLORS.get(0))));
        if (!validationAt.isEmpty()) {
            lossSeries.add(new ReportPage.Series("validation loss", validation, ReportPage.COLORS.get(1), false, false));
        }
        page.chart(new ReportPage.Chart("Loss", "step", "loss", x, lossSeries, positive(loss), null, marks));
        List<ReportPage.Series> normSeries = new ArrayList<>(List.of(ReportPage.Series.line("gradient norm (before clipping)", norm,
                ReportPage.COLORS.get(0))));
        if (!Double.isNaN(clip)) {
            normSeries.add(new ReportPage.Series("clipped steps", clipEvents, ReportPage.COLORS.get(3), true, false));
            normSeries.add(new ReportPage.Series("clipping threshold", clipLine, ReportPage.COLORS.get(7), false, true));
        }
        page.chart(new ReportPage.Chart("Global gradient norm per step", "step", "‖∇‖", x, normSeries, positive(norm), null, marks));
        page.chart(new ReportPage.Chart("Learning rate", "step", "learning rate", x,
                List.of(ReportPage.Series.line("learning rate", rate, ReportPage.COLORS.get(2))), false, null, marks));
    }

    private static void gradientView(ReportPage page, RunLog run) {
        page.heading("How far back the gradient reaches");
        if (run.gradients().isEmpty()) {
            page.note("The log has no gradient samples (they come from a run trained with a report or TrainingProbe).");
            return;
        }
        page.note("Each row is a sampled training step, each column a time step of its batch; the colour is ‖dL/dh_t‖, "
                + "the size of the loss's gradient that reaches the hidden state at step t. A gradient that fades towards "
                + "the left (vanishes) means the network cannot learn from inputs that far back; one that grows (explodes) "
                + "makes training unstable.");
        for (int[] key : directions(run.gradients().stream().map(g -> new int[] {g.layer(), g.direction()}).toList())) {
            List<RunLog.GradientSample> samples = run.gradients().stream()
                    .filter(g -> g.layer() == key[0] && g.direction() == key[1]).toList();
            double[][] grid = new double[samples.size()][];
            List<String> rowNames = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                grid[i] = samples.get(i).norms();
                rowNames.add(String.valueOf(samples.get(i).step()));
            }
            String name = directionName(key[0], key[1]);
            int bin = samples.getLast().bin();
            page.heatmap("‖dL/dh_t‖ over training, " + name, Heatmap.of(grid, true), "training step", rowNames, "time step", bin, "‖dL/dh_t‖");
            RunLog.GradientSample first = samples.getFirst(), last = samples.getLast();
            List<Integer> t = new ArrayList<>();
            List<Double> firstCurve = new ArrayList<>(), lastCurve = new ArrayList<>();
            int width = Math.max(first.norms().length, last.norms().length);
            for (int i = 0; i < width; i++) {
                t.add(i * bin + 1);
                firstCurve.add(i < first.norms().length ? first.norms()[i] : null);
                lastCurve.add(i < last.norms().length ? last.norms()[i] : null);
            }
            List<ReportPage.Series> curves = new ArrayList<>();
            curves.add(ReportPage.Series.line("step " + last.step(), lastCurve, ReportPage.COLORS.get(0)));
            if (samples.size() > 1) curves.add(new ReportPage.Series("step " + first.step(), firstCurve, ReportPage.COLORS.get(7), false, true));
            page.chart(new ReportPage.Chart("‖dL/dh_t‖ at the last sample, " + name, "time step", "‖dL/dh_t‖", t, curves,
                    positive(lastCurve), null, List.of()));
            double[] n = last.norms();
            if (n.length > 1 && n[n.length - 1] > 0) {
                page.note("At step " + last.step() + ", ‖dL/dh_1‖ / ‖dL/dh_T‖ = " + ReportPage.number(n[0] / n[n.length - 1]) + ".");
            }
        }
    }

    private static void gateSaturation(ReportPage page, RunLog run) {
        if (run.gates().isEmpty()) return;
        page.heading("Gate saturation");
        page.note("The fraction of each gate's values near 0 (below " + TrainingProbe.NEAR + ", closed) and near 1 (above "
                + (1 - TrainingProbe.NEAR) + ", open) over the units, sequences and steps of a sampled batch. A forget gate "
                + "that stays open carries the cell state, and the gradient, across long spans.");
        for (int[] key : directions(run.gates().stream().map(g -> new int[] {g.layer(), g.direction()}).toList())) {
            List<RunLog.GateSample> samples = run.gates().stream().filter(g -> g.layer() == key[0] && g.direction() == key[1]).toList();
            List<Long> x = samples.stream().map(RunLog.GateSample::step).toList();
            List<ReportPage.Series> series = new ArrayList<>();
            int color = 0;
            for (String gate : samples.getFirst().nearZero().keySet()) {
                String c = ReportPage.COLORS.get(color++ % ReportPage.COLORS.size());
                series.add(new ReportPage.Series(gate + " near 0", samples.stream().map(g -> g.nearZero().get(gate)).toList(), c, false, true));
                series.add(ReportPage.Series.line(gate + " near 1", samples.stream().map(g -> g.nearOne().get(gate)).toList(), c));
            }
            double top = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                    .mapToDouble(Number::doubleValue).max().orElse(0);
            page.chart(new ReportPage.Chart("Gate saturation, " + directionName(key[0], key[1]), "step", "fraction", x, series, false,
                    new double[] {0, Math.min(1, Math.max(0.05, top * 1.15))}, List.of()));
        }
    }

    /** The distinct (layer, direction) pairs, in order. */
    private static List<int[]> directions(List<int[]> keys) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (int[] k : keys) seen.add(k[0] * 2 + k[1]);
        return seen.stream().map(k -> new int[] {k / 2, k % 2}).toList();
    }

    private static String directionName(int layer, int direction) {
        return "layer " + (layer + 1) + (direction == 1 ? " (reverse direction)" : "");
    }

    /** Whether every non-null value is positive, so the chart can use a log scale. */
    private static boolean positive(List<Double> values) {
        return values.stream().allMatch(v -> v == null || !Double.isFinite(v) || v > 0);
    }
}
