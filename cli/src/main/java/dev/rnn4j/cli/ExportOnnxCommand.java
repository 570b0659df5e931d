package dev.rnn4j.cli;

import dev.rnn4j.io.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j export-onnx}: a model file as an ONNX graph, for onnxruntime and other ONNX runtimes. */
@Command(name = "export-onnx", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Exports a model to ONNX, to run it with onnxruntime from any language.",
            "%nMODEL is an rnn4j model file, a model written by a train command (forecast, classify, lm), or a "
            + "PyTorch state dict as import-torch reads it. Each recurrent layer becomes one native ONNX LSTM, GRU "
            + "or RNN node; an embedding becomes Gather, the head Gemm (pooled) or MatMul (every step), and a "
            + "classifier or language model ends in a Softmax. Inputs: input [steps, batch, features] (tokens "
            + "INT64 for token models), sequence_lens INT32 [batch] and h0 (and c0) [layers * directions, batch, "
            + "hidden]; steps and batch are free. A task model's preprocessing (scalers, vocabulary, audio "
            + "features) stays outside the graph: its settings are copied into the ONNX metadata_props.", ""})
final class ExportOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "the model file to export")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "M.onnx", description = "the ONNX file to write")
    Path out;

    @Option(names = "--opset", paramLabel = "N", description = "the ONNX opset, " + OnnxExport.MIN_OPSET + " to " + OnnxExport.MAX_OPSET)
    int opset = OnnxExport.MIN_OPSET;

    @Option(names = "--batch-first", description = "inputs and per-step outputs are [batch, steps, ...] (the states stay [layers * directions, batch, hidden])")
    boolean batchFirst;

    @Option(names = "--no-lengths", description = "leave out the sequence_lens input: every sequence runs all steps")
    boolean noLengths;

    @Option(names = "--no-initial-state", description = "leave out the h0 and c0 inputs: the layers start from zeros")
    boolean noInitialState;

    @Override
    public Integer call() {
        if (opset < OnnxExport.MIN_OPSET || opset > OnnxExport.MAX_OPSET) {
            throw new ParameterException(spec.commandLine(), "--opset " + opset + " is not supported; rnn4j exports opsets "
                    + OnnxExport.MIN_OPSET + " to " + OnnxExport.MAX_OPSET);
        }
        OnnxExport.Options options = new OnnxExport.Options(opset, batchFirst, !noLengths, !noInitialState);
        Commands.exportOnnx(model, out, options, spec.commandLine().getOut());
        return Main.OK;
    }
}
