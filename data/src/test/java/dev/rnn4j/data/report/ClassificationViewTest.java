package dev.rnn4j.data.report;

import dev.rnn4j.data.classify.ClassificationMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationViewTest {

    /** The drawn ROC curve runs from (0, 0) to (1, 1) and its area is the AUC the metrics report. */
    @Test
    void rocCurveEnclosesTheReportedAuc() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 300;
        int[] truth = new int[n];
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(2);
            double score = Math.min(1, Math.max(0, 0.5 + (truth[i] == 1 ? 0.15 : -0.15) + random.nextGaussian() * 0.2));
            p[i][1] = score;
            p[i][0] = 1 - score;
        }
        List<List<Double>> roc = ClassificationView.roc(truth, p);
        assertEquals(List.of(0.0, 0.0), roc.getFirst());
        assertEquals(List.of(1.0, 1.0), roc.getLast());
        double area = 0;
        for (int k = 1; k < roc.size(); k++) {
            area += (roc.get(k).get(0) - roc.get(k - 1).get(0)) * (roc.get(k).get(1) + roc.get(k - 1).get(1)) / 2;
        }
        double auc = ClassificationMetrics.of(List.of("a", "b"), truth, p).rocAuc();
        assertEquals(auc, area, 1e-9);
    }
}
