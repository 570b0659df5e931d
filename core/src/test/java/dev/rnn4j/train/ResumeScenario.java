package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.ReduceOnPlateau;

import java.nio.file.Path;
import java.util.List;

/**
 * The training runs of the checkpoint tests, shared with {@link CheckpointChild} so that the child process trains
 * exactly what the test compares with.
 */
final class ResumeScenario {
    private ResumeScenario() {}

    // ---- finite data: a LAST_STEP classifier over variable-length sequences, 5 bucketed batches per epoch

    static SequenceModel epochModel() {
        return TrainTestSupport.lstm(Head.LAST_STEP, 2, 3);
    }

    static Batcher epochData() {
        return Batcher.of(TrainTestSupport.signOfSum(40, 1), 8).bucketed(2);
    }

    static List<Batch> epochValidation() {
        return Batcher.of(TrainTestSupport.signOfSum(16, 2), 8).inOrder();
    }

    /**
     * Adam, both clippings, ReduceOnPlateau (wanting a 5% gain per epoch), early stopping with restore (wanting a
     * gain of 0.03), 8 epochs of 5 steps.
     */
    static TrainConfig epochConfig(Path checkpoints, long every) {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.02)).loss(new SoftmaxCrossEntropy()).clipNorm(1.0).clipValue(0.2)
                .plateau(new PlateauSettings(0.5, 0, 0.05, ReduceOnPlateau.ThresholdMode.RELATIVE, 0, 0, 1e-8)).epochs(8)
                .earlyStopping(new EarlyStopping(3, 0.03, true)).checkpoints(checkpoints, every)
                .seed(9).threads(1).build();
    }

    // ---- endless data: stateful truncated BPTT over streams, epochs of 4 steps

    static SequenceModel streamModel() {
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(6).layers(2).head(Head.EVERY_STEP).outputs(2).seed(4).build();
    }

    static BatchSource streamData() {
        return TrainTestSupport.delayedSign(21, 12, 4);
    }

    static List<Batch> streamValidation() {
        return TrainTestSupport.delayedSign(99, 12, 4).take(2);
    }

    /** RMSprop with momentum, chunks of 5 steps (3 per batch), a step schedule, 20 steps. */
    static TrainConfig streamConfig(Path checkpoints, long every) {
        return TrainConfig.builder().optimizer(new OptimizerSpec.RmsProp(0.01, 0.9, 1e-8, 1e-4, 0.5, true)).loss(new SoftmaxCrossEntropy())
                .clipNorm(2.0).schedule(new dev.rnn4j.optim.StepDecay(2, 0.5)).maxSteps(20).stepsPerEpoch(4).truncatedBptt(5)
                .checkpoints(checkpoints, every).seed(17).threads(1).build();
    }
}
