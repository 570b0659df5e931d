package dev.rnn4j.layer;

import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LastValidStepTest {

    private static float[] random(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-1, 1);
        return v;
    }

    /** The last valid step of a bidirectional stack is the top layer's h_n: values and gradients agree. */
    @Test
    void equalsTopLayerFinalStatesForwardAndBackward() {
        int t = 6, b = 4, in = 3, h = 5;
        int[] lengths = {6, 2, 1, 4};
        Recurrent net = Gru.builder().inputSize(in).hiddenSize(h).layers(2).bidirectional(true).seed(3).build();
        SplittableRandom random = new SplittableRandom(4);
        float[] x = random(random, t * b * in);
        float[] dSelected = random(random, b * 2 * h);
        SequenceBatch batch = SequenceBatch.of(x, t, b).withLengths(lengths);

        LastValidStep last = new LastValidStep(net.config());
        RecurrentOutput out = net.forward(batch);
        float[] selected = last.forward(out, lengths).clone();
        float[] hN = out.hN().clone();
        float[] expected = new float[b * 2 * h];
        float[] dHn = new float[4 * b * h]; // [L*D, B, H]; the top layer is rows 2 (forward) and 3 (reverse)
        for (int row = 0; row < b; row++) {
            for (int dir = 0; dir < 2; dir++) {
                System.arraycopy(hN, ((2 + dir) * b + row) * h, expected, row * 2 * h + dir * h, h);
                System.arraycopy(dSelected, row * 2 * h + dir * h, dHn, ((2 + dir) * b + row) * h, h);
            }
        }
        assertArrayEquals(expected, selected, "last valid step vs top-layer h_n");

        net.zeroGrad();
        float[] dInputViaSelection = net.backward(last.backward(dSelected), null, null).dInput().clone();
        float[][] gradsViaSelection = net.parameters().stream().map(p -> p.grad().clone()).toArray(float[][]::new);
        net.zeroGrad();
        net.forward(batch);
        float[] dInputViaHn = net.backward(null, dHn, null).dInput().clone();
        assertArrayEquals(dInputViaHn, dInputViaSelection, 1e-6f, "dInput");
        int k = 0;
        for (Parameter p : net.parameters()) {
            assertArrayEquals(p.grad(), gradsViaSelection[k++], 1e-6f, "grad of " + p.name());
        }
    }

    @Test
    void withoutLengthsTheForwardHalfIsTheLastStep() {
        int t = 3, b = 2, in = 2, h = 3;
        Recurrent net = Lstm.builder().inputSize(in).hiddenSize(h).seed(5).build();
        float[] x = random(new SplittableRandom(6), t * b * in);
        RecurrentOutput out = net.forward(SequenceBatch.of(x, t, b));
        float[] selected = new LastValidStep(net.config()).forward(out, null);
        float[] lastRows = new float[b * h];
        System.arraycopy(out.output(), (t - 1) * b * h, lastRows, 0, b * h);
        assertArrayEquals(lastRows, selected);
    }
}
