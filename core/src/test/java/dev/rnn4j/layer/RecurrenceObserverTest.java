package dev.rnn4j.layer;

import dev.rnn4j.cell.Gate;
import dev.rnn4j.cell.RecurrenceObserver;
import dev.rnn4j.cell.RecurrencePass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecurrenceObserverTest {
    private static final int T = 6, B = 3, IN = 2, H = 5;

    private static float[] random(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-1, 1);
        return v;
    }

    /** What the observer read of one LSTM pass: h_t, c_t and the output gate of every (t, b), and the gradient norms. */
    private static final class Capture implements RecurrenceObserver {
        final float[] hidden = new float[T * B * H], cell = new float[T * B * H], output = new float[T * B * H];
        final List<double[]> norms = new ArrayList<>();
        int forwards;
        RecurrencePass last;

        @Override
        public void afterForward(RecurrencePass pass) {
            forwards++;
            last = pass;
            for (int t = 0; t < pass.steps(); t++) {
                for (int b = 0; b < pass.batch(); b++) {
                    int at = (t * B + b) * H;
                    pass.hiddenState(t, b, hidden, at);
                    pass.cellState(t, b, cell, at);
                    pass.gateValues(Gate.OUTPUT, t, b, output, at);
                }
            }
        }

        @Override
        public void afterBackward(RecurrencePass pass) {
            norms.add(pass.gradientNormsByStep());
        }
    }

    /** The observer sees the pass's own values: h_t is the output, and h_t = o_t tanh(c_t) from its gates and cell. */
    @Test
    void observerReadsTheStatesAndGatesOfThePass() {
        Recurrent net = Lstm.builder().inputSize(IN).hiddenSize(H).seed(7).build();
        Capture capture = new Capture();
        net.setObserver(0, 0, capture);
        RecurrentOutput out = net.forward(SequenceBatch.of(random(1, T * B * IN), T, B));
        assertEquals(1, capture.forwards);
        assertArrayEquals(out.output(), capture.hidden);
        for (int i = 0; i < capture.hidden.length; i++) {
            assertEquals(capture.output[i] * Math.tanh(capture.cell[i]), capture.hidden[i], 1e-6, "h = o tanh(c) at " + i);
        }
        net.backward(null, random(2, B * H), null);
        assertEquals(1, capture.norms.size());
        assertArrayEquals(net.gradientNormsByStep(), capture.norms.get(0));
        assertThrows(IllegalArgumentException.class, () -> capture.last.gateValues(Gate.RESET, 0, 0, new float[H], 0), "an LSTM has no reset gate");
    }

    /** Watching changes nothing: the same outputs and gradients, bit for bit, with and without an observer. */
    @Test
    void observingLeavesTheNumbersAlone() {
        float[] input = random(3, T * B * IN), dHn = random(4, B * H);
        float[][] results = new float[2][];
        for (int watched = 0; watched < 2; watched++) {
            Recurrent net = Gru.builder().inputSize(IN).hiddenSize(H).seed(9).build();
            if (watched == 1) net.setObserver(0, 0, new RecurrenceObserver() {});
            RecurrentOutput out = net.forward(SequenceBatch.of(input, T, B));
            net.backward(null, dHn, null);
            float[] grad = net.parameter("weight_hh_l0").grad();
            float[] all = new float[out.output().length + grad.length];
            System.arraycopy(out.output(), 0, all, 0, out.output().length);
            System.arraycopy(grad, 0, all, out.output().length, grad.length);
            results[watched] = all;
        }
        assertArrayEquals(results[0], results[1]);
        assertFalse(results[0].length == 0);
    }
}
