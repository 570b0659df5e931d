package dev.rnn4j.data.classify;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.model.Head;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classification workflow on a toy domain: is a noisy sequence rising, falling or flat? */
class ClassifierTest {
    /** Feature vectors of a given width. */
    record Toy(int featuresPerStep) implements SequenceEncoding {
        public String domain() {
            return "toy";
        }

        public int vocabulary() {
            return 0;
        }

        public Map<String, Object> toJson() {
            return Map.of("domain", "toy");
        }
    }

    static LabelledData toy(int perClass, long seed, List<String> labels) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LabelledSequence> records = new ArrayList<>();
        for (int i = 0; i < perClass * labels.size(); i++) {
            String label = labels.get(i % labels.size());
            int steps = 6 + random.nextInt(10); // ragged lengths
            float slope = label.equals("rising") ? 0.3f : label.equals("falling") ? -0.3f : 0f;
            float[] x = new float[steps];
            for (int t = 0; t < steps; t++) x[t] = slope * t + (float) random.nextGaussian() * 0.3f;
            records.add(LabelledSequence.of("r" + i, Example.ofFeatures(x, steps), label, "toy.csv: record " + (i + 1)));
        }
        return new LabelledData(records, new Toy(1), null, "toy.csv");
    }

    static final List<String> THREE = List.of("rising", "flat", "falling");

    /** Rows of tokens no training example holds become zero; the rows of the tokens it holds keep their values. */
    @Test
    void embeddingRowsOfTokensNeverTrainedAreZero() {
        Parameter table = new Parameter("embedding.weight", 6, 3);
        float[] v = table.value();
        for (int i = 0; i < v.length; i++) v[i] = 0.5f + i; // no zero to start with
        float[] before = v.clone();
        Dataset training = Dataset.of(List.of(Example.ofTokens(new int[] {2, 4, 2}).withClass(0), Example.ofTokens(new int[] {5}).withClass(1)));
        Classifier.zeroRowsOfUnseenTokens(table, training);
        for (int id = 0; id < 6; id++) {
            boolean seen = id == 2 || id == 4 || id == 5;
            for (int j = 0; j < 3; j++) {
                assertEquals(seen ? before[id * 3 + j] : 0f, v[id * 3 + j], "token " + id + " value " + j);
            }
        }
    }

    @Test
    void learnsAndScoresAStratifiedTestPart() {
        TrainingSettings training = TrainingSettings.builder().hiddenSize(16).epochs(40).patience(10).batchSize(16).build();
        Classifier c = Classifier.prepare(toy(60, 1, THREE), null, ClassifySettings.defaults(), training);
        assertEquals(List.of("falling", "flat", "rising"), c.classes(), "classes in a fixed, sorted order");
        assertEquals(36, c.testRecords(), "20% of each class of 60");
        assertEquals(Map.of("falling", 12L, "flat", 12L, "rising", 12L), Map.copyOf((Map<String, Long>) (Map<?, ?>) c.dataJson().get("test")));
        ClassifyOutcome outcome = c.fit(c.newRun(null));
        ClassificationMetrics test = outcome.test();
        assertTrue(test.accuracy() > 0.9, test.toString());
        assertEquals(36, test.count());
        Map<String, Object> json = outcome.metricsJson();
        @SuppressWarnings("unchecked") Map<String, Object> t = (Map<String, Object>) json.get("test");
        for (String key : List.of("accuracy", "balanced_accuracy", "macro_f1", "mcc", "per_class", "confusion")) {
            assertTrue(t.containsKey(key), key + " in " + t);
        }
        List<List<String>> table = outcome.model().predictionTable(toy(2, 9, THREE).records());
        assertEquals(List.of("id", "label", "predicted", "p_falling", "p_flat", "p_rising"), table.getFirst());
        assertEquals(7, table.size());
    }

    @Test
    void crossValidationTrainsEveryFoldOnTheOthers() {
        TrainingSettings training = TrainingSettings.builder().hiddenSize(8).epochs(3).patience(3).batchSize(16).build();
        List<ClassificationMetrics> folds = Classifier.crossValidate(toy(20, 2, List.of("rising", "falling")),
                ClassifySettings.defaults().withFolds(4).withPooling(Head.ATTENTION), training, null);
        assertEquals(4, folds.size());
        for (ClassificationMetrics f : folds) assertEquals(10, f.count(), "each fold holds a quarter of each class");
        Map<String, Object> cv = ClassificationMetrics.crossValidation(folds);
        assertTrue(((Map<?, ?>) cv.get("mean")).containsKey("roc_auc"), "two classes: ROC AUC too");
    }

    @Test
    void badLabelsAreOneClearMessage() {
        TrainingSettings training = TrainingSettings.builder().epochs(1).build();
        DataFileException e = assertThrows(DataFileException.class,
                () -> Classifier.prepare(toy(5, 3, List.of("flat")), null, ClassifySettings.defaults(), training));
        assertTrue(e.getMessage().contains("every record has the label 'flat': a classifier needs at least 2 classes"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> Classifier.prepare(toy(10, 3, List.of("rising", "falling")),
                toy(2, 4, List.of("rising", "sideways")), ClassifySettings.defaults(), training));
        assertTrue(e.getMessage().contains("toy.csv: record 2: label 'sideways' was never seen in training"), e.getMessage());
    }

    @Test
    void balancedWeightsGiveEachClassTheSameTotal() {
        List<LabelledSequence> records = new ArrayList<>(toy(30, 5, List.of("rising")).records());
        records.addAll(toy(6, 6, List.of("falling")).records());
        LabelledData skewed = new LabelledData(records, new Toy(1), null, "toy.csv");
        Classifier c = Classifier.prepare(skewed, null, ClassifySettings.defaults().withClassWeights(ClassifySettings.ClassWeights.BALANCED),
                TrainingSettings.builder().epochs(1).build());
        float[] w = c.loss().classWeights();
        // training part: 30 - 6 test = 24 rising, of them 2 validation -> 22; 6 - 1 = 5 falling, of them 1 validation -> 4
        assertEquals(26 / (2.0 * 4), w[0], 1e-6, "falling");
        assertEquals(26 / (2.0 * 22), w[1], 1e-6, "rising");
    }

    @Test
    void metricsMatchScikitLearnOnAHandExample() {
        // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0
        int[] truth = {0, 0, 1, 1, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0};
        double[][] p = new double[6][3];
        for (int i = 0; i < 6; i++) p[i][predicted[i]] = 1;
        ClassificationMetrics m = ClassificationMetrics.of(List.of("a", "b", "c"), truth, p);
        assertEquals(4 / 6.0, m.accuracy(), 1e-12);
        assertEquals(0.5, m.precision(0), 1e-12);  // predicted a: 2, correct 1
        assertEquals(2 / 3.0, m.precision(1), 1e-12);
        assertEquals((0.5 + 0.8 + 2 / 3.0) / 3, m.macroF1(), 1e-12); // F1: a 0.5, b 0.8, c 2/3
        // sklearn.metrics.matthews_corrcoef([0,0,1,1,2,2],[0,1,1,1,2,0]) = 0.5222329678670935
        assertEquals(0.5222329678670935, m.mcc(), 1e-12);
        // binary AUC with a tie: scores for class 1: pos {0.9, 0.4}, neg {0.4, 0.1} -> (1 + 1 + 0.5 + 1) / 4
        ClassificationMetrics b = ClassificationMetrics.of(List.of("n", "p"), new int[] {1, 1, 0, 0},
                new double[][] {{0.1, 0.9}, {0.6, 0.4}, {0.6, 0.4}, {0.9, 0.1}});
        assertEquals(0.875, b.rocAuc(), 1e-12);
    }
}
