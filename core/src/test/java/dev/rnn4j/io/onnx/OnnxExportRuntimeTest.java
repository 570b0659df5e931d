package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports networks of every shape, runs them in onnxruntime and compares with rnn4j's own forward pass. */
class OnnxExportRuntimeTest {
    static final float TOLERANCE = 1e-5f;
    static final int STEPS = 5, BATCH = 3, INPUT = 3, HIDDEN = 4;

    /** The cells rnn4j exports: the GRU both ways round its reset gate. */
    enum Cell {
        LSTM(CellType.LSTM, Nonlinearity.TANH, GruVariant.RESET_AFTER),
        GRU(CellType.GRU, Nonlinearity.TANH, GruVariant.RESET_AFTER),
        GRU_RESET_BEFORE(CellType.GRU, Nonlinearity.TANH, GruVariant.RESET_BEFORE),
        RNN_TANH(CellType.RNN, Nonlinearity.TANH, GruVariant.RESET_AFTER),
        RNN_RELU(CellType.RNN, Nonlinearity.RELU, GruVariant.RESET_AFTER);

        final CellType type;
        final Nonlinearity nonlinearity;
        final GruVariant variant;

        Cell(CellType type, Nonlinearity nonlinearity, GruVariant variant) {
            this.type = type;
            this.nonlinearity = nonlinearity;
            this.variant = variant;
        }
    }

    /** NONE: the graph has no lengths input; the others feed these lengths. */
    enum Lengths {
        NONE(null), FULL(new int[] {STEPS, STEPS, STEPS}), ONE(new int[] {1, 1, 1}), MIXED(new int[] {STEPS, 1, 3});

        final int[] values;

        Lengths(int[] values) {
            this.values = values;
        }
    }

    static List<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (Cell cell : Cell.values())
            for (boolean bidirectional : new boolean[] {false, true})
                for (int layers = 1; layers <= 2; layers++)
                    for (boolean bias : new boolean[] {true, false})
                        for (boolean initialState : new boolean[] {false, true})
                            for (Lengths lengths : Lengths.values())
                                for (boolean batchFirst : new boolean[] {false, true})
                                    cases.add(Arguments.of(cell, bidirectional, layers, bias, initialState, lengths, batchFirst));
        return cases;
    }

    @ParameterizedTest(name = "{0} bidirectional={1} layers={2} bias={3} h0={4} lengths={5} batchFirst={6}")
    @MethodSource("networks")
    void networkRunsInOnnxRuntimeAsInRnn4j(Cell cell, boolean bidirectional, int layers, boolean bias, boolean initialState,
                                           Lengths lengths, boolean batchFirst) throws Exception {
        RecurrentConfig config = new RecurrentConfig(cell.type, INPUT, HIDDEN, layers, bidirectional, bias, cell.nonlinearity, cell.variant);
        Recurrent network = randomNetwork(config, 7 + cell.ordinal());
        SplittableRandom random = new SplittableRandom(11);
        float[] x = uniform(random, STEPS * BATCH * INPUT, 1);
        int states = layers * config.directions() * BATCH * HIDDEN;
        float[] h0 = initialState ? uniform(random, states, 0.5) : null;
        float[] c0 = initialState && cell.type == CellType.LSTM ? uniform(random, states, 0.5) : null;
        RecurrentOutput expected = network.forward(new SequenceBatch(x, STEPS, BATCH, lengths.values, h0, c0));

        OnnxExport.Options options = OnnxExport.Options.defaults().withBatchFirst(batchFirst)
                .withLengths(lengths != Lengths.NONE).withInitialState(initialState);
        Onnx.Model model = OnnxCodec.decode("export", OnnxCodec.encode(OnnxExport.of(network, options, Map.of())));
        long[] stateShape = {(long) layers * config.directions(), BATCH, HIDDEN};
        try (OrtRunner ort = new OrtRunner(model)) {
            if (batchFirst) ort.floats(OnnxExport.INPUT, swapFirstAxes(x, STEPS, BATCH, INPUT), BATCH, STEPS, INPUT);
            else ort.floats(OnnxExport.INPUT, x, STEPS, BATCH, INPUT);
            if (lengths.values != null) ort.ints(OnnxExport.LENGTHS, lengths.values, BATCH);
            if (h0 != null) ort.floats(OnnxExport.H0, h0, stateShape);
            if (c0 != null) ort.floats(OnnxExport.C0, c0, stateShape);
            Map<String, float[]> actual = ort.run();

            int width = config.outputSize();
            float[] output = actual.get(OnnxExport.OUTPUT);
            if (batchFirst) output = swapFirstAxes(output, BATCH, STEPS, width);
            assertClose(expected.output(), output, STEPS * BATCH * width, "output");
            assertClose(expected.hN(), actual.get(OnnxExport.H_N), states, "h_n");
            if (cell.type == CellType.LSTM) assertClose(expected.cN(), actual.get(OnnxExport.C_N), states, "c_n");
            else assertEquals(List.of(OnnxExport.OUTPUT, OnnxExport.H_N), List.copyOf(actual.keySet()));
        }
    }

    /** Every parameter uniform in ±0.5 from its own seed, so no two weights are equal. */
    static Recurrent randomNetwork(RecurrentConfig config, long seed) {
        Recurrent network = new Recurrent(config);
        SplittableRandom random = new SplittableRandom(seed);
        for (Parameter p : network.parameters()) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        return network;
    }

    static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-bound, bound);
        return v;
    }

    /** [A, B, W] to [B, A, W]. */
    static float[] swapFirstAxes(float[] x, int a, int b, int width) {
        float[] out = new float[x.length];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                System.arraycopy(x, (i * b + j) * width, out, (j * a + i) * width, width);
        return out;
    }

    /** The first n values of {@code expected} (a workspace may be longer) against all of {@code actual}. */
    static void assertClose(float[] expected, float[] actual, int n, String what) {
        assertEquals(n, actual.length, what + " size");
        float worst = 0;
        int at = -1;
        for (int i = 0; i < n; i++) {
            float error = Math.abs(expected[i] - actual[i]);
            if (!(error <= worst)) {
                worst = error;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + " differs by " + worst + " at " + at + ": rnn4j "
                + (at < 0 ? "" : expected[at]) + ", onnxruntime " + (at < 0 ? "" : actual[at]) + "; rnn4j "
                + Arrays.toString(Arrays.copyOf(expected, Math.min(n, 12))) + " onnxruntime " + Arrays.toString(Arrays.copyOf(actual, Math.min(12, n))));
    }
}
