package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEstimateTest {
    private static long parameters(SequenceModel model) {
        return model.parameters().stream().mapToLong(Parameter::size).sum();
    }

    @Test
    void countsTheParametersOfTheModelItDescribes() {
        List<SequenceModel> models = List.of(
                SequenceModel.builder().features(5).cell(CellType.LSTM).hiddenSize(7).layers(2).bidirectional(true).head(Head.LAST_STEP).outputs(3).build(),
                SequenceModel.builder().vocabulary(50).embeddingSize(6).cell(CellType.GRU).hiddenSize(6).head(Head.EVERY_STEP).outputs(50)
                        .tiedWeights(true).build(),
                SequenceModel.builder().features(2).cell(CellType.RNN).hiddenSize(9).bias(false).head(Head.EVERY_STEP).outputs(1).build());
        for (SequenceModel model : models) {
            MemoryEstimate estimate = MemoryEstimate.of(model.spec());
            assertEquals(parameters(model), estimate.parameters(), model.spec().toJson());
            assertEquals(8 * estimate.parameters(), estimate.parameterBytes(), "value and gradient");
            assertEquals(20 * estimate.parameters(), MemoryEstimate.of(model.spec(), 10, 4).parameterBytes(), "training: 5 floats each");
        }
    }

    @Test
    void activationsGrowWithStepsAndBatch() {
        ModelSpec spec = SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(8).head(Head.EVERY_STEP).outputs(2).build().spec();
        long small = MemoryEstimate.of(spec, 10, 4).activationBytes();
        assertEquals(4 * small, MemoryEstimate.of(spec, 40, 4).activationBytes(), 1.0);
        assertEquals(2 * small, MemoryEstimate.of(spec, 10, 8).activationBytes(), 1.0);
    }

    @Test
    void aRunLargerThanTheHeapIsRefusedWithTheMemoryItNeedsAndHowToGiveIt() {
        ModelSpec spec = SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(8).head(Head.EVERY_STEP).outputs(2).build().spec();
        MemoryEstimate estimate = MemoryEstimate.of(spec, 100_000, 100_000);
        estimate.requireFits(Long.MAX_VALUE, "training");
        String message = assertThrows(IllegalArgumentException.class, () -> estimate.requireFits(1L << 30, "training")).getMessage();
        assertTrue(message.matches("training needs about [0-9.]+ TiB|training needs about [0-9.]+ GiB .* but this JVM may use at most 1\\.0 GiB; "
                + "give it more with RNN4J_JAVA_OPTS=-Xmx\\d+g .*"), message);
    }

    @Test
    void aParameterLargerThanAJavaArrayIsRefusedBeforeAllocating() {
        String message = assertThrows(IllegalArgumentException.class, () -> SequenceModel.builder().vocabulary(2_000_000).embeddingSize(2000)
                .cell(CellType.GRU).hiddenSize(4).head(Head.EVERY_STEP).outputs(2).build()).getMessage();
        assertTrue(message.startsWith("the model is too large: a parameter would have 4,000,000,000 values"), message);
    }
}
