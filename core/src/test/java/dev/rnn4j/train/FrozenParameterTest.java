package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A parameter with trainable = false keeps its values through training; the others learn as usual. */
class FrozenParameterTest {

    static SequenceModel model() {
        return SequenceModel.builder().vocabulary(9).embeddingSize(4).cell(CellType.GRU).hiddenSize(6).head(Head.LAST_STEP).outputs(3)
                .seed(2).build();
    }

    static Dataset data() {
        SplittableRandom random = new SplittableRandom(4);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int[] ids = new int[5];
            for (int t = 0; t < ids.length; t++) ids[t] = random.nextInt(9);
            examples.add(Example.ofTokens(ids).withClass(ids[0] % 3));
        }
        return Dataset.of(examples);
    }

    static TrainConfig config() {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.01)).loss(new SoftmaxCrossEntropy()).epochs(3).seed(1).build();
    }

    @Test
    void frozenEmbeddingStaysAndTheRestLearns() {
        SequenceModel model = model();
        Parameter table = model.embedding().weight();
        table.setTrainable(false);
        float[] tableBefore = table.value().clone();
        float[] headBefore = model.head().weight().value().clone();
        Trainer trainer = new Trainer(model, config());
        trainer.fit(Batcher.of(data(), 8), List.of());
        assertArrayEquals(tableBefore, table.value(), "the frozen table changed");
        assertFalse(java.util.Arrays.equals(headBefore, model.head().weight().value()), "the head did not learn");
        assertTrue(trainer.optimizer().state().keySet().stream().noneMatch(k -> k.startsWith(table.name() + "/")),
                "the optimizer keeps state for the frozen table: " + trainer.optimizer().state().keySet());
    }

    @Test
    void unfrozenEmbeddingLearns() {
        SequenceModel model = model();
        float[] tableBefore = model.embedding().weight().value().clone();
        new Trainer(model, config()).fit(Batcher.of(data(), 8), List.of());
        assertFalse(java.util.Arrays.equals(tableBefore, model.embedding().weight().value()));
    }
}
