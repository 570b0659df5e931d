package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.RecurrentGradients;
import dev.rnn4j.layer.ReferenceRecurrentAccess;
import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static dev.rnn4j.layer.GradientAssertions.assertNoFailures;
import static dev.rnn4j.layer.GradientAssertions.check;
import static dev.rnn4j.layer.ReferenceFixtures.toDouble;
import static dev.rnn4j.layer.ReferenceFixtures.uniform;
import static dev.rnn4j.model.ModelTestSupport.denseForward;
import static dev.rnn4j.model.ModelTestSupport.dot;
import static dev.rnn4j.model.ModelTestSupport.embeddingForward;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole {@link SequenceModel}'s backward pass (float) against central differences of a double-precision reference
 * of the same model (embedding lookup and dense head written out here, the recurrent network by
 * dev.rnn4j.layer.ReferenceRecurrent), for L = sum(predictions * R) with random R, following the recipe of
 * {@link dev.rnn4j.layer.GradientAssertions}. Every parameter is checked (sampled), and the feature input, h0 and c0 where they exist.
 *
 * <p>Masked rows: for {@link Head#EVERY_STEP} with lengths, R is random at padded rows too ("padded rows included"),
 * where the predictions are the head's bias, so that bias must get their gradient and nothing else may; one case
 * zeroes R there instead ("padded rows masked"), as a masking loss does. Parameters are overwritten with distinct
 * random values (never the zero biases of an initialisation).
 */
class SequenceModelGradientCheckTest {
    static final int STEPS = 5, BATCH = 3, INPUT = 3, HIDDEN = 4, VOCABULARY = 6, OUTPUTS = 2;
    static final double WEIGHT_BOUND = 0.6;

    record Case(String name, boolean tokens, CellType cell, GruVariant variant, int layers, boolean bidirectional, Head head,
                int[] lengths, boolean initialState, boolean maskPadded, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        int[] lengths = {5, 2, 4};
        GruVariant after = GruVariant.RESET_AFTER;
        return List.of(
                new Case("features, LSTM 2 layers bidirectional, LAST_STEP, lengths, h0/c0", false, CellType.LSTM, after, 2, true,
                        Head.LAST_STEP, lengths, true, false, 11),
                new Case("tokens, GRU, EVERY_STEP, lengths, padded rows included", true, CellType.GRU, after, 1, false,
                        Head.EVERY_STEP, lengths, false, false, 12),
                new Case("tokens, GRU, EVERY_STEP, lengths, padded rows masked", true, CellType.GRU, after, 1, false,
                        Head.EVERY_STEP, lengths, false, true, 13),
                new Case("tokens, GRU reset-before 2 layers bidirectional, LAST_STEP, lengths", true, CellType.GRU,
                        GruVariant.RESET_BEFORE, 2, true, Head.LAST_STEP, lengths, false, false, 14),
                new Case("features, LSTM 2 layers bidirectional, EVERY_STEP, lengths, padded rows included", false, CellType.LSTM,
                        after, 2, true, Head.EVERY_STEP, lengths, false, false, 15),
                new Case("features, RNN tanh, EVERY_STEP, full length, h0", false, CellType.RNN, after, 1, false,
                        Head.EVERY_STEP, null, true, false, 16),
                new Case("features, LSTM bidirectional, MEAN, lengths", false, CellType.LSTM, after, 1, true, Head.MEAN, lengths,
                        false, false, 17),
                new Case("tokens, GRU 2 layers bidirectional, MAX, lengths", true, CellType.GRU, after, 2, true, Head.MAX, lengths,
                        false, false, 18),
                new Case("features, LSTM 2 layers bidirectional, ATTENTION, lengths, h0/c0", false, CellType.LSTM, after, 2, true,
                        Head.ATTENTION, lengths, true, false, 19),
                new Case("tokens, RNN tanh, ATTENTION, full length", true, CellType.RNN, after, 1, false, Head.ATTENTION, null, false,
                        false, 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferencesOfReference(Case c) {
        SequenceModel.Builder builder = SequenceModel.builder().cell(c.cell()).gruVariant(c.variant()).hiddenSize(HIDDEN)
                .layers(c.layers()).bidirectional(c.bidirectional()).head(c.head()).outputs(OUTPUTS).seed(c.seed());
        if (c.tokens()) builder.vocabulary(VOCABULARY).embeddingSize(INPUT);
        else builder.features(INPUT);
        SequenceModel model = builder.build();
        RecurrentConfig config = model.recurrent().config();
        SplittableRandom random = new SplittableRandom(c.seed());
        for (NamedParameter p : model.namedParameters()) p.parameter().set(uniform(random, p.parameter().size(), WEIGHT_BOUND));

        int stateSize = config.layers() * config.directions() * BATCH * HIDDEN;
        float[] features = c.tokens() ? null : uniform(random, STEPS * BATCH * INPUT, 1.0);
        int[] tokens = null;
        if (c.tokens()) {
            tokens = new int[STEPS * BATCH];
            for (int i = 0; i < tokens.length; i++) tokens[i] = random.nextInt(VOCABULARY);
        }
        float[] h0 = c.initialState() ? uniform(random, stateSize, 0.8) : null;
        float[] c0 = c.initialState() && c.cell() == CellType.LSTM ? uniform(random, stateSize, 0.8) : null;
        int rows = c.head() == Head.EVERY_STEP ? STEPS * BATCH : BATCH;
        float[] r = uniform(random, rows * OUTPUTS, 1.0);
        if (c.maskPadded()) {
            for (int t = 0; t < STEPS; t++) {
                for (int b = 0; b < BATCH; b++) {
                    if (t >= c.lengths()[b]) Arrays.fill(r, (t * BATCH + b) * OUTPUTS, (t * BATCH + b + 1) * OUTPUTS, 0f);
                }
            }
        }

        // analytic, float
        ModelInput input = (c.tokens() ? ModelInput.tokens(tokens, STEPS, BATCH) : ModelInput.features(features, STEPS, BATCH))
                .withLengths(c.lengths()).withInitialState(h0, c0);
        model.zeroGrad();
        Matrix predictions = model.forward(input);
        float[] predicted = Arrays.copyOf(predictions.data(), rows * OUTPUTS);
        model.backward(Matrix.of(r, rows, OUTPUTS));
        RecurrentGradients g = model.lastRecurrentGradients();

        // numeric, double: qualified name -> values, read live by the reference
        Map<String, double[]> params = new LinkedHashMap<>();
        for (NamedParameter p : model.namedParameters()) params.put(p.name(), toDouble(p.parameter().value()));
        Map<String, double[]> rnnParams = new LinkedHashMap<>();
        params.forEach((name, values) -> {
            if (name.startsWith("rnn.")) rnnParams.put(name.substring(4), values);
        });
        double[] x = toDouble(features);
        double[] h0d = h0 == null ? new double[stateSize] : toDouble(h0);
        double[] c0d = c0 == null ? new double[stateSize] : toDouble(c0);
        double[] rd = toDouble(r);
        int[] ids = tokens;
        DoubleSupplier loss = () -> dot(reference(c, config, params, rnnParams, x, ids, h0d, c0d), rd);

        double[] expected = reference(c, config, params, rnnParams, x, ids, h0d, c0d);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], predicted[i], 1e-5, c + ": prediction flat " + i + " vs the double reference");
        }

        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(c.seed() + 17);
        for (NamedParameter p : model.namedParameters()) {
            check(failures, p.name(), params.get(p.name()), p.parameter().grad(), loss, sampler);
        }
        if (!c.tokens()) check(failures, "features", x, g.dInput(), loss, sampler);
        if (c.initialState()) {
            check(failures, "h0", h0d, g.dH0(), loss, sampler);
            if (c0 != null) check(failures, "c0", c0d, g.dC0(), loss, sampler);
        }
        assertNoFailures(c.toString(), failures);
    }

    /** The model's predictions in double: [embedding] -> reference recurrent -> (every step | a pooling) -> dense. */
    static double[] reference(Case c, RecurrentConfig config, Map<String, double[]> params, Map<String, double[]> rnnParams,
                              double[] features, int[] tokens, double[] h0, double[] c0) {
        double[] x = c.tokens() ? embeddingForward(tokens, params.get("embedding.weight"), INPUT) : features;
        ReferenceRecurrentAccess.Result out = ReferenceRecurrentAccess.forward(config, rnnParams, x, STEPS, BATCH, c.lengths(), h0, c0);
        int width = config.outputSize();
        double[] headInput;
        int rows;
        if (c.head() == Head.EVERY_STEP) {
            headInput = out.output();
            rows = STEPS * BATCH;
        } else {
            rows = BATCH;
            headInput = pooledReference(c, config, out.output(), params.get("pool.weight"));
        }
        return denseForward(headInput, rows, width, params.get("head.weight"), params.get("head.bias"), OUTPUTS);
    }

    /** Each pooled head written out plainly in double: one [W] vector per sequence from its valid steps. */
    static double[] pooledReference(Case c, RecurrentConfig config, double[] y, double[] attention) {
        int width = config.outputSize();
        double[] pooled = new double[BATCH * width];
        for (int b = 0; b < BATCH; b++) {
            int length = c.lengths() == null ? STEPS : c.lengths()[b];
            double[] scores = new double[length];
            double total = 0;
            if (c.head() == Head.ATTENTION) {
                for (int t = 0; t < length; t++) {
                    for (int j = 0; j < width; j++) scores[t] += attention[j] * y[(t * BATCH + b) * width + j];
                    total += scores[t] = Math.exp(scores[t]);
                }
            }
            for (int j = 0; j < width; j++) {
                double v = switch (c.head()) {
                    case LAST_STEP -> {
                        int dir = j / HIDDEN;
                        int step = dir == 0 ? length - 1 : 0; // the reverse direction ends at step 0
                        yield y[(step * BATCH + b) * width + j];
                    }
                    case MEAN -> {
                        double sum = 0;
                        for (int t = 0; t < length; t++) sum += y[(t * BATCH + b) * width + j];
                        yield sum / length;
                    }
                    case MAX -> {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int t = 0; t < length; t++) max = Math.max(max, y[(t * BATCH + b) * width + j]);
                        yield max;
                    }
                    case ATTENTION -> {
                        double sum = 0;
                        for (int t = 0; t < length; t++) sum += scores[t] / total * y[(t * BATCH + b) * width + j];
                        yield sum;
                    }
                    case EVERY_STEP -> throw new IllegalArgumentException("not pooled");
                };
                pooled[b * width + j] = v;
            }
        }
        return pooled;
    }
}
