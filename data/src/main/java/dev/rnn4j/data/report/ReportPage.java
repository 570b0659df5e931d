package dev.rnn4j.data.report;

import dev.rnn4j.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML report page: headings, text, tables, charts and heatmaps, written as one file that
 * opens from disk with no network. Charts are drawn in the browser by uPlot (MIT; inlined with its licence, see
 * {@code scripts/update-uplot}), which gives hover values and series toggles in its legend; heatmaps are PNGs
 * ({@link Heatmap}) inlined as data: URLs. A content security policy forbids the page any request of its own.
 */
public final class ReportPage {
    /** The width of a chart, in CSS pixels. */
    public static final int CHART_WIDTH = 900;
    public static final int CHART_HEIGHT = 280;
    private static final String RESOURCES = "/dev/rnn4j/data/report/";

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Map<String, Object>> charts = new ArrayList<>();
    private int ids;

    public ReportPage(String title) {
        this.title = title;
    }

    /** A series of a chart: values aligned with the chart's x (null where it has none). */
    public record Series(String label, List<? extends Number> values, String color, boolean pointsOnly, boolean dashed) {
        public static Series line(String label, List<? extends Number> values, String color) {
            return new Series(label, values, color, false, false);
        }
    }

    /** A dashed vertical line across a chart at x, labelled. */
    public record Mark(double x, String label) {}

    /** A shaded stretch of a chart's x axis, labelled (a test part, say). */
    public record Span(double from, double to, String label) {}

    /** The area between two series (indices into the chart's series) filled, as a prediction interval's band. */
    public record Band(int upper, int lower) {}

    /**
     * A chart's description; {@code yRange} null to fit the data; {@code xNames} (or null) label the x values 0, 1, ...
     * (time stamps, say) on the axis and in the legend.
     */
    public record Chart(String title, String xLabel, String yLabel, List<? extends Number> x, List<Series> series, boolean logY,
                        double[] yRange, List<Mark> marks, List<String> xNames, List<Span> spans, List<Band> bands) {
        public Chart {
            for (Series s : series) {
                if (s.values().size() != x.size()) {
                    throw new IllegalArgumentException("series " + s.label() + " has " + s.values().size() + " values for " + x.size() + " x values");
                }
            }
        }

        public Chart(String title, String xLabel, String yLabel, List<? extends Number> x, List<Series> series, boolean logY,
                     double[] yRange, List<Mark> marks) {
            this(title, xLabel, yLabel, x, series, logY, yRange, marks, null, List.of(), List.of());
        }
    }

    /** Colours of series, in order (matplotlib's tab10). */
    public static final List<String> COLORS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf");

