package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's gradient is the sum of its parts' (what a distributed step adds up), with dropout and zoneout on,
 * because each sequence's masks are keyed by its id, not by its row in whichever batch it lands in.
 */
class BatchGradientTest {
    private static final int[] LENGTHS = {4, 2, 5, 3, 1, 5, 2};

    private static Dataset dataset() {
        SplittableRandom random = new SplittableRandom(9);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < LENGTHS.length; i++) {
            float[] x = new float[LENGTHS[i] * 3];
            for (int j = 0; j < x.length; j++) x[j] = (float) random.nextGaussian();
            examples.add(Example.ofFeatures(x, LENGTHS[i]).withClass(i % 3));
        }
        return Dataset.of(examples);
    }

    private static SequenceModel model() {
        Regularization everything = Regularization.builder().inputDropout(0.3).layerDropout(0.3).recurrentDropout(0.3)
                .zoneoutHidden(0.2).zoneoutCell(0.2).build();
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(5).layers(2).head(Head.LAST_STEP).outputs(3)
                .regularization(everything).seed(4).build();
    }

    /** The gradient of the parts {0, 3, 5} and {1, 2, 4, 6}, summed and divided by the batch's weight. */
    private static float[][] partsGradient(SequenceModel model, Batcher batcher, boolean keyedById) {
        BatchGradient gradient = new BatchGradient(model, new SoftmaxCrossEntropy(), 21);
        float[][] sum = null;
        double weight = 0;
        for (int[] part : new int[][] {{0, 3, 5}, {1, 2, 4, 6}}) {
            Batch b = batcher.collate(part);
            if (!keyedById) b = new Batch(b.input(), b.targets());
            model.zeroGrad();
            weight += gradient.accumulate(b, 6, BatchGradient.Reduction.SUM).weight();
            float[][] grads = grads(model);
            if (sum == null) {
                sum = grads;
            } else {
                for (int p = 0; p < sum.length; p++) for (int i = 0; i < sum[p].length; i++) sum[p][i] += grads[p][i];
            }
        }
        for (float[] g : sum) for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] / weight);
        return sum;
    }

    private static float[][] grads(SequenceModel model) {
        List<Parameter> parameters = model.parameters();
        float[][] out = new float[parameters.size()][];
        for (int p = 0; p < out.length; p++) out[p] = parameters.get(p).grad().clone();
        return out;
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int p = 0; p < a.length; p++) for (int i = 0; i < a[p].length; i++) max = Math.max(max, Math.abs(a[p][i] - b[p][i]));
        return max;
    }

    @Test
    void theGradientOfABatchIsTheSumOfItsPartsWithDropoutOn() {
        SequenceModel model = model();
        Batcher batcher = Batcher.of(dataset(), 7);
        model.zeroGrad();
        BatchGradient.Part whole = new BatchGradient(model, new SoftmaxCrossEntropy(), 21)
                .accumulate(batcher.collate(new int[] {0, 1, 2, 3, 4, 5, 6}), 6, BatchGradient.Reduction.MEAN);
        assertEquals(7.0, whole.weight());
        float[][] expected = grads(model);
        double scale = 0;
        for (float[] g : expected) for (float v : g) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 1e-3, "a gradient to compare: " + scale);

        assertTrue(maxDifference(expected, partsGradient(model, batcher, true)) <= 1e-6 * Math.max(1, scale),
                "the parts keyed by example id add up to the batch");
        // keyed by row, the parts draw other masks: the sum is another gradient
        assertTrue(maxDifference(expected, partsGradient(model, batcher, false)) > 1e-3 * scale,
                "masks keyed by row differ between the batch and its parts");
    }
}
