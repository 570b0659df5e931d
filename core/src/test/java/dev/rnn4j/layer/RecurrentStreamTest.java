package dev.rnn4j.layer;

import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentStreamTest {

    private static float[] random(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-1, 1);
        return v;
    }

    private static void assertStreamEqualsWholeSequence(Recurrent net) {
        int t = 7, b = 3, in = net.config().inputSize(), h = net.config().hiddenSize(), layers = net.config().layers();
        float[] x = random(11, t * b * in);
        RecurrentOutput whole = net.forward(SequenceBatch.of(x, t, b));
        float[] expectedOutput = whole.output().clone();
        float[] expectedHn = whole.hN().clone();
        float[] expectedCn = whole.cN() == null ? new float[0] : whole.cN().clone();

        RecurrentStream stream = new RecurrentStream(net, b);
        float[] stepInput = new float[b * in];
        for (int step = 0; step < t; step++) {
            System.arraycopy(x, step * b * in, stepInput, 0, b * in);
            float[] y = stream.step(stepInput);
            float[] expected = new float[b * h];
            System.arraycopy(expectedOutput, step * b * h, expected, 0, b * h);
            assertArrayEquals(expected, y, 1e-6f, net.config().cellType() + ": output at step " + step);
        }
        assertArrayEquals(expectedHn, stream.hiddenState(), 1e-6f, "h_n after " + t + " steps of " + layers + " layers");
        assertArrayEquals(expectedCn, stream.cellState(), 1e-6f, "c_n");
        stream.reset();
        assertEquals(0f, stream.hiddenState()[0]);
    }

    @Test
    void lstmStreamEqualsOnePass() {
        assertStreamEqualsWholeSequence(Lstm.builder().inputSize(4).hiddenSize(5).layers(2).seed(1).build());
    }

    @Test
    void gruStreamEqualsOnePassInBothVariants() {
        assertStreamEqualsWholeSequence(Gru.builder().inputSize(3).hiddenSize(6).layers(2).seed(2).build());
        assertStreamEqualsWholeSequence(Gru.builder().inputSize(3).hiddenSize(6).variant(GruVariant.RESET_BEFORE).seed(3).build());
    }

    @Test
    void simpleRnnStreamEqualsOnePass() {
        assertStreamEqualsWholeSequence(SimpleRnn.builder().inputSize(2).hiddenSize(4).nonlinearity(Nonlinearity.RELU).layers(3).seed(4).build());
    }

    /** A stream packs W_hh once; after the weights change, refreshWeights() makes it see them. */
    @Test
    void refreshWeightsTakesUpChangedWeights() {
        Recurrent net = Lstm.builder().inputSize(3).hiddenSize(4).layers(2).seed(7).build();
        RecurrentStream stream = new RecurrentStream(net, 2);
        float[] x = random(8, 2 * 3);
        stream.step(x);
        stream.reset();
        for (String name : new String[] {"weight_hh_l0", "weight_hh_l1"}) {
            Parameter p = net.parameter(name);
            float[] changed = p.value().clone();
            for (int i = 0; i < changed.length; i++) changed[i] = -1.5f * changed[i] + 0.01f * i;
            p.set(changed);
        }
        stream.refreshWeights();
        float[] streamed = stream.step(x).clone();
        RecurrentOutput whole = net.forward(SequenceBatch.of(x, 1, 2));
        assertArrayEquals(whole.output(), streamed, "one step after refreshWeights equals a pass with the new weights");
    }

    @Test
    void bidirectionalNetworksCannotStream() {
        Recurrent net = Lstm.builder().inputSize(2).hiddenSize(3).bidirectional(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecurrentStream(net, 1));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
    }

    /** The streaming contract: after warm-up, a step allocates nothing (B=1, I=32, H=128, as the benchmark). */
    @Test
    void aStepAllocatesNothing() {
        Recurrent net = Lstm.builder().inputSize(32).hiddenSize(128).seed(5).build();
        RecurrentStream stream = new RecurrentStream(net, 1);
        float[] x = random(6, 32);
        AllocationAssertions.assertStepsAllocateNothing(() -> stream.step(x), "LSTM stream");
    }
}
