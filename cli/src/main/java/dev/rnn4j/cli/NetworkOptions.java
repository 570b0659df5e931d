package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.train.NonFiniteAction;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

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

    @Option(names = "--ema", paramLabel = "DECAY", description = "validate and keep an exponential moving average of the weights "
            + "with this decay, such as 0.999 (0: off)")
    double ema;

    static final class OptimizerNames extends LowerCaseNames<TrainingSettings.Optimizer> {
        OptimizerNames() {
            super(TrainingSettings.Optimizer.class);
        }
    }

    @Option(names = "--on-nonfinite", paramLabel = "ACTION", completionCandidates = NonFiniteNames.class,
            description = "a NaN or infinity in a training step: ${COMPLETION-CANDIDATES}. skip drops that step's update and counts it; "
                    + "stop ends the run, keeping the last good checkpoint and the best model")
    NonFiniteAction onNonFinite;

    /**
     * The options the command line gave, over the task's builder (whose values stand for the others: a task may
     * choose its defaults by its data, as classification does for text), with the shared seed and threads.
     */
    TrainingSettings settings(TrainingSettings.Builder task, TrainOptions train, ParseResult given) {
        if (given.hasMatchedOption("--cell")) task.cell(cell);
        if (given.hasMatchedOption("--hidden")) task.hiddenSize(hidden);
        if (given.hasMatchedOption("--layers")) task.layers(layers);
        if (given.hasMatchedOption("--dropout")) task.dropout(dropout);
        if (given.hasMatchedOption("--epochs")) task.epochs(epochs);
        if (given.hasMatchedOption("--patience")) task.patience(patience);
        if (given.hasMatchedOption("--batch")) task.batchSize(batch);
        if (given.hasMatchedOption("--optimizer")) task.optimizer(optimizer);
        if (given.hasMatchedOption("--learning-rate")) task.learningRate(learningRate);
        if (given.hasMatchedOption("--clip-norm")) task.clipNorm(clipNorm);
        if (given.hasMatchedOption("--on-nonfinite")) task.onNonFinite(onNonFinite);
        if (given.hasMatchedOption("--ema")) task.ema(ema);
        return task.seed(train.seed()).threads(train.threads()).build();
    }

    static final class NonFiniteNames extends LowerCaseNames<NonFiniteAction> {
        NonFiniteNames() {
            super(NonFiniteAction.class);
        }
    }
}
