package dev.rnn4j.data.classify;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Step by step equals all at once: the running prediction after the last step is the whole sequence's prediction. */
class StreamingClassifierTest {
    private static ClassifierModel model(Head pooling, boolean bidirectional, long seed) {
        SequenceModel network = SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(6).layers(2).bidirectional(bidirectional)
                .head(pooling).outputs(4).seed(seed).build();
        SplittableRandom random = new SplittableRandom(seed);
        for (NamedParameter p : network.namedParameters()) {
            float[] v = p.parameter().value();
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-0.7, 0.7);
        }
        return new ClassifierModel(network, List.of("a", "b", "c", "d"), new ClassifierTest.Toy(3), ClassifySettings.defaults().withPooling(pooling));
    }

    @Test
    void lastStreamedStepEqualsTheBatchedPredictionForEveryPooling() {
        SplittableRandom random = new SplittableRandom(7);
        List<LabelledSequence> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int steps = 4 + 3 * i;
            float[] x = new float[steps * 3];
            for (int j = 0; j < x.length; j++) x[j] = (float) random.nextGaussian();
            records.add(LabelledSequence.of("r" + i, Example.ofFeatures(x, steps), null, "test"));
        }
        for (Head pooling : List.of(Head.LAST_STEP, Head.MEAN, Head.MAX, Head.ATTENTION)) {
            ClassifierModel model = model(pooling, false, 11);
            double[][] batched = model.probabilities(records);
            StreamingClassifier streaming = new StreamingClassifier(model);
            for (int r = 0; r < records.size(); r++) {
                List<double[]> running = new ArrayList<>();
                streaming.run(records.get(r).input(), (step, p) -> running.add(p.clone()));
                assertEquals(records.get(r).input().steps(), running.size());
                for (int c = 0; c < 4; c++) assertEquals(batched[r][c], running.getLast()[c], 2e-6, pooling + " record " + r + " class " + c);
                assertTrue(running.getFirst()[0] != running.getLast()[0], pooling + ": the prediction moves as steps arrive");
            }
        }
    }

    @Test
    void aBidirectionalModelCannotStream() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamingClassifier(model(Head.MAX, true, 3)));
        assertTrue(e.getMessage().contains("--no-bidirectional"), e.getMessage());
    }
}
