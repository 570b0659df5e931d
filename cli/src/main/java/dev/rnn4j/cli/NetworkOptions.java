package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.app.TrainingSettings;
import picocli.CommandLine.Option;

/**
 * The network and optimisation options every task's train command takes ({@code @Mixin NetworkOptions network;}).
 * Their defaults are the task's: each command names a {@code defaultValueProvider} ({@link TaskDefaults}), and
 * --help shows them.
 */
final class NetworkOptions {
    @Option(names = "--cell", paramLabel = "CELL", completionCandidates = MemoryTaskCommand.CellNames.class,
            description = "${COMPLETION-CANDIDATES}")
    CellType cell;

    @Option(names = {"--hidden", "--hidden-size"}, paramLabel = "H", description = "hidden units per layer and direction")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", description = "stacked layers")
    int layers;

    @Option(names = "--dropout", paramLabel = "P", description = "dropout between layers and on the recurrent state")
    double dropout;

    @Option(names = "--epochs", paramLabel = "N", description = "at most this many epochs")
    int epochs;

    @Option(names = "--patience", paramLabel = "N", description = "stop after N epochs without a better validation loss; the best model is kept")
    int patience;

    @Option(names = "--batch", paramLabel = "B", description = "examples per step")
    int batch;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "${COMPLETION-CANDIDATES}: Adam, or plain SGD without momentum",
            completionCandidates = OptimizerNames.class)
    TrainingSettings.Optimizer optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "the optimizer's learning rate")
    double learningRate;

    @Option(names = "--clip-norm", paramLabel = "N", description = "the gradient's global norm is clipped to N")
    double clipNorm;

    static final class OptimizerNames extends LowerCaseNames<TrainingSettings.Optimizer> {
        OptimizerNames() {
            super(TrainingSettings.Optimizer.class);
        }
    }

    /** These options over the task's builder, with the shared seed and threads. */
    TrainingSettings settings(TrainingSettings.Builder task, TrainOptions train) {
        return task.cell(cell).hiddenSize(hidden).layers(layers).dropout(dropout).epochs(epochs).patience(patience).batchSize(batch)
                .optimizer(optimizer).learningRate(learningRate).clipNorm(clipNorm).seed(train.seed()).threads(train.threads()).build();
    }
}
