package dev.rnn4j.io.onnx;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.rnn4j.io.onnx.OnnxExportRuntimeTest.BATCH;
import static dev.rnn4j.io.onnx.OnnxExportRuntimeTest.STEPS;
import static dev.rnn4j.io.onnx.OnnxExportRuntimeTest.assertClose;
import static dev.rnn4j.io.onnx.OnnxExportRuntimeTest.swapFirstAxes;
import static dev.rnn4j.io.onnx.OnnxExportRuntimeTest.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whole models (embedding, recurrent layers, every head, softmax) exported and run in onnxruntime. */
class OnnxExportModelRuntimeTest {
    static final int VOCABULARY = 7, OUTPUTS = 3;

    static List<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        for (Head head : Head.values())
            for (boolean tokens : new boolean[] {false, true})
                for (boolean lengths : new boolean[] {false, true})
                    for (boolean batchFirst : new boolean[] {false, true})
                        cases.add(Arguments.of(head, tokens, lengths, batchFirst));
        return cases;
    }

    @ParameterizedTest(name = "{0} tokens={1} lengths={2} batchFirst={3}")
    @MethodSource("models")
    void modelRunsInOnnxRuntimeAsInRnn4j(Head head, boolean tokens, boolean lengths, boolean batchFirst) throws Exception {
        SequenceModel.Builder builder = SequenceModel.builder().cell(tokens ? CellType.GRU : CellType.LSTM).hiddenSize(4)
                .layers(2).bidirectional(true).head(head).outputs(OUTPUTS).seed(3);
        SequenceModel model = (tokens ? builder.vocabulary(VOCABULARY).embeddingSize(5) : builder.features(3)).build();
        randomize(model, 5);
        check(model, lengths, batchFirst, true);
    }

    @ParameterizedTest(name = "tied weights, batchFirst={0}")
    @MethodSource("batchFirst")
    void languageModelWithTiedWeights(boolean batchFirst) throws Exception {
        SequenceModel model = SequenceModel.builder().vocabulary(VOCABULARY).embeddingSize(4).cell(CellType.LSTM).hiddenSize(4)
                .head(Head.EVERY_STEP).outputs(VOCABULARY).tiedWeights(true).seed(4).build();
        randomize(model, 6);
        check(model, true, batchFirst, true);
    }

    static List<Boolean> batchFirst() {
        return List.of(false, true);
    }

    /** The reductions take their axes as an input from opset 18; the pooled heads at the later opsets. */
    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("laterOpsets")
    void pooledHeadsAtLaterOpsets(Head head, int opset) throws Exception {
        SequenceModel model = SequenceModel.builder().features(3).cell(CellType.RNN).hiddenSize(4).bidirectional(true)
                .head(head).outputs(OUTPUTS).seed(8).build();
        randomize(model, 8);
        check(model, true, false, true, opset);
    }

    static List<Arguments> laterOpsets() {
        List<Arguments> cases = new ArrayList<>();
        for (Head head : List.of(Head.MEAN, Head.MAX, Head.ATTENTION)) for (int opset : new int[] {17, 18, 21}) cases.add(Arguments.of(head, opset));
        return cases;
    }

    private static void check(SequenceModel model, boolean withLengths, boolean batchFirst, boolean softmax) throws Exception {
        check(model, withLengths, batchFirst, softmax, OnnxExport.MIN_OPSET);
    }

    private static void check(SequenceModel model, boolean withLengths, boolean batchFirst, boolean softmax, int opset) throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        int[] lengths = withLengths ? new int[] {2, STEPS, 1} : null;
        boolean tokens = model.spec().tokenInput();
        int features = model.spec().features();
        float[] x = tokens ? null : uniform(random, STEPS * BATCH * features, 1);
        int[] ids = null;
        if (tokens) {
            ids = new int[STEPS * BATCH];
            for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(VOCABULARY);
        }
        ModelInput input = (tokens ? ModelInput.tokens(ids, STEPS, BATCH) : ModelInput.features(x, STEPS, BATCH)).withLengths(lengths);
        Matrix expected = model.forward(input);
        float[] expectedHn = model.lastRecurrentOutput().hN().clone();

        OnnxExport.Options options = OnnxExport.Options.defaults().withOpset(opset).withBatchFirst(batchFirst).withLengths(withLengths)
                .withInitialState(false);
        Onnx.Model onnx = OnnxExport.of(model, softmax, options, Map.of());
        try (OrtRunner ort = new OrtRunner(onnx)) {
            if (tokens) {
                long[] wide = new long[ids.length];
                for (int i = 0; i < ids.length; i++) wide[i] = ids[i];
                if (batchFirst) ort.longs(OnnxExport.TOKENS, transpose(wide), BATCH, STEPS);
                else ort.longs(OnnxExport.TOKENS, wide, STEPS, BATCH);
            } else if (batchFirst) {
                ort.floats(OnnxExport.INPUT, swapFirstAxes(x, STEPS, BATCH, features), BATCH, STEPS, features);
            } else {
                ort.floats(OnnxExport.INPUT, x, STEPS, BATCH, features);
            }
            if (lengths != null) ort.ints(OnnxExport.LENGTHS, lengths, BATCH);
            Map<String, float[]> actual = ort.run();

            int k = model.spec().outputs();
            boolean perStep = model.spec().head() == Head.EVERY_STEP;
            float[] predictions = actual.get(OnnxExport.PREDICTIONS);
            if (perStep && batchFirst) predictions = swapFirstAxes(predictions, BATCH, STEPS, k);
            int rows = perStep ? STEPS * BATCH : BATCH;
            assertClose(expected.data(), predictions, rows * k, "predictions");
            float[] probabilities = actual.get(OnnxExport.PROBABILITIES);
            if (perStep && batchFirst) probabilities = swapFirstAxes(probabilities, BATCH, STEPS, k);
            assertClose(softmaxRows(expected.data(), rows, k), probabilities, rows * k, "probabilities");
            int states = model.spec().recurrent().layers() * model.spec().recurrent().directions() * BATCH * model.spec().recurrent().hiddenSize();
            assertClose(expectedHn, actual.get(OnnxExport.H_N), states, "h_n");
            assertEquals(model.spec().recurrent().cellType() == CellType.LSTM, actual.containsKey(OnnxExport.C_N));
        }
    }

    private static long[] transpose(long[] ids) {
        long[] out = new long[ids.length];
        for (int t = 0; t < STEPS; t++) for (int b = 0; b < BATCH; b++) out[b * STEPS + t] = ids[t * BATCH + b];
        return out;
    }

    private static float[] softmaxRows(float[] logits, int rows, int k) {
        float[] p = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]);
            for (int j = 0; j < k; j++) sum += Math.exp(logits[r * k + j] - max);
            for (int j = 0; j < k; j++) p[r * k + j] = (float) (Math.exp(logits[r * k + j] - max) / sum);
        }
        return p;
    }

    /** Every parameter uniform in ±0.5 (the head's bias too, which the default initialisation leaves at zero). */
    static void randomize(SequenceModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (NamedParameter p : model.namedParameters()) {
            float[] v = p.parameter().value();
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-0.5, 0.5);
        }
    }
}
