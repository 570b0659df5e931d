package dev.rnn4j.data.report;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.Gate;
import dev.rnn4j.cell.RecurrenceObserver;
import dev.rnn4j.cell.RecurrencePass;
import dev.rnn4j.io.Json;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.Examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model is and what it does with one sequence. {@link #record} describes the architecture, the parameter
 * counts, the provenance and histograms of the recurrent weights and biases per gate; {@link #exampleRecord} runs one
 * sequence and keeps the hidden state, the cell state and each gate at every step, with the input as its domain
 * shows it (the numbers of each step, or its characters). Log lines {@code "inspection"} and {@code "example"}.
 */
public final class InspectionView {
    static final String EVENT = "inspection";
    static final String EXAMPLE = "example";
    private static final int BINS = 40;

    private InspectionView() {}

    /** The model's description and its parameters' histograms. */
    public static Map<String, Object> record(SequenceModel model, String name, Map<String, Object> provenance) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", EVENT);
        line.put("model", name);
        line.put("spec", Json.parseObject(model.spec().toJson()));
        if (provenance != null) line.put("provenance", provenance);
        List<Object> parameters = new ArrayList<>();
        long total = 0;
        for (NamedParameter p : model.namedParameters()) {
            total += p.parameter().size();
            parameters.add(Map.of("name", p.name(), "shape", List.of(Arrays.stream(p.parameter().shape()).boxed().toArray()),
                    "count", p.parameter().size()));
        }
        line.put("parameters", parameters);
        line.put("total_parameters", total);
        RecurrentConfig config = model.recurrent().config();
        List<Gate> gates = Gate.of(config.cellType());
        int hidden = config.hiddenSize();
        List<Object> histograms = new ArrayList<>();
        for (NamedParameter p : model.namedParameters()) {
            String n = p.name();
            if (!(n.contains("weight_ih") || n.contains("weight_hh") || n.contains("bias_ih") || n.contains("bias_hh"))) continue;
            histograms.add(histograms(n, p.parameter().value(), gates));
        }
        line.put("histograms", histograms);
        return line;
    }

    /** One matrix's values split into its gate blocks (rows [g H, (g + 1) H)), each counted on the matrix's common bins. */
    private static Map<String, Object> histograms(String name, float[] v, List<Gate> gates) {
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            low = Math.min(low, x);
            high = Math.max(high, x);
        }
        if (!(high > low)) high = low + 1e-6;
        int blocks = Math.max(1, gates.size()), perBlock = v.length / blocks;
        Map<String, Object> counts = new LinkedHashMap<>();
        for (int g = 0; g < blocks; g++) {
            long[] c = new long[BINS];
            for (int i = g * perBlock; i < (g + 1) * perBlock; i++) c[Math.min(BINS - 1, (int) ((v[i] - low) / (high - low) * BINS))]++;
            counts.put(gates.isEmpty() ? "all" : gates.get(g).id(), Arrays.stream(c).boxed().toList());
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("name", name);
        h.put("from", low);
        h.put("to", high);
        h.put("gates", counts);
        return h;
    }

    /**
     * Runs one sequence (batch 1) and records every layer's states and gates at each step.
     *
     * @param index       the sequence's place in its data, for the title
     * @param inputSeries the input as numbers per step ([T][features]), or null
     * @param inputTokens the input as text per step, or null
     */
    public static Map<String, Object> exampleRecord(SequenceModel model, ModelInput input, int index, List<List<Double>> inputSeries,
                                                    List<String> inputTokens) {
        if (input.batch() != 1) throw new IllegalArgumentException("inspecting takes one sequence, got a batch of " + input.batch());
        RecurrentConfig config = model.recurrent().config();
        List<Object> layers = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int direction = 0; direction < config.directions(); direction++) {
                Recorder r = new Recorder(layer, direction, config.cellType());
                recorders.add(r);
                model.recurrent().setObserver(layer, direction, r);
            }
        }
        try {
            model.forward(input);
        } finally {
            for (Recorder r : recorders) model.recurrent().setObserver(r.layer, r.direction, null);
        }
        for (Recorder r : recorders) layers.add(r.values);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", EXAMPLE);
        line.put("index", index);
        if (inputSeries != null) line.put("input_series", inputSeries);
        if (inputTokens != null) line.put("input_tokens", inputTokens);
        line.put("layers", layers);
        return line;
    }

    /**
     * {@link #exampleRecord} for one example: its steps as {@code tokenTexts} spell them (the characters, the bases),
     * or else its features drawn as numbers (the first few).
     */
    public static Map<String, Object> exampleRecord(SequenceModel model, Example example, int index, List<String> tokenTexts) {
        List<List<Double>> series = null;
        if (example.features() != null && tokenTexts == null) {
            int features = example.features().length / example.steps();
            series = new ArrayList<>();
            for (int t = 0; t < example.steps(); t++) {
                List<Double> step = new ArrayList<>();
                for (int f = 0; f < features; f++) step.add((double) example.features()[t * features + f]);
                series.add(step);
            }
        }
        return exampleRecord(model, Examples.input(example), index, series, tokenTexts);
    }

    /** Copies one direction's states and gates, [T][H] each, out of a forward pass. */
    private static final class Recorder implements RecurrenceObserver {
        final int layer, direction;
        final CellType cell;
        final Map<String, Object> values = new LinkedHashMap<>();

        Recorder(int layer, int direction, CellType cell) {
            this.layer = layer;
            this.direction = direction;
            this.cell = cell;
        }

        @Override
        public void afterForward(RecurrencePass pass) {
            values.put("layer", layer);
            values.put("direction", direction);
            values.put("hidden", grid(pass, (t, row) -> pass.hiddenState(t, 0, row, 0)));
            if (cell.hasCellState()) values.put("cell", grid(pass, (t, row) -> pass.cellState(t, 0, row, 0)));
            Map<String, Object> gates = new LinkedHashMap<>();
            for (Gate g : Gate.of(cell)) gates.put(g.id(), grid(pass, (t, row) -> pass.gateValues(g, t, 0, row, 0)));
            values.put("gates", gates);
        }

        private interface StepCopy {
            void copy(int t, float[] row);
        }

        private static List<Object> grid(RecurrencePass pass, StepCopy copy) {
            List<Object> rows = new ArrayList<>();
            float[] row = new float[pass.hiddenSize()];
            for (int t = 0; t < pass.steps() && pass.hasStep(t, 0); t++) {
                copy.copy(t, row);
                List<Double> r = new ArrayList<>();
                for (float v : row) r.add((double) v);
                rows.add(r);
            }
            return rows;
        }
    }

    @SuppressWarnings("unchecked")
    static void addTo(ReportPage page, Map<String, Object> line) {
        if (EXAMPLE.equals(line.get("event"))) {
            addExample(page, line);
            return;
        }
        page.heading("The model: " + line.get("model"));
        Map<String, Object> spec = (Map<String, Object>) line.get("spec");
        Map<String, String> facts = new LinkedHashMap<>();
        spec.forEach((k, v) -> facts.put(k, Json.write(v)));
        facts.put("parameters", String.valueOf(line.get("total_parameters")));
        page.facts(facts);
        StringBuilder table = new StringBuilder("<table class=\"grid\"><tr><th>parameter</th><th>shape</th><th>values</th></tr>");
        for (Object o : (List<?>) line.get("parameters")) {
            Map<String, Object> p = (Map<String, Object>) o;
            table.append("<tr><td>").append(ReportPage.escape(String.valueOf(p.get("name")))).append("</td><td>")
                    .append(ReportPage.escape(String.valueOf(p.get("shape")))).append("</td><td>").append(p.get("count")).append("</td></tr>");
        }
        page.html(table.append("</table>").toString());
        if (line.get("provenance") instanceof Map<?, ?> provenance) {
            page.subheading("Provenance");
            Map<String, String> p = new LinkedHashMap<>();
            provenance.forEach((k, v) -> p.put(String.valueOf(k), v instanceof String s ? s : Json.write(v)));
            page.facts(p);
        }
        page.subheading("Weights and biases per gate");
        page.note("The distribution of each recurrent weight matrix and bias, one chart per gate block. Click a name to hide it.");
        for (Object o : (List<?>) line.get("histograms")) {
            Map<String, Object> h = (Map<String, Object>) o;
            double from = ((Number) h.get("from")).doubleValue(), to = ((Number) h.get("to")).doubleValue();
            List<Double> x = new ArrayList<>();
            for (int b = 0; b < BINS; b++) x.add(from + (b + 0.5) * (to - from) / BINS);
            List<ReportPage.Series> series = new ArrayList<>();
            int color = 0;
            for (var gate : ((Map<String, Object>) h.get("gates")).entrySet()) {
                series.add(ReportPage.Series.line(gate.getKey(), ForecastView.numbers(gate.getValue()),
                        ReportPage.COLORS.get(color++ % ReportPage.COLORS.size())));
            }
            page.chart(new ReportPage.Chart(String.valueOf(h.get("name")), "value", "count", x, series, false, null, List.of()));
        }
    }

    @SuppressWarnings("unchecked")
    private static void addExample(ReportPage page, Map<String, Object> line) {
        page.heading("Sequence " + line.get("index") + ": states and gates over time");
        page.note("Each heatmap's rows are the units, its columns the time steps; the input is drawn above them.");
        if (line.get("input_series") instanceof List<?> series && !series.isEmpty()) {
            List<Integer> x = new ArrayList<>();
            int features = ((List<?>) series.getFirst()).size();
            List<List<Double>> columns = new ArrayList<>();
            for (int f = 0; f < Math.min(features, 6); f++) columns.add(new ArrayList<>());
            for (int t = 0; t < series.size(); t++) {
                x.add(t + 1);
                List<?> step = (List<?>) series.get(t);
                for (int f = 0; f < columns.size(); f++) columns.get(f).add(((Number) step.get(f)).doubleValue());
            }
            List<ReportPage.Series> s = new ArrayList<>();
            for (int f = 0; f < columns.size(); f++) s.add(ReportPage.Series.line("input " + (f + 1), columns.get(f), ReportPage.COLORS.get(f)));
            page.chart(new ReportPage.Chart("The input", "time step", "value", x, s, false, null, List.of()));
        }
        if (line.get("input_tokens") instanceof List<?> tokens) {
            StringBuilder html = new StringBuilder("<div class=\"tokens\"><b>The input:</b> ");
            for (Object t : tokens) html.append("<span>").append(ReportPage.escape(String.valueOf(t))).append("</span>");
            page.html(html.append("</div>").toString());
        }
        for (Object o : (List<?>) line.get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) o;
            String name = "layer " + (((Number) layer.get("layer")).intValue() + 1)
                    + (((Number) layer.get("direction")).intValue() == 1 ? " (reverse direction)" : "");
            heat(page, "hidden state h_t, " + name, (List<?>) layer.get("hidden"), "h");
            if (layer.get("cell") instanceof List<?> cell) heat(page, "cell state c_t, " + name, cell, "c");
            for (var g : ((Map<String, Object>) layer.get("gates")).entrySet()) {
                heat(page, g.getKey() + " gate, " + name, (List<?>) g.getValue(), g.getKey());
            }
        }
    }

    /** A [T][H] grid drawn with the units as rows and the time steps as columns. */
    private static void heat(ReportPage page, String caption, List<?> steps, String valueLabel) {
        if (steps.isEmpty()) return;
        int t = steps.size(), h = ((List<?>) steps.getFirst()).size();
        double[][] grid = new double[h][t];
        for (int s = 0; s < t; s++) {
            List<?> row = (List<?>) steps.get(s);
            for (int u = 0; u < h; u++) grid[u][s] = ((Number) row.get(u)).doubleValue();
        }
        List<String> units = new ArrayList<>();
        for (int u = 0; u < h; u++) units.add(String.valueOf(u + 1));
        page.heatmap(caption, Heatmap.of(grid, false), "unit", units, "time step", 1, valueLabel);
    }
}
