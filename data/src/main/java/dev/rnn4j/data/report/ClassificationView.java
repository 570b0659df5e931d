package dev.rnn4j.data.report;

import dev.rnn4j.data.classify.ClassificationMetrics;
import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.data.classify.LabelledSequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classification view: the confusion matrix, the ROC curve for two classes, the worst-classified records and,
 * with attention pooling, where the model looked in each of them. Recorded in the log as one line:
 * <pre>{@code
 * {"event":"classification","source":"test part","labels":["a","b"],"confusion":[[50,3],[4,43]],"roc_auc":0.97,
 *  "roc":[[0,0],[0.02,0.4],...],"worst":[{"id":"seq17","label":"a","predicted":"b","p_label":0.03,"attention":[...]}]}
 * }</pre>
 */
public final class ClassificationView {
    static final String EVENT = "classification";
    /** Records listed as the worst classified. */
    public static final int WORST = 10;
    private static final int ROC_POINTS = 400;

    private ClassificationView() {}

    /** The view's log line for a model scored on labelled records (their labels in {@code truth}, as class ids). */
    public static Map<String, Object> record(ClassifierModel model, String source, List<LabelledSequence> records, int[] truth) {
        double[][] p = model.probabilities(records);
        ClassificationMetrics metrics = ClassificationMetrics.of(model.classes(), truth, p);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", EVENT);
        line.put("source", source);
        line.put("labels", model.classes());
        List<Object> confusion = new ArrayList<>();
        for (long[] row : metrics.confusion()) confusion.add(Arrays.stream(row).boxed().toList());
        line.put("confusion", confusion);
        if (model.classes().size() == 2) {
            line.put("roc_auc", metrics.rocAuc());
            line.put("roc", roc(truth, p));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble(i -> p[i][truth[i]]));
        List<Object> worst = new ArrayList<>();
        for (int i : order.subList(0, Math.min(WORST, order.size()))) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", records.get(i).id());
            w.put("label", model.classes().get(truth[i]));
            w.put("predicted", model.classes().get(ClassificationMetrics.argmax(p[i])));
            w.put("p_label", p[i][truth[i]]);
            model.probabilities(List.of(records.get(i))); // one record alone, so the attention weights are its own
            float[] attention = model.lastAttentionWeights();
            if (attention != null) {
                List<Double> a = new ArrayList<>();
                int steps = records.get(i).views().getFirst().steps(), views = records.get(i).views().size(); // [T, views]
                for (int t = 0; t < steps && t * views < attention.length; t++) a.add((double) attention[t * views]);
                w.put("attention", a);
            }
            worst.add(w);
        }
        line.put("worst", worst);
        return line;
    }

    /** (false positive rate, true positive rate) as the threshold on p(class 1) falls, at most ROC_POINTS of them. */
    static List<List<Double>> roc(int[] truth, double[][] p) {
        Integer[] order = new Integer[truth.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> -p[i][1]));
        long positives = Arrays.stream(truth).filter(t -> t == 1).count(), negatives = truth.length - positives;
        List<List<Double>> points = new ArrayList<>(List.of(List.of(0.0, 0.0)));
        long tp = 0, fp = 0;
        int every = Math.max(1, order.length / ROC_POINTS);
        for (int k = 0; k < order.length; k++) {
            if (truth[order[k]] == 1) tp++;
            else fp++;
            if ((k + 1) % every == 0 || k == order.length - 1) {
                points.add(List.of(negatives == 0 ? 0 : fp / (double) negatives, positives == 0 ? 0 : tp / (double) positives));
            }
        }
        return points;
    }

    @SuppressWarnings("unchecked")
    static void addTo(ReportPage page, Map<String, Object> line) {
        List<String> labels = (List<String>) line.get("labels");
        List<List<Number>> confusion = (List<List<Number>>) line.get("confusion");
        page.heading("Classification: " + line.get("source"));
        StringBuilder table = new StringBuilder("<table class=\"grid confusion\"><tr><th>true \\ predicted</th>");
        for (String l : labels) table.append("<th>").append(ReportPage.escape(l)).append("</th>");
        table.append("</tr>");
        for (int r = 0; r < labels.size(); r++) {
            long total = confusion.get(r).stream().mapToLong(Number::longValue).sum();
            table.append("<tr><th>").append(ReportPage.escape(labels.get(r))).append("</th>");
            for (int c = 0; c < labels.size(); c++) {
                long n = confusion.get(r).get(c).longValue();
                double share = total == 0 ? 0 : n / (double) total;
                int rgb = Heatmap.viridis(share);
                String text = share > 0.6 ? "#000" : "#fff";
                table.append(String.format(Locale.ROOT, "<td style=\"background:#%06x;color:%s\" title=\"%.1f%% of %s\">%d</td>",
                        rgb, text, 100 * share, ReportPage.escape(labels.get(r)), n));
            }
            table.append("</tr>");
        }
        table.append("</table>");
        page.subheading("Confusion matrix");
        page.note("Rows are the true classes, columns the predicted; the colour is the share of the row.");
        page.html(table.toString());
        if (line.get("roc") instanceof List<?> roc) {
            List<Double> fpr = new ArrayList<>(), tpr = new ArrayList<>(), chance = new ArrayList<>();
            for (Object o : roc) {
                List<Number> point = (List<Number>) o;
                fpr.add(point.get(0).doubleValue());
                tpr.add(point.get(1).doubleValue());
                chance.add(point.get(0).doubleValue());
            }
            page.chart(new ReportPage.Chart("ROC, AUC " + ReportPage.number(((Number) line.get("roc_auc")).doubleValue()) + " (positive class "
                    + labels.get(1) + ")", "false positive rate", "true positive rate", fpr,
                    List.of(ReportPage.Series.line("model", tpr, ReportPage.COLORS.get(0)),
                            new ReportPage.Series("chance", chance, ReportPage.COLORS.get(7), false, true)),
                    false, new double[] {0, 1}, List.of()));
        }
        page.subheading("The worst-classified records");
        StringBuilder worst = new StringBuilder("<table class=\"grid\"><tr><th>record</th><th>label</th><th>predicted</th><th>p(label)</th><th>attention over the steps</th></tr>");
        for (Object o : (List<?>) line.get("worst")) {
            Map<String, Object> w = (Map<String, Object>) o;
            worst.append("<tr><td>").append(ReportPage.escape(String.valueOf(w.get("id")))).append("</td><td>")
                    .append(ReportPage.escape(String.valueOf(w.get("label")))).append("</td><td>")
                    .append(ReportPage.escape(String.valueOf(w.get("predicted")))).append("</td><td>")
                    .append(ReportPage.number(((Number) w.get("p_label")).doubleValue())).append("</td><td>");
            if (w.get("attention") instanceof List<?> a && !a.isEmpty()) {
                double[][] row = {ForecastView.numbers(a).stream().mapToDouble(Double::doubleValue).toArray()};
                Heatmap map = Heatmap.of(row, false);
                int cell = Math.max(1, Math.min(8, 320 / row[0].length));
                worst.append("<img alt=\"attention\" width=\"").append(row[0].length * cell).append("\" height=\"10\" src=\"")
                        .append(Heatmap.dataUrl(map.png(cell, 10))).append("\">");
            }
            worst.append("</td></tr>");
        }
        page.html(worst.append("</table>").toString());
    }
}
