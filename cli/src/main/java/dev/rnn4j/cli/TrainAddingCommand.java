package dev.rnn4j.cli;

import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j train adding}: the adding problem, with its defaults. */
@Command(name = "adding", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"The adding problem: remember two marked numbers across T steps and add them.",
            "%nTrains a cell on the adding problem and reports how well it remembers: T random "
            + "numbers, two of them marked; predict their sum (predicting the mean scores MSE 0.167). "
            + "M.json gets the test score, the baseline, steps, seconds and grad_norm_by_step, "
            + "||dL/dh_t|| for t = 1..T: it shows whether the gradient reaches back T steps. "
            + "Adam, gradient norm clipped at 1; a validation (and a progress line) every 250 steps.", ""})
final class TrainAddingCommand extends MemoryTaskCommand {
    @Option(names = "--hidden-size", defaultValue = "" + MemoryTaskSettings.ADDING_HIDDEN_SIZE, paramLabel = "H", description = "hidden units")
    int hiddenSize;

    @Option(names = "--learning-rate", defaultValue = "" + MemoryTaskSettings.ADDING_LEARNING_RATE, paramLabel = "LR",
            description = "Adam's learning rate")
    double learningRate;

    @Override
    MemoryTask task() {
        return MemoryTask.ADDING;
    }

    @Override
    MemoryTaskSettings taskSettings() {
        return MemoryTaskSettings.defaults(task()).withHiddenSize(hiddenSize).withLearningRate(learningRate);
    }
}
