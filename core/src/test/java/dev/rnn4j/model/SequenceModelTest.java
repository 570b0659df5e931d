package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.rnn4j.layer.ReferenceFixtures.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceModelTest {

    private static SequenceModel.Builder lstmFeatures(Head head) {
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(4).layers(2).bidirectional(true)
                .head(head).outputs(2).seed(7);
    }

    private static SequenceModel.Builder gruTokens(Head head) {
        return SequenceModel.builder().vocabulary(9).embeddingSize(3).cell(CellType.GRU).hiddenSize(5).head(head).outputs(3).seed(8);
    }

    /** Distinct random values everywhere, so no test passes because weights are equal or zero. */
    private static void randomize(SequenceModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Parameter p : model.parameters()) p.set(uniform(random, p.size(), 0.6));
    }

    private static float[] copy(Matrix m) {
        float[] out = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) for (int c = 0; c < m.cols(); c++) out[r * m.cols() + c] = m.get(r, c);
        return out;
    }

    private static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + "[" + i + "]");
        }
    }

    @Test
    void parametersHaveFixedOrderAndUniqueQualifiedNames() {
        SequenceModel model = SequenceModel.builder().vocabulary(9).embeddingSize(3).cell(CellType.LSTM).hiddenSize(4).layers(2)
                .bidirectional(true).head(Head.LAST_STEP).outputs(2).build();
        List<String> expected = List.of("embedding.weight",
                "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                "rnn.weight_ih_l0_reverse", "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0_reverse", "rnn.bias_hh_l0_reverse",
                "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1",
                "rnn.weight_ih_l1_reverse", "rnn.weight_hh_l1_reverse", "rnn.bias_ih_l1_reverse", "rnn.bias_hh_l1_reverse",
                "head.weight", "head.bias");
        assertEquals(expected, model.namedParameters().stream().map(NamedParameter::name).toList());
        assertEquals(model.namedParameters().stream().map(NamedParameter::parameter).toList(), model.parameters());
        assertEquals(model.parameters().size(), new HashSet<>(model.parameters().stream().map(Parameter::name).toList()).size(),
                "Parameter.name() is unique too");
        assertSame(model.recurrent().parameter("weight_hh_l1_reverse"), model.parameter("rnn.weight_hh_l1_reverse"));
        assertSame(model.embedding().weight(), model.parameter("embedding.weight"));
        assertSame(model.head().bias(), model.parameter("head.bias"));
        assertArrayEquals(new int[] {9, 3}, model.parameter("embedding.weight").shape());
        assertArrayEquals(new int[] {2, 8}, model.parameter("head.weight").shape());
        assertThrows(IllegalArgumentException.class, () -> model.parameter("weight_ih_l0"));
        assertThrows(UnsupportedOperationException.class, () -> model.parameters().clear());

        SequenceModel features = lstmFeatures(Head.EVERY_STEP).layers(1).bidirectional(false).bias(false).build();
        assertNull(features.embedding());
        assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "head.weight", "head.bias"),
                features.namedParameters().stream().map(NamedParameter::name).toList());
    }

    /** EVERY_STEP: predictions are the dense layer applied by hand to every row of RecurrentOutput.output(). */
    @Test
    void everyStepHeadEqualsDenseOnTheRecurrentOutputByHand() {
        SequenceModel model = lstmFeatures(Head.EVERY_STEP).build();
        randomize(model, 1);
        int t = 6, b = 3;
        int[] lengths = {6, 2, 4};
        float[] x = uniform(new SplittableRandom(2), t * b * 3, 1.0);
        float[] predictions = copy(model.forward(ModelInput.features(x, t, b).withLengths(lengths)));
        assertEquals(t * b * 2, predictions.length);

        // the recurrent output is what a standalone network with the same weights gives
        Recurrent standalone = new Recurrent(model.recurrent().config());
        for (Parameter p : model.recurrent().parameters()) standalone.parameter(p.name()).set(p.value());
        float[] output = model.lastRecurrentOutput().output();
        assertBitwise("recurrent output", standalone.forward(SequenceBatch.of(x, t, b).withLengths(lengths)).output(), output);

        float[] w = model.parameter("head.weight").value(), bias = model.parameter("head.bias").value();
        int width = 8;
        for (int row = 0; row < t * b; row++) {
            for (int k = 0; k < 2; k++) {
                double expected = bias[k];
                for (int f = 0; f < width; f++) expected += (double) output[row * width + f] * w[k * width + f];
                assertEquals(expected, predictions[row * 2 + k], 1e-5, "prediction row " + row + " (step " + row / b + ", sequence "
                        + row % b + ") output " + k);
                int step = row / b, seq = row % b;
                if (step >= lengths[seq]) assertEquals(bias[k], predictions[row * 2 + k], "a padded row predicts the bias");
            }
        }
    }

    /** LAST_STEP: predictions are the head applied to the top layer's h_n, [forward, reverse]. */
    @Test
    void lastStepHeadReadsEachSequencesLastValidStep() {
        SequenceModel model = lstmFeatures(Head.LAST_STEP).build();
        randomize(model, 3);
        int t = 5, b = 3, h = 4;
        int[] lengths = {3, 5, 1};
        float[] x = uniform(new SplittableRandom(4), t * b * 3, 1.0);
        float[] predictions = copy(model.forward(ModelInput.features(x, t, b).withLengths(lengths)));
        assertEquals(b * 2, predictions.length);
        float[] hN = model.lastRecurrentOutput().hN(); // [L*D, B, H]; the top layer is rows 2 (forward) and 3 (reverse)
        float[] w = model.parameter("head.weight").value(), bias = model.parameter("head.bias").value();
        for (int seq = 0; seq < b; seq++) {
            for (int k = 0; k < 2; k++) {
                double expected = bias[k];
                for (int dir = 0; dir < 2; dir++) {
                    for (int j = 0; j < h; j++) expected += (double) hN[((2 + dir) * b + seq) * h + j] * w[k * 8 + dir * h + j];
                }
                assertEquals(expected, predictions[seq * 2 + k], 1e-5, "sequence " + seq + " output " + k);
            }
        }
    }

    /** The loss's masking is explicit: gradient at padded EVERY_STEP rows reaches the head's bias and nothing else. */
    @Test
    void paddedRowsReachOnlyTheHeadBias() {
        SequenceModel model = gruTokens(Head.EVERY_STEP).build();
        randomize(model, 5);
        int t = 4, b = 3;
        int[] lengths = {4, 1, 2};
        SplittableRandom random = new SplittableRandom(6);
        int[] ids = new int[t * b];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(9);
        float[] r = uniform(random, t * b * 3, 1.0);
        float[] masked = r.clone();
        float[] paddedSum = new float[3];
        for (int step = 0; step < t; step++) {
            for (int seq = 0; seq < b; seq++) {
                if (step < lengths[seq]) continue;
                for (int k = 0; k < 3; k++) {
                    paddedSum[k] += r[(step * b + seq) * 3 + k];
                    masked[(step * b + seq) * 3 + k] = 0;
                }
            }
        }
        ModelInput input = ModelInput.tokens(ids, t, b).withLengths(lengths);
        model.zeroGrad();
        model.forward(input);
        model.backward(Matrix.of(r, t * b, 3));
        Map<String, float[]> all = grads(model);
        model.zeroGrad();
        model.forward(input);
        model.backward(Matrix.of(masked, t * b, 3));
        Map<String, float[]> onlyValid = grads(model);
        for (String name : all.keySet()) {
            if (name.equals("head.bias")) {
                for (int k = 0; k < 3; k++) assertEquals(onlyValid.get(name)[k] + paddedSum[k], all.get(name)[k], 1e-5f, "head.bias[" + k + "]");
            } else {
                assertArrayEquals(onlyValid.get(name), all.get(name), 1e-6f, name);
            }
        }
    }

    private static Map<String, float[]> grads(SequenceModel model) {
        Map<String, float[]> map = new java.util.LinkedHashMap<>();
        for (NamedParameter p : model.namedParameters()) map.put(p.name(), p.parameter().grad().clone());
        return map;
    }

    @Test
    void sameSeedGivesBitwiseSamePredictionsAndOtherSeedsDiffer() {
        for (Initialization init : Initialization.values()) {
            float[] x = uniform(new SplittableRandom(9), 4 * 2 * 3, 1.0);
            ModelInput input = ModelInput.features(x, 4, 2).withLengths(new int[] {4, 3});
            float[] a = copy(lstmFeatures(Head.EVERY_STEP).initialization(init).seed(100).build().forward(input));
            float[] b = copy(lstmFeatures(Head.EVERY_STEP).initialization(init).seed(100).build().forward(input));
            float[] c = copy(lstmFeatures(Head.EVERY_STEP).initialization(init).seed(101).build().forward(input));
            assertBitwise(init + " predictions", a, b);
            assertFalse(Arrays.equals(a, c), init + ": another seed gives the same predictions");
            SequenceModel m1 = gruTokens(Head.LAST_STEP).initialization(init).seed(5).build();
            SequenceModel m2 = gruTokens(Head.LAST_STEP).initialization(init).seed(5).build();
            for (int i = 0; i < m1.parameters().size(); i++) {
                assertBitwise(init + " " + m1.namedParameters().get(i).name(), m1.parameters().get(i).value(), m2.parameters().get(i).value());
            }
        }
    }

    @Test
    void initializationAndForgetBiasReachTheModel() {
        SequenceModel model = lstmFeatures(Head.LAST_STEP).initialization(Initialization.XAVIER_ORTHOGONAL).forgetBias(1f).build();
        int h = 4;
        for (NamedParameter p : model.namedParameters()) {
            float[] v = p.parameter().value();
            if (p.name().startsWith("rnn.bias_ih")) {
                for (int i = 0; i < 4 * h; i++) assertEquals(i >= h && i < 2 * h ? 1f : 0f, v[i], p.name() + "[" + i + "]");
            } else if (p.name().startsWith("rnn.bias_hh") || p.name().equals("head.bias")) {
                assertArrayEquals(new float[v.length], v, p.name());
            }
        }
        float[] whh = model.parameter("rnn.weight_hh_l1").value();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < h; j++) {
                double s = 0;
                for (int k = 0; k < h; k++) s += (double) whh[i * h + k] * whh[j * h + k];
                assertEquals(i == j ? 1 : 0, s, 1e-5);
            }
        }
        // the model's streams are its qualified names
        Recurrent same = new Recurrent(model.recurrent().config());
        Initialization.XAVIER_ORTHOGONAL.initialize(same, "rnn.", 7);
        assertArrayEquals(same.parameter("weight_ih_l0").value(), model.parameter("rnn.weight_ih_l0").value());
    }

    @Test
    void specRebuildsTheSameModelAndRoundTripsThroughJson() {
        List<ModelSpec> specs = List.of(
                lstmFeatures(Head.LAST_STEP).initialization(Initialization.XAVIER_ORTHOGONAL).forgetBias(0.1f).seed(-3).spec(),
                gruTokens(Head.EVERY_STEP).gruVariant(GruVariant.RESET_BEFORE).seed(Long.MAX_VALUE).spec(),
                SequenceModel.builder().features(2).cell(CellType.RNN).nonlinearity(Nonlinearity.RELU).hiddenSize(3).bias(false)
                        .head(Head.EVERY_STEP).outputs(1).seed(Long.MIN_VALUE).spec());
        for (ModelSpec spec : specs) {
            String json = spec.toJson();
            ModelSpec parsed = ModelSpec.fromJson(json);
            assertEquals(spec, parsed, json);
            assertEquals(json, parsed.toJson());
            SequenceModel a = SequenceModel.create(spec), b = SequenceModel.create(parsed);
            assertEquals(spec, a.spec());
            for (int i = 0; i < a.parameters().size(); i++) {
                assertBitwise(a.namedParameters().get(i).name(), a.parameters().get(i).value(), b.parameters().get(i).value());
            }
        }
        ModelSpec tokens = specs.get(1);
        assertTrue(tokens.tokenInput());
        assertEquals(9, tokens.vocabulary());
        assertEquals(3, tokens.embeddingSize());
        assertEquals(0, tokens.features());
        assertFalse(specs.get(0).tokenInput());
        assertEquals(3, specs.get(0).features());
        assertTrue(specs.get(0).toJson().contains("\"forget_bias\":0.10000000149011612"), specs.get(0).toJson());
        assertTrue(specs.get(1).toJson().contains("\"forget_bias\":null"), specs.get(1).toJson());
    }

    @Test
    void malformedSpecJsonNamesTheKeyAtFault() {
        String good = lstmFeatures(Head.LAST_STEP).spec().toJson();
        assertRejected(good.replace("\"seed\":7", "\"seed\":7,\"extra\":1"), "unknown key 'extra'");
        assertRejected(good.replace(",\"seed\":7", ""), "missing 'seed'");
        assertRejected(good.replace("\"LAST_STEP\"", "\"FIRST_STEP\""), "'head' must be one of EVERY_STEP, LAST_STEP");
        assertRejected(good.replace("\"spec_version\":1", "\"spec_version\":2"), "spec_version 2");
        assertRejected(good.replace("\"outputs\":2", "\"outputs\":\"2\""), "'outputs' must be an integer");
        assertRejected(good.replace("\"outputs\":2", "\"outputs\":0"), "outputs must be at least 1");
        assertRejected(good.replace("\"hidden_size\":4", "\"hidden_size\":-4"), "hidden size");
        assertRejected(good.replace("\"forget_bias\":null", "\"forget_bias\":true"), "'forget_bias'");
        assertRejected(good.replace("\"LSTM\"", "\"GRU\"").replace("\"forget_bias\":null", "\"forget_bias\":1"), "forget-gate bias needs an LSTM");
        assertRejected("[1]", "not a valid JSON object");
        assertRejected("{", "not a valid JSON object");
    }

    private static void assertRejected(String json, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(json), json);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void builderRejectsIncompleteOrContradictorySettings() {
        assertThrows(IllegalStateException.class, () -> SequenceModel.builder().cell(CellType.GRU).hiddenSize(2).head(Head.LAST_STEP).outputs(1).build());
        assertThrows(IllegalStateException.class, () -> gruTokens(Head.LAST_STEP).features(3).build());
        assertThrows(IllegalStateException.class, () -> SequenceModel.builder().vocabulary(5).cell(CellType.GRU).hiddenSize(2).head(Head.LAST_STEP).outputs(1).build());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(Head.LAST_STEP).cell(null).build());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(null).build());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(Head.LAST_STEP).outputs(0).build());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(Head.LAST_STEP).hiddenSize(0).build());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(Head.LAST_STEP).layers(0).build());
        IllegalStateException gru = assertThrows(IllegalStateException.class, () -> gruTokens(Head.LAST_STEP).forgetBias(1f).build());
        assertTrue(gru.getMessage().contains("LSTM"), gru.getMessage());
        assertThrows(IllegalStateException.class, () -> lstmFeatures(Head.LAST_STEP).bias(false).forgetBias(1f).build());
    }

    @Test
    void inputsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ModelInput(null, null, 1, 1, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelInput(new float[1], new int[1], 1, 1, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> ModelInput.tokens(new int[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ModelInput.tokens(new int[6], 2, 3).withLengths(new int[] {1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> ModelInput.tokens(new int[6], 2, 3).withLengths(new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ModelInput.features(new float[6], 0, 3));

        SequenceModel tokens = gruTokens(Head.EVERY_STEP).build();
        SequenceModel features = lstmFeatures(Head.EVERY_STEP).build();
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> tokens.forward(ModelInput.features(new float[18], 2, 3)));
        assertTrue(kind.getMessage().contains("token ids"), kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> features.forward(ModelInput.tokens(new int[6], 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> features.forward(ModelInput.features(new float[17], 2, 3)));
        int[] ids = {0, 1, 2, 3, 9, 4};
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> tokens.forward(ModelInput.tokens(ids, 2, 3)));
        assertTrue(range.getMessage().contains("token id 9 at position 4 (step 1, sequence 1)"), range.getMessage());
        assertTrue(range.getMessage().contains("0..8"), range.getMessage());
    }

    @Test
    void backwardNeedsAForwardPassOfTheSameShape() {
        SequenceModel model = lstmFeatures(Head.LAST_STEP).build();
        assertThrows(IllegalStateException.class, () -> model.backward(Matrix.of(new float[6], 3, 2)));
        model.forward(ModelInput.features(new float[2 * 3 * 3], 2, 3));
        assertNull(model.lastRecurrentGradients());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.backward(Matrix.of(new float[12], 6, 2)));
        assertTrue(e.getMessage().contains("3x2"), e.getMessage());
        model.backward(Matrix.of(new float[6], 3, 2));
        assertEquals(2 * 3 * 3, model.lastRecurrentGradients().dInput().length);
    }

    @Test
    void workspacesAreReusedWhileTheShapeRepeats() {
        SequenceModel model = gruTokens(Head.EVERY_STEP).build();
        int[] ids = {1, 2, 3, 4, 5, 6};
        Matrix first = model.forward(ModelInput.tokens(ids, 2, 3));
        model.backward(Matrix.of(new float[18], 6, 3));
        Matrix second = model.forward(ModelInput.tokens(ids, 2, 3));
        assertSame(first.data(), second.data());
        Matrix longer = model.forward(ModelInput.tokens(new int[9], 3, 3));
        assertEquals(9, longer.rows());
    }

    /**
     * Truncated BPTT: running two chunks, carrying (h_n, c_n) into the second, equals running the whole sequence
     * (unidirectional: a reverse direction cannot carry state forward in time).
     */
    @Test
    void finalStateCarriesAcrossChunks() {
        SequenceModel model = lstmFeatures(Head.EVERY_STEP).bidirectional(false).build();
        randomize(model, 10);
        int t = 6, half = 3, b = 2, in = 3;
        float[] x = uniform(new SplittableRandom(11), t * b * in, 1.0);
        float[] whole = copy(model.forward(ModelInput.features(x, t, b)));
        float[] first = copy(model.forward(ModelInput.features(Arrays.copyOfRange(x, 0, half * b * in), half, b)));
        RecurrentOutput state = model.lastRecurrentOutput();
        float[] second = copy(model.forward(ModelInput.features(Arrays.copyOfRange(x, half * b * in, t * b * in), half, b)
                .withInitialState(state.hN().clone(), state.cN().clone())));
        assertEquals(whole.length, first.length + second.length);
        for (int i = 0; i < first.length; i++) assertEquals(whole[i], first[i], 1e-6f, "first chunk [" + i + "]");
        for (int i = 0; i < second.length; i++) assertEquals(whole[first.length + i], second[i], 1e-6f, "second chunk [" + i + "]");
        assertNotEquals(0f, whole[whole.length - 1]);
    }

    @Test
    void recurrentConfigComesFromTheBuilder() {
        RecurrentConfig c = gruTokens(Head.LAST_STEP).gruVariant(GruVariant.RESET_BEFORE).layers(3).bidirectional(true).build()
                .recurrent().config();
        assertEquals(new RecurrentConfig(CellType.GRU, 3, 5, 3, true, true, Nonlinearity.TANH, GruVariant.RESET_BEFORE), c);
    }
}
