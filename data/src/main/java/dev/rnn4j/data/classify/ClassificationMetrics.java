package dev.rnn4j.data.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of a classifier on labelled examples, as scikit-learn defines them:
 * <ul>
 *   <li>accuracy: correct / n;</li>
 *   <li>balanced accuracy: the mean over classes of recall (classes without examples left out);</li>
 *   <li>per class: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), each 0 when its
 *       denominator is 0 (scikit-learn's {@code zero_division=0}), and the support n_k;</li>
 *   <li>macro F1: the unweighted mean of the per-class F1 over the classes;</li>
 *   <li>MCC: Matthews' correlation, for K classes Gorodkin's R_K from the confusion matrix C:
 *       (c·s − Σ_k p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), with c the correct count, s = n, p_k predicted and t_k
 *       true counts of class k; 0 when a denominator is 0;</li>
 *   <li>ROC AUC (two classes only): the probability that a random positive (the second class) scores above a random
 *       negative, ties counting half (the Mann-Whitney statistic).</li>
 * </ul>
 *
 * @param labels    the class names, in index order
 * @param confusion [true class][predicted class] counts
 * @param rocAuc    NaN for more than two classes, or when a class has no example
 */
public record ClassificationMetrics(List<String> labels, long[][] confusion, double rocAuc) {

    /**
     * @param truth         true class ids [n]
     * @param probabilities [n][K] predicted probabilities; the prediction is the most probable class (the first on ties)
     */
    public static ClassificationMetrics of(List<String> labels, int[] truth, double[][] probabilities) {
        int k = labels.size();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < truth.length; i++) confusion[truth[i]][argmax(probabilities[i])]++;
        double auc = Double.NaN;
        if (k == 2) {
            double[] positive = new double[truth.length];
            for (int i = 0; i < truth.length; i++) positive[i] = probabilities[i][1];
            auc = rocAuc(truth, positive);
        }
        return new ClassificationMetrics(List.copyOf(labels), confusion, auc);
    }

    /** Adds up the confusion matrices of cross-validation folds (the pooled confusion); AUC is left out. */
    public static ClassificationMetrics pooled(List<ClassificationMetrics> folds) {
        int k = folds.getFirst().labels().size();
        long[][] sum = new long[k][k];
        for (ClassificationMetrics f : folds) {
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) sum[i][j] += f.confusion()[i][j];
        }
        return new ClassificationMetrics(folds.getFirst().labels(), sum, Double.NaN);
    }

    public static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return best;
    }

    /** Mann-Whitney AUC of the scores of class 1 against class 0, ties counting half; NaN if a class is absent. */
    static double rocAuc(int[] truth, double[] score) {
        Integer[] order = new Integer[truth.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1; // the mean rank of a run of ties
            for (int m = i; m <= j; m++) {
                if (truth[order[m]] == 1) {
                    rankSumPositive += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = truth.length - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    public long count() {
        long n = 0;
        for (long[] row : confusion) for (long c : row) n += c;
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) correct += confusion[c][c];
        return count() == 0 ? Double.NaN : (double) correct / count();
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) predicted += row[c];
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        long support = support(c);
        return support == 0 ? 0 : (double) confusion[c][c] / support;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public long support(int c) {
        long n = 0;
        for (long v : confusion[c]) n += v;
        return n;
    }

    public double balancedAccuracy() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (support(c) == 0) continue;
            sum += recall(c);
            present++;
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) sum += f1(c);
        return sum / confusion.length;
    }

    public double mcc() {
        int k = confusion.length;
        double s = count(), correct = 0, pt = 0, pp = 0, tt = 0;
        for (int c = 0; c < k; c++) {
            correct += confusion[c][c];
            double predicted = 0, truth = support(c);
            for (long[] row : confusion) predicted += row[c];
            pt += predicted * truth;
            pp += predicted * predicted;
            tt += truth * truth;
        }
        double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
        return denominator == 0 ? 0 : (correct * s - pt) / denominator;
    }

    /** The error rate of class c: 1 − recall, as the splice literature's per-class error. */
    public double errorRate(int c) {
        return 1 - recall(c);
    }

    /**
     * {@code {"accuracy", "balanced_accuracy", "macro_f1", "mcc", "roc_auc" (two classes), "per_class": {LABEL:
     * {"precision", "recall", "f1", "support"}}, "confusion": {"labels": [...], "matrix": [[...]]}, "count"}}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", finite(accuracy()));
        json.put("balanced_accuracy", finite(balancedAccuracy()));
        json.put("macro_f1", finite(macroF1()));
        json.put("mcc", finite(mcc()));
        if (labels.size() == 2) json.put("roc_auc", finite(rocAuc));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", precision(c));
            m.put("recall", recall(c));
            m.put("f1", f1(c));
            m.put("support", support(c));
            perClass.put(labels.get(c), m);
        }
        json.put("per_class", perClass);
        List<Object> rows = new ArrayList<>();
        for (long[] row : confusion) rows.add(row.clone());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("labels", labels);
        c.put("matrix", rows);
        json.put("confusion", c);
        json.put("count", count());
        return json;
    }

    /** The scalar scores by name, for cross-validation summaries. */
    public Map<String, Double> scalars() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("balanced_accuracy", balancedAccuracy());
        m.put("macro_f1", macroF1());
        m.put("mcc", mcc());
        if (labels.size() == 2) m.put("roc_auc", rocAuc);
        return m;
    }

    /**
     * Cross-validation: {@code {"folds", "mean": {metric: ...}, "std": {metric: ...}, "per_fold": [{metric: ...}, ...]}},
     * std the sample standard deviation (n − 1).
     */
    public static Map<String, Object> crossValidation(List<ClassificationMetrics> folds) {
        Map<String, Object> mean = new LinkedHashMap<>(), std = new LinkedHashMap<>();
        List<Object> perFold = new ArrayList<>();
        for (ClassificationMetrics f : folds) perFold.add(f.toJson());
        for (String key : folds.getFirst().scalars().keySet()) {
            double[] v = folds.stream().mapToDouble(f -> f.scalars().get(key)).toArray();
            double m = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = 0;
            for (double x : v) ss += (x - m) * (x - m);
            mean.put(key, finite(m));
            std.put(key, finite(v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("folds", folds.size());
        json.put("mean", mean);
        json.put("std", std);
        json.put("per_fold", perFold);
        return json;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && labels.equals(m.labels) && Arrays.deepEquals(confusion, m.confusion)
                && Double.compare(rocAuc, m.rocAuc) == 0;
    }

    @Override
    public int hashCode() {
        return labels.hashCode() * 31 + Arrays.deepHashCode(confusion);
    }

    @Override
    public String toString() {
        return "ClassificationMetrics" + toJson();
    }
}
