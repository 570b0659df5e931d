package dev.rnn4j.cli;

import dev.rnn4j.io.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rnn4j}: the top of the command tree. Alone, without a command, it is a usage error. */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        synopsisSubcommandLabel = "<command>",
        description = {"Recurrent networks (LSTM, GRU, simple RNN) on the JVM: trains them, and runs PyTorch's "
            + "nn.LSTM, nn.GRU and nn.RNN with the same results.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Options take their value as \"--name value\" or \"--name=value\"; 'rnn4j <command> --help' shows a command's.",
            "Exit status: 0 success; 1 verification failed or internal error; 2 bad usage or bad file; 130 Ctrl-C."},
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ForecastCommand.class, GenerateCommand.class,
            ClassifyStreamCommand.class, ReportCommand.class, InspectCommand.class, ImportTorchCommand.class, ImportOnnxCommand.class,
            ExportOnnxCommand.class,
            InferCommand.class, BenchCommand.class, DataCommand.class,
            CompletionCommand.class, HelpCommand.class})
final class RootCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    /** {@code rnn4j --version}: this build's version and the JVM's, the two things a bug report needs. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rnn4j " + Provenance.RNN4J_VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
