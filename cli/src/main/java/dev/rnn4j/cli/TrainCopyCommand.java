package dev.rnn4j.cli;

import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j train copy}: the copy task, with its defaults. */
@Command(name = "copy", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"The copy task: memorise a few symbols, reproduce them after T blank steps.",
            "%nTrains a cell on the copy task and reports how well it remembers: memorise --symbols "
            + "letters of --alphabet, reproduce them after T blank steps. M.json gets the test score, the "
            + "baseline, the recall accuracy, steps, seconds and grad_norm_by_step, ||dL/dh_t|| for "
            + "t = 1..T: it shows whether the gradient reaches back T steps. "
            + "Adam, gradient norm clipped at 1; a validation (and a progress line) every 250 steps.", ""})
final class TrainCopyCommand extends MemoryTaskCommand {
    @Option(names = "--hidden-size", defaultValue = "" + MemoryTaskSettings.COPY_HIDDEN_SIZE, paramLabel = "H", description = "hidden units")
    int hiddenSize;

    @Option(names = "--learning-rate", defaultValue = "" + MemoryTaskSettings.COPY_LEARNING_RATE, paramLabel = "LR",
            description = "Adam's learning rate")
    double learningRate;

    @Option(names = "--symbols", defaultValue = "" + MemoryTaskSettings.DEFAULT_SYMBOLS, paramLabel = "N", description = "symbols to memorise")
    int symbols;

    @Option(names = "--alphabet", defaultValue = "" + MemoryTaskSettings.DEFAULT_ALPHABET, paramLabel = "N", description = "distinct symbols")
    int alphabet;

    @Override
    MemoryTask task() {
        return MemoryTask.COPY;
    }

    @Override
    MemoryTaskSettings taskSettings() {
        return MemoryTaskSettings.defaults(task()).withHiddenSize(hiddenSize).withLearningRate(learningRate)
                .withSymbols(symbols).withAlphabet(alphabet);
    }
}
