package dev.rnn4j.io;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer norm and zoneout change what a model computes at inference, so model files must carry them. */
class RegularizedModelFileTest {
    private static final Regularization ALL = Regularization.builder().inputDropout(0.1).layerDropout(0.2).recurrentDropout(0.25)
            .zoneoutHidden(0.1).zoneoutCell(0.05).layerNorm(true).wordDropout(0.15).build();

    private static float[] random(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-1, 1);
        return v;
    }

    @Test
    void recurrentModelFileKeepsLayerNormAndZoneout(@TempDir Path dir) {
        Recurrent net = Lstm.builder().inputSize(3).hiddenSize(4).layers(2).regularization(ALL).seed(2).build();
        for (Parameter p : net.parameters()) p.set(random(p.name().hashCode(), p.size())); // gains away from 1
        Path file = dir.resolve("ln.rnn4j");
        ModelFile.save(net, file, Provenance.now("test", null));
        Recurrent loaded = ModelFile.load(file);
        assertEquals(net.config(), loaded.config());
        float[] x = random(3, 5 * 2 * 3);
        RecurrentOutput a = net.forward(SequenceBatch.of(x, 5, 2));
        float[] expected = a.output().clone();
        assertArrayEquals(expected, loaded.forward(SequenceBatch.of(x, 5, 2)).output(), "inference after a round trip");
    }

    @Test
    void sequenceModelSpecCarriesRegularization(@TempDir Path dir) {
        SequenceModel model = SequenceModel.builder().features(3).cell(CellType.GRU).hiddenSize(5).layers(2)
                .regularization(Regularization.builder().zoneoutHidden(0.2).layerNorm(true).recurrentDropout(0.1).build())
                .head(Head.LAST_STEP).outputs(2).initialization(Initialization.XAVIER_ORTHOGONAL).seed(4).build();
        Parameter gain = model.parameter("rnn.ln_ih_weight_l0");
        for (float v : gain.value()) assertEquals(1f, v, "layer-norm gains start at 1");
        Path file = dir.resolve("model.rnn4j");
        SequenceModelFile.save(model, file, TrainingProvenance.now("test", "{}", 4L, null));
        SequenceModel loaded = SequenceModelFile.load(file);
        assertEquals(model.spec(), loaded.spec());
        float[] x = random(5, 6 * 3 * 3);
        float[] expected = model.forward(ModelInput.features(x, 6, 3)).data().clone();
        float[] actual = loaded.forward(ModelInput.features(x, 6, 3)).data().clone();
        assertArrayEquals(expected, actual);
    }

    @Test
    void unknownRegularizationKeyIsRejected() {
        String json = ModelFile.configJson(Lstm.builder().inputSize(2).hiddenSize(2).regularization(ALL).build().config())
                .replace("\"layer_norm\"", "\"weight_drop\": 0.1, \"layer_norm\"");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.parseConfig("m.rnn4j", json));
        assertEquals("m.rnn4j: config: regularization: unknown key 'weight_drop'", e.getMessage());
        assertTrue(ModelFile.configJson(Lstm.builder().inputSize(2).hiddenSize(2).build().config()).indexOf("regularization") < 0,
                "no regularization key without regularisation, so older readers and fixtures are unaffected");
    }
}
