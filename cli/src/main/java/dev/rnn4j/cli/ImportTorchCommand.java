package dev.rnn4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j import-torch}: a PyTorch state dict to an rnn4j model file, optionally checked against PyTorch's results. */
@Command(name = "import-torch", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Converts a PyTorch state dict to an rnn4j model file, optionally checked against PyTorch's results.",
            "%nReads a PyTorch state dict saved as safetensors (tensors weight_ih_l0, weight_hh_l0, "
            + "bias_ih_l0, bias_hh_l0, ..., F32; metadata mode = LSTM, GRU, RNN_TANH or RNN_RELU, "
            + "input_size, hidden_size, num_layers, bidirectional, bias) and writes it as an rnn4j "
            + "model file. With --verify, first runs GOLDEN's input (and h0, c0, lengths, if given) "
            + "and compares the results with PyTorch's output, h_n and c_n stored there; the model "
            + "is written only if they match. --out may be left out to only verify.", ""})
final class ImportTorchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--weights", required = true, paramLabel = "W.safetensors", description = "the PyTorch state dict")
    Path weights;

    @Option(names = "--out", paramLabel = "MODEL", description = "the rnn4j model file to write")
    Path out;

    @Option(names = "--verify", paramLabel = "GOLDEN.safetensors", description = "PyTorch's inputs and results to compare with")
    Path verify;

    @Override
    public Integer call() {
        if (out == null && verify == null) {
            throw new ParameterException(spec.commandLine(), "--out is required (or --verify alone, to only check the import)");
        }
        Commands.importTorch(weights, out, verify, spec.commandLine().getOut());
        return Main.OK;
    }
}
