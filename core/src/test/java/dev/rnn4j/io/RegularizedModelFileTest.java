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
import dev.rnn4j.tensor.Buffer;
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

    /** A batch-normalised network with every parameter and population statistic away from its initial value. */
    private static Recurrent batchNormalised(long seed) {
        Recurrent net = Lstm.builder().inputSize(3).hiddenSize(4).layers(2).regularization(Regularization.builder().batchNorm(3).build())
                .seed(seed).build();
        for (Parameter p : net.parameters()) p.set(random(p.name().hashCode() + seed, p.size()));
        for (Buffer b : net.buffers()) {
            float[] v = random(b.name().hashCode() + seed, b.size());
            if (b.name().contains("_var")) for (int i = 0; i < v.length; i++) v[i] = 1.5f + v[i];
            b.set(v);
        }
        return net;
    }

    @Test
    void recurrentModelFileKeepsBatchNormAndItsStatistics(@TempDir Path dir) {
        Recurrent net = batchNormalised(1);
        Path file = dir.resolve("bn.rnn4j");
        ModelFile.save(net, file, Provenance.now("test", null));
        Recurrent loaded = ModelFile.load(file);
        assertEquals(net.config(), loaded.config());
        assertEquals(3, loaded.config().regularization().batchNormSteps());
        for (Buffer b : net.buffers()) assertArrayEquals(b.value(), loaded.buffer(b.name()).value(), b.name());
        float[] x = random(3, 5 * 2 * 3);
        float[] expected = net.forward(SequenceBatch.of(x, 5, 2)).output().clone();
        assertArrayEquals(expected, loaded.forward(SequenceBatch.of(x, 5, 2)).output(), "inference (population statistics) after a round trip");
        assertTrue(ModelFile.configJson(net.config()).contains("\"batch_norm_steps\":3"), ModelFile.configJson(net.config()));
        assertTrue(!ModelFile.configJson(Lstm.builder().inputSize(2).hiddenSize(2).regularization(ALL).build().config()).contains("batch_norm"),
                "no batch_norm_steps key without batch normalisation, so files of the other options stay as they were");
    }

    @Test
    void sequenceModelFileKeepsTheStatisticsAndNamesAMissingOne(@TempDir Path dir) {
        SequenceModel model = SequenceModel.builder().vocabulary(7).embeddingSize(3).cell(CellType.LSTM).hiddenSize(4)
                .regularization(Regularization.builder().batchNorm(6).build()).head(Head.EVERY_STEP).outputs(7)
                .initialization(Initialization.XAVIER_ORTHOGONAL).seed(4).build();
        for (float v : model.parameter("rnn.bn_hh_weight_l0").value()) assertEquals(0.1f, v, "batch-norm gains start at 0.1 under every scheme");
        model.namedBuffers().forEach(b -> b.buffer().set(random(b.name().hashCode(), b.buffer().size())));
        Path file = dir.resolve("model.rnn4j");
        SequenceModelFile.save(model, file, null);
        SequenceModel loaded = SequenceModelFile.load(file);
        assertEquals(model.spec(), loaded.spec());
        for (int i = 0; i < model.namedBuffers().size(); i++) {
            assertEquals("rnn." + model.recurrent().buffers().get(i).name(), loaded.namedBuffers().get(i).name());
            assertArrayEquals(model.namedBuffers().get(i).buffer().value(), loaded.namedBuffers().get(i).buffer().value());
        }

        SafetensorsFile st = SafetensorsFile.read(file);
        SafetensorsWriter without = new SafetensorsWriter();
        st.metadata().forEach(without::metadata);
        for (String name : st.names()) {
            if (!name.equals("rnn.bn_c_running_var_l0")) without.putFloats(name, Tensors.readF32(st, name, st.shape(name)), st.shape(name));
        }
        Path damaged = dir.resolve("damaged.rnn4j");
        without.write(damaged);
        ModelFileException e = assertThrows(ModelFileException.class, () -> SequenceModelFile.load(damaged));
        assertTrue(e.getMessage().startsWith(damaged + ": missing tensor 'rnn.bn_c_running_var_l0' (a population statistic of batch normalisation)"),
                e.getMessage());
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
