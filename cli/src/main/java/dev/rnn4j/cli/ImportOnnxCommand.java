package dev.rnn4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j import-onnx}: the recurrent network of an ONNX file to an rnn4j model file, optionally checked against PyTorch's results. */
@Command(name = "import-onnx", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Converts the LSTM, GRU or RNN layers of an ONNX file to an rnn4j model file, optionally checked against PyTorch's results.",
            "%nReads a graph of native ONNX LSTM, GRU or RNN nodes (one per layer, as torch.onnx.export writes "
            + "nn.LSTM, nn.GRU and nn.RNN, plain or around packed sequences), their weights stored in the file, and "
            + "writes the network as an rnn4j model file. Heads and other computing ops, layout=1, clip, "
            + "input_forget, peepholes, other activations, reverse-only layers and external data are refused with "
            + "a message naming the node. With --verify, first runs GOLDEN's input (and h0, c0, lengths, if given) "
            + "and compares the results with the output, h_n and c_n stored there, as import-torch does; the model "
            + "is written only if they match. --out may be left out to only verify.", ""})
final class ImportOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--onnx", required = true, paramLabel = "M.onnx", description = "the ONNX file")
    Path onnx;

    @Option(names = "--out", paramLabel = "MODEL", description = "the rnn4j model file to write")
    Path out;

    @Option(names = "--verify", paramLabel = "GOLDEN.safetensors", description = "PyTorch's inputs and results to compare with")
    Path verify;

    @Override
    public Integer call() {
        if (out == null && verify == null) {
            throw new ParameterException(spec.commandLine(), "--out is required (or --verify alone, to only check the import)");
        }
        Commands.importOnnx(onnx, out, verify, spec.commandLine().getOut());
        return Main.OK;
    }
}