    public ReportPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public ReportPage subheading(String text) {
        body.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    /** A paragraph of plain text. */
    public ReportPage note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** HTML the caller built and escaped itself (with {@link #escape}). */
    public ReportPage html(String html) {
        body.append(html).append('\n');
        return this;
    }

    /** A two-column table of facts. */
    public ReportPage facts(Map<String, String> facts) {
        body.append("<table class=\"facts\">");
        facts.forEach((k, v) -> body.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>"));
        body.append("</table>\n");
        return this;
    }

    /** A chart, drawn by the page's script at {@link #CHART_WIDTH} by {@link #CHART_HEIGHT}. */
    public ReportPage chart(Chart chart) {
        String id = "chart-" + (++ids);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("id", id);
        spec.put("title", chart.title());
        spec.put("xLabel", chart.xLabel());
        spec.put("yLabel", chart.yLabel());
        spec.put("width", CHART_WIDTH);
        spec.put("height", CHART_HEIGHT);
        spec.put("logY", chart.logY());
        if (chart.yRange() != null) spec.put("yRange", List.of(chart.yRange()[0], chart.yRange()[1]));
        spec.put("x", finite(chart.x()));
        List<Object> series = new ArrayList<>();
        for (Series s : chart.series()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("label", s.label());
            o.put("values", finite(s.values()));
            o.put("color", s.color());
            o.put("points", s.pointsOnly());
            o.put("dash", s.dashed());
            series.add(o);
        }
        spec.put("series", series);
        List<Object> marks = new ArrayList<>();
        for (Mark m : chart.marks()) marks.add(Map.of("x", m.x(), "label", m.label()));
        spec.put("marks", marks);
        if (chart.xNames() != null) spec.put("xNames", chart.xNames());
        List<Object> spans = new ArrayList<>();
        for (Span sp : chart.spans()) spans.add(Map.of("from", sp.from(), "to", sp.to(), "label", sp.label()));
        spec.put("spans", spans);
        List<Object> bands = new ArrayList<>();
        for (Band b : chart.bands()) bands.add(List.of(b.upper() + 1, b.lower() + 1)); // uPlot counts x as series 0
        spec.put("bands", bands);
        charts.add(spec);
        body.append("<div class=\"chart\" id=\"").append(id).append("\" data-width=\"").append(CHART_WIDTH).append("\" data-height=\"")
                .append(CHART_HEIGHT).append("\"></div>\n");
        return this;
    }

    /**
     * A heatmap with its axes' labels and colour bar; hovering shows the value of a cell.
     *
     * @param rowNames   the label of each row (a training step, say), top to bottom
     * @param colBin     time steps per column (1 unless the values were binned)
     * @param valueLabel what the colours mean
     */
    public ReportPage heatmap(String caption, Heatmap map, String rowLabel, List<String> rowNames, String colLabel, int colBin,
                              String valueLabel) {
        String id = "heatmap-" + (++ids);
        int cols = Math.max(1, map.cols()), rows = Math.max(1, map.rows());
        int cellWidth = Math.max(1, Math.min(24, 800 / cols)), cellHeight = Math.max(1, Math.min(24, 320 / rows));
        int width = cols * cellWidth, height = rows * cellHeight;
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("rowLabel", rowLabel);
        grid.put("colLabel", colLabel);
        grid.put("colBin", colBin);
        grid.put("cols", cols);
        grid.put("rowNames", rowNames);
        List<Object> values = new ArrayList<>();
        for (double[] row : map.values()) {
            List<Object> r = new ArrayList<>();
            for (double v : row) r.add(Double.isFinite(v) ? (Object) (float) v : null);
            values.add(r);
        }
        grid.put("values", values);
        body.append("<figure class=\"heatmap\"><figcaption><b>").append(escape(caption)).append("</b></figcaption>\n");
        body.append("<div class=\"axis\" style=\"width:").append(width).append("px\"><span>").append(escape(rowLabel))
                .append(" ").append(escape(rowNames.isEmpty() ? "" : rowNames.getFirst())).append(" at the top, ")
                .append(escape(rowNames.isEmpty() ? "" : rowNames.getLast())).append(" at the bottom</span></div>\n");
        body.append("<img class=\"map\" alt=\"").append(escape(caption)).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" data-grid=\"").append(id).append("-grid\" data-readout=\"").append(id).append("-readout\" src=\"")
                .append(Heatmap.dataUrl(map.png(cellWidth, cellHeight))).append("\">\n");
        body.append("<div class=\"axis\" style=\"width:").append(width).append("px\"><span>").append(escape(colLabel)).append(" 1</span><span>")
                .append(escape(colLabel)).append(" →</span><span>").append(map.cols() * colBin).append("</span></div>\n");
        body.append("<div class=\"legend\"><span>").append(number(map.low())).append("</span><img alt=\"colour scale\" width=\"240\" height=\"12\" src=\"")
                .append(Heatmap.dataUrl(Heatmap.legendPng(240, 12))).append("\"><span>").append(number(map.high())).append("</span><span>")
                .append(escape(valueLabel)).append(map.log() ? " (log scale)" : "").append("</span></div>\n");
        body.append("<div class=\"readout\" id=\"").append(id).append("-readout\"></div>\n");
        body.append("<script type=\"application/json\" id=\"").append(id).append("-grid\">").append(scriptJson(grid)).append("</script>\n");
        body.append("</figure>\n");
        return this;
    }

    /** The whole page. */
    public String render() {
        StringBuilder page = new StringBuilder(200_000);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; ")
                .append("style-src 'unsafe-inline'; img-src data:\">\n");
        page.append("<title>").append(escape(title)).append("</title>\n");
        page.append("<style>\n").append(resource("uPlot.min.css")).append('\n').append(resource("report.css")).append("</style>\n");
        page.append("</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        page.append(body);
        page.append("<footer>Drawn by rnn4j. Charts by uPlot ").append(resource("uPlot.VERSION").strip())
                .append(" (MIT licence, in this page's source).</footer>\n");
        page.append("<script type=\"application/json\" id=\"report-charts\">").append(scriptJson(charts)).append("</script>\n");
        page.append("<script>\n/*\n").append(resource("uPlot.LICENSE").replace("*/", "* /")).append("*/\n")
                .append(resource("uPlot.iife.min.js")).append("\n</script>\n");
        page.append("<script>\n").append(resource("report.js")).append("</script>\n");
        page.append("</body>\n</html>\n");
        return page.toString();
    }

    /** Text for HTML: &amp;, &lt;, &gt; and quotes escaped. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A number as the page prints it: 4 significant digits. */
    public static String number(double v) {
        if (!Double.isFinite(v)) return "-";
        return v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    /** JSON inside a script element: "</" cannot end it early. */
    private static String scriptJson(Object value) {
        return Json.write(value).replace("</", "<\\/");
    }

    private static List<Object> finite(List<? extends Number> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Number n : values) out.add(n == null || !Double.isFinite(n.doubleValue()) ? null : n);
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("the report resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
