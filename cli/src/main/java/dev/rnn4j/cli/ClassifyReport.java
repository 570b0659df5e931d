package dev.rnn4j.cli;

import dev.rnn4j.data.classify.ClassificationMetrics;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints classification scores: the summary, each class's precision, recall and F1, and the confusion matrix. */
final class ClassifyReport {
    private ClassifyReport() {}

    static void print(PrintWriter out, String title, ClassificationMetrics m) {
        out.printf(Locale.ROOT, "%s (%d records): accuracy %.4f, balanced accuracy %.4f, macro F1 %.4f, MCC %.4f%s%n", title, m.count(),
                m.accuracy(), m.balancedAccuracy(), m.macroF1(), m.mcc(),
                m.labels().size() == 2 ? String.format(Locale.ROOT, ", ROC AUC %.4f", m.rocAuc()) : "");
        List<String> labels = m.labels();
        int w = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(5) + 2);
        out.printf(Locale.ROOT, "  %-" + w + "s %9s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "error %", "support");
        for (int c = 0; c < labels.size(); c++) {
            out.printf(Locale.ROOT, "  %-" + w + "s %9.4f %9.4f %9.4f %9.2f %9d%n", labels.get(c), m.precision(c), m.recall(c), m.f1(c),
                    100 * m.errorRate(c), m.support(c));
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-" + w + "s", "true \\ predicted"));
        for (String l : labels) header.append(String.format(Locale.ROOT, " %8s", l));
        out.println(header);
        for (int c = 0; c < labels.size(); c++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-" + w + "s", labels.get(c)));
            for (long v : m.confusion()[c]) row.append(String.format(Locale.ROOT, " %8d", v));
            out.println(row);
        }
    }
}
