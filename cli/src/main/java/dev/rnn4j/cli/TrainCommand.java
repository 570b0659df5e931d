package dev.rnn4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j train <task>}: the parent of the training commands. A new task is a class with {@code @Command(name =
 * ...)} that mixes in {@link TrainOptions}, listed in {@code subcommands} here.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        synopsisSubcommandLabel = "<task>",
        description = {"Trains a model on a task and reports how well it does.",
            "%nProgress goes to stderr (a bar on a terminal, a line per epoch otherwise; --quiet turns it off), "
            + "results to stdout. Ctrl-C stops after the current step; a second Ctrl-C exits at once. "
            + "Exit status 130 after Ctrl-C."},
        commandListHeading = "%nTasks:%n",
        subcommands = {TrainForecastCommand.class, TrainClassifyCommand.class, TrainLmCommand.class, TrainAddingCommand.class,
            TrainCopyCommand.class})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "which task? (tasks: " + String.join(", ", spec.subcommands().keySet()) + "; e.g. rnn4j train adding --cell lstm --length 200)");
    }
}
