package dev.rnn4j.train;

import dev.rnn4j.loss.Huber;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.optim.CosineAnnealing;
import dev.rnn4j.optim.ReduceOnPlateau;
import dev.rnn4j.optim.Sgd;
import dev.rnn4j.loss.GradientScaled;
import dev.rnn4j.optim.ExponentialDecay;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {

    private static TrainConfig full() {
        return TrainConfig.builder().optimizer(new OptimizerSpec.AdamW(3e-4, 0.85, 0.995, 1e-7, 0.05, true)).loss(new Huber(0.5))
                .clipNorm(0.25).clipValue(3).schedule(new CosineAnnealing(10, 1e-5)).epochs(12).maxSteps(1000).stepsPerEpoch(0)
                .earlyStopping(new EarlyStopping(4, 1e-3, false)).checkpoints(Path.of("runs", "x"), 50).seed(-7).threads(3)
                .truncatedBptt(35).build();
    }

    @Test
    void jsonRoundTripsEverySetting() {
        TrainConfig config = full();
        String json = config.toJson();
        assertEquals("{\"config_version\":1,\"optimizer\":{\"type\":\"AdamW\",\"learning_rate\":3.0E-4,\"beta1\":0.85,\"beta2\":0.995,"
                + "\"epsilon\":1.0E-7,\"weight_decay\":0.05,\"amsgrad\":true},\"loss\":{\"type\":\"Huber\",\"delta\":0.5},\"clip_norm\":0.25,"
                + "\"clip_value\":3,\"schedule\":{\"type\":\"CosineAnnealing\",\"epochs_to_minimum\":10,\"minimum_rate\":1.0E-5},"
                + "\"plateau\":null,\"epochs\":12,\"max_steps\":1000,\"steps_per_epoch\":0,\"early_stopping\":{\"patience\":4,"
                + "\"min_delta\":0.001,\"restore_best\":false},\"checkpoint_directory\":\"runs/x\",\"checkpoint_every_steps\":50,"
                + "\"seed\":-7,\"threads\":3,\"truncated_bptt\":35}", json);
        TrainConfig back = TrainConfig.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(config.optimizer(), back.optimizer());
        assertEquals(config.schedule(), back.schedule());
        assertEquals(0.5, ((Huber) back.loss()).delta());

        TrainConfig plateau = TrainConfig.builder().optimizer(new OptimizerSpec.Sgd(0.1, 0.9, 0, true, 1e-4)).loss(new SoftmaxCrossEntropy())
                .plateau(new PlateauSettings(0.3, 2, 0.01, ReduceOnPlateau.ThresholdMode.ABSOLUTE, 1, 1e-6, 0)).maxSteps(5).build();
        assertEquals(plateau.toJson(), TrainConfig.fromJson(plateau.toJson()).toJson());
        assertEquals(plateau.plateau(), TrainConfig.fromJson(plateau.toJson()).plateau());
        for (OptimizerSpec spec : List.of(OptimizerSpec.adam(1e-3), OptimizerSpec.rmsProp(1e-2), OptimizerSpec.sgd(0.5))) {
            TrainConfig c = plateau.toBuilder().optimizer(spec).build();
            assertEquals(spec, TrainConfig.fromJson(c.toJson()).optimizer());
            assertEquals(spec.learningRate(), spec.create().learningRate());
        }
    }

    /** Zaremba et al.'s language-model recipe: SGD, the gradient summed over the unrolled steps, decay after 4 epochs. */
    @Test
    void gradientScaledLossAndDelayedDecayRoundTrip() {
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.sgd(1)).loss(new GradientScaled(new SoftmaxCrossEntropy(), 20))
                .schedule(new ExponentialDecay(0.5, 4)).epochs(13).build();
        String json = config.toJson();
        assertTrue(json.contains("\"loss\":{\"type\":\"GradientScaled\",\"scale\":20,\"loss\":{\"type\":\"SoftmaxCrossEntropy\"}}"), json);
        assertTrue(json.contains("{\"type\":\"ExponentialDecay\",\"factor\":0.5,\"constant_epochs\":4}"), json);
        TrainConfig back = TrainConfig.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(new ExponentialDecay(0.5, 4), back.schedule());
        // files written before constant_epochs existed read as PyTorch's ExponentialLR
        String old = json.replace(",\"constant_epochs\":4", "");
        assertEquals(new ExponentialDecay(0.5), TrainConfig.fromJson(old).schedule());
    }

    @Test
    void customPartsAreRecordedButCannotBeRebuilt() {
        Loss custom = new Loss() {
            @Override
            public double lossAndGradient(dev.rnn4j.tensor.Matrix p, dev.rnn4j.loss.Targets t, dev.rnn4j.tensor.Matrix g) {
                return 0;
            }

            @Override
            public String toString() {
                return "MyLoss";
            }
        };
        TrainConfig c = TrainConfig.builder().optimizer(Sgd.builder(0.1).build()).loss(custom).epochs(1).build();
        assertInstanceOf(OptimizerSpec.Custom.class, c.optimizer());
        assertEquals(0.1, c.optimizer().learningRate());
        assertTrue(c.toJson().contains("\"loss\":{\"type\":\"custom\",\"description\":\"MyLoss\"}"), c.toJson());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(c.toJson())).getMessage().contains("custom optimizer"));
    }

    @Test
    void fromJsonNamesWhatIsWrong() {
        String json = full().toJson();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(json.replace("\"seed\"", "\"sead\"")))
                .getMessage().contains("'seed'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(json.replace("}", ",\"extra\":1}")))
                .getMessage().contains("unknown key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(json.replace("\"config_version\":1", "\"config_version\":2")))
                .getMessage().contains("config_version 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(json.replace("\"epochs\":12", "\"epochs\":\"12\"")))
                .getMessage().contains("'epochs' must be an integer"));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson("[1]"));
    }

    @Test
    void rejectsContradictorySettings() {
        TrainConfig.Builder b = TrainConfig.builder().optimizer(OptimizerSpec.adam(1e-3)).loss(new MeanSquaredError());
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().contains("epochs or maxSteps"));
        b.epochs(1);
        b.build();
        assertThrows(IllegalArgumentException.class, () -> b.schedule(new CosineAnnealing(3)).plateau(PlateauSettings.of(0.5, 1)).build());
        b.schedule(null).plateau(null);
        assertThrows(IllegalArgumentException.class, () -> b.checkpoints(null, 5).build());
        b.checkpoints(null, 0);
        assertThrows(IllegalArgumentException.class, () -> b.clipNorm(0).build());
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec.Adam(-1, 0.9, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> PlateauSettings.of(1.5, 1));
    }

    @Test
    void resumeMayChangeOnlyHowLongAndWhere() {
        TrainConfig config = full();
        TrainConfig longer = config.toBuilder().epochs(20).maxSteps(0).checkpoints(Path.of("elsewhere"), 7).threads(1).build();
        assertEquals(List.of(), longer.differencesForResume(config.toJson()));
        TrainConfig other = config.toBuilder().seed(8).truncatedBptt(10).build();
        assertEquals(List.of("seed", "truncated_bptt"), other.differencesForResume(config.toJson()));
    }
}
