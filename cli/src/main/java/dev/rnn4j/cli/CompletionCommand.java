package dev.rnn4j.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code rnn4j completion}: a bash completion script for every command and option, generated from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"Prints a bash completion script for rnn4j's commands and options.",
            "%nTo use it: source <(./rnn4j completion), or save it to a file that your ~/.bashrc sources.", ""})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("rnn4j", spec.root().commandLine()));
        return Main.OK;
    }
}
