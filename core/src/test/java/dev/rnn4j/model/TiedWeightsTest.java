package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.ReferenceRecurrentAccess;
import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tied weights (Press &amp; Wolf 2017): the head's weight is the embedding table, one parameter whose gradient is the
 * sum of the lookup's and the head's; checked against central differences of a double reference that uses the one
 * table in both places.
 */
class TiedWeightsTest {
    static final int STEPS = 4, BATCH = 3, SIZE = 5, VOCABULARY = 7;

    static SequenceModel.Builder tied(CellType cell) {
        return SequenceModel.builder().vocabulary(VOCABULARY).embeddingSize(SIZE).cell(cell).hiddenSize(SIZE).layers(2)
                .head(Head.EVERY_STEP).outputs(VOCABULARY).tiedWeights(true).seed(3);
    }

    @Test
    void oneParameterServesTheEmbeddingAndTheHead() {
        SequenceModel model = tied(CellType.LSTM).build();
        assertSame(model.embedding().weight(), model.head().weight());
        List<String> names = model.namedParameters().stream().map(NamedParameter::name).toList();
        assertFalse(names.contains("head.weight"), names.toString());
        assertEquals("embedding.weight", names.getFirst());
        assertEquals("head.bias", names.getLast());
        SequenceModel untied = tied(CellType.LSTM).tiedWeights(false).build();
        assertEquals(names.size() + 1, untied.namedParameters().size());
    }

    @Test
    void tiedTableStartsWithTheHeadsScaleNotUnitNormal() {
        float[] table = tied(CellType.LSTM).initialization(Initialization.XAVIER_ORTHOGONAL).build().embedding().weight().value();
        double bound = Math.sqrt(6.0 / (SIZE + VOCABULARY));
        double max = 0;
        for (float v : table) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound && max > bound / 2, "max |w| " + max + " against Xavier's bound " + bound);
    }

    @Test
    void specNeedsMatchingSizesAndRoundTrips() {
        assertThrows(IllegalStateException.class, () -> tied(CellType.GRU).hiddenSize(SIZE + 1).build());
        assertThrows(IllegalStateException.class, () -> tied(CellType.GRU).outputs(VOCABULARY - 1).build());
        ModelSpec spec = tied(CellType.GRU).spec();
        assertTrue(spec.toJson().contains("\"tie_weights\":true"));
        assertEquals(spec, ModelSpec.fromJson(spec.toJson()));
        ModelSpec untied = tied(CellType.GRU).tiedWeights(false).spec();
        assertFalse(untied.toJson().contains("tie_weights"), "an untied spec is written as before");
        assertEquals(untied, ModelSpec.fromJson(untied.toJson()));
    }

    @Test
    void savedAndLoadedModelIsStillTied(@TempDir Path dir) {
        SequenceModel model = tied(CellType.GRU).build();
        model.embedding().weight().value()[3] = 0.125f;
        Path file = dir.resolve("tied.rnn4j");
        SequenceModelFile.save(model, file, null, null);
        SequenceModel loaded = SequenceModelFile.load(file);
        assertSame(loaded.embedding().weight(), loaded.head().weight());
        assertArrayEquals(model.embedding().weight().value(), loaded.head().weight().value());
    }

    @Test
    void gradientOfTheSharedTableIsTheSumOfBothUses() {
        SequenceModel model = tied(CellType.LSTM).build();
        RecurrentConfig config = model.recurrent().config();
        SplittableRandom random = new SplittableRandom(5);
        for (NamedParameter p : model.namedParameters()) p.parameter().set(uniform(random, p.parameter().size(), 0.6));
        int[] tokens = new int[STEPS * BATCH];
        for (int i = 0; i < tokens.length; i++) tokens[i] = random.nextInt(VOCABULARY);
        int rows = STEPS * BATCH;
        float[] r = uniform(random, rows * VOCABULARY, 1.0);

        model.zeroGrad();
        Matrix predictions = model.forward(ModelInput.tokens(tokens, STEPS, BATCH));
        float[] predicted = Arrays.copyOf(predictions.data(), rows * VOCABULARY);
        model.backward(Matrix.of(r, rows, VOCABULARY));

        Map<String, double[]> params = new LinkedHashMap<>();
        for (NamedParameter p : model.namedParameters()) params.put(p.name(), toDouble(p.parameter().value()));
        Map<String, double[]> rnn = new LinkedHashMap<>();
        params.forEach((name, values) -> {
            if (name.startsWith("rnn.")) rnn.put(name.substring(4), values);
        });
        double[] rd = toDouble(r);
        DoubleSupplier loss = () -> dot(reference(config, params, rnn, tokens), rd);
        double[] expected = reference(config, params, rnn, tokens);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], predicted[i], 1e-5, "prediction " + i);

        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(9);
        for (NamedParameter p : model.namedParameters()) check(failures, p.name(), params.get(p.name()), p.parameter().grad(), loss, sampler);
        assertNoFailures("tied LSTM 2 layers", failures);
    }

    /** Embedding lookup and head over the one table, in double. */
    static double[] reference(RecurrentConfig config, Map<String, double[]> params, Map<String, double[]> rnn, int[] tokens) {
        double[] table = params.get("embedding.weight");
        double[] x = embeddingForward(tokens, table, SIZE);
        ReferenceRecurrentAccess.Result out = ReferenceRecurrentAccess.forward(config, rnn, x, STEPS, BATCH, null, new double[2 * BATCH * SIZE],
                new double[2 * BATCH * SIZE]);
        return denseForward(out.output(), STEPS * BATCH, SIZE, table, params.get("head.bias"), VOCABULARY);
    }
}
