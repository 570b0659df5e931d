package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small models and data shared by the training tests. */
final class TrainTestSupport {
    static final int FEATURES = 3;

    private TrainTestSupport() {}

    /** A 1-layer LSTM over 3 features, hidden 6, with the given head and outputs. */
    static SequenceModel lstm(Head head, int outputs, long seed) {
        return SequenceModel.builder().features(FEATURES).cell(CellType.LSTM).hiddenSize(6).head(head).outputs(outputs).seed(seed).build();
    }

    /**
     * Sequences of 2..9 steps of 3 features uniform in ±1; the class is 1 when the sum of feature 0 is positive
     * (a LAST_STEP, 2-class task).
     */
    static Dataset signOfSum(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int steps = 2 + random.nextInt(8);
            float[] x = new float[steps * FEATURES];
            double sum = 0;
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextDouble(-1, 1);
                if (j % FEATURES == 0) sum += x[j];
            }
            examples.add(Example.ofFeatures(x, steps).withClass(sum > 0 ? 1 : 0));
        }
        return Dataset.of(examples);
    }

    /**
     * Endless batches [T, B, 3] whose per-step class is 1 when feature 0 two steps earlier was positive (an
     * EVERY_STEP task that needs memory), batch i from (seed, i) alone.
     */
    static BatchSource delayedSign(long seed, int steps, int batch) {
        return BatchSource.named("delayed-sign T=" + steps + " B=" + batch + " seed " + seed, index -> {
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, index));
            float[] x = new float[steps * batch * FEATURES];
            for (int j = 0; j < x.length; j++) x[j] = (float) random.nextDouble(-1, 1);
            int[] classes = new int[steps * batch];
            for (int t = 2; t < steps; t++) {
                for (int b = 0; b < batch; b++) classes[t * batch + b] = x[((t - 2) * batch + b) * FEATURES] > 0 ? 1 : 0;
            }
            return new Batch(ModelInput.features(x, steps, batch), Targets.classes(classes));
        });
    }

    /** Bitwise equal parameters, and buffers (batch normalisation's statistics) if the models have any. */
    static void assertSameParameters(SequenceModel expected, SequenceModel actual) {
        List<NamedParameter> e = expected.namedParameters(), a = actual.namedParameters();
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).name(), a.get(i).name());
            assertBitwise(e.get(i).name(), e.get(i).parameter().value(), a.get(i).parameter().value());
        }
        assertEquals(expected.namedBuffers().size(), actual.namedBuffers().size());
        for (int i = 0; i < expected.namedBuffers().size(); i++) {
            assertBitwise(expected.namedBuffers().get(i).name(), expected.namedBuffers().get(i).buffer().value(),
                    actual.namedBuffers().get(i).buffer().value());
        }
    }

    static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i] + " (not bitwise equal)");
            }
        }
    }

    static boolean sameParameters(SequenceModel x, SequenceModel y) {
        for (int i = 0; i < x.parameters().size(); i++) {
            float[] a = x.parameters().get(i).value(), b = y.parameters().get(i).value();
            for (int j = 0; j < a.length; j++) if (Float.floatToRawIntBits(a[j]) != Float.floatToRawIntBits(b[j])) return false;
        }
        return true;
    }
}
