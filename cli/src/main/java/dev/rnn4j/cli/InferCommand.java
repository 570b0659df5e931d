package dev.rnn4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j infer}: runs one batch from a file through a model and writes PyTorch's (output, h_n, c_n). */
@Command(name = "infer", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Runs a batch from a file through a model and writes PyTorch's (output, h_n, c_n).",
            "%nRuns a batch: X holds input F32 [T, B, input_size] (time-major) and optionally "
            + "h0 and c0 (LSTM) F32 [num_layers * directions, B, hidden_size] and lengths I64 [B] "
            + "(each in 1..T; steps past a sequence's length are padding). Writes output "
            + "F32 [T, B, directions * hidden_size] (zero past each length), h_n and, for an LSTM, "
            + "c_n [num_layers * directions, B, hidden_size] to Y, as PyTorch returns them. "
            + "MODEL is an rnn4j model file or a PyTorch state dict as import-torch reads it.", ""})
final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "an rnn4j model file or a PyTorch state dict")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.safetensors", description = "the batch to run")
    Path input;

    @Option(names = "--output", paramLabel = "Y.safetensors", description = "where the results go; without it, only their shapes are printed")
    Path output;

    @Override
    public Integer call() {
        Commands.infer(model, input, output, spec.commandLine().getOut());
        return Main.OK;
    }
}
