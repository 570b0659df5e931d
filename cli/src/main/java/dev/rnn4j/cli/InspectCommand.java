package dev.rnn4j.cli;

import dev.rnn4j.data.report.InspectionView;
import dev.rnn4j.data.report.RunRecorder;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.Json;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.model.NamedBuffer;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j inspect MODEL}: the architecture (its normalisation in the spec's {@code regularization}), the parameter
 * counts, the buffers (batch normalisation's statistics) and the provenance of a bundle; --report draws them.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"Prints a model bundle's task, architecture, parameters and provenance. --report DIR also draws them, with "
            + "histograms of the recurrent weights and biases per gate.", ""})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a model bundle written by 'rnn4j train ... --out'")
    Path model;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SafetensorsFile file = SafetensorsFile.read(model);
        // a task's bundle, or a bare sequence model (train adding --model-out)
        boolean bundled = file.metadata().containsKey(BundleFile.METADATA_KEY);
        ModelBundle bundle = bundled ? BundleFile.read(file) : null;
        SequenceModelFile.Loaded loaded = bundled ? null : SequenceModelFile.read(file);
        SequenceModel network = bundled ? bundle.model() : loaded.model();
        TrainingProvenance trained = bundled ? bundle.provenance() : loaded.provenance();
        Map<String, Object> provenance = trained == null ? null : Json.parseObject(trained.toJson());
        Map<String, Object> view = InspectionView.record(network, model.getFileName().toString(), provenance);
        out.println("task: " + (bundled ? bundle.task() : "none (a sequence model without a task bundle)"));
        out.println("architecture: " + network.spec().toJson());
        long total = 0;
        for (NamedParameter p : network.namedParameters()) {
            out.printf(Locale.ROOT, "  %-28s %-14s %,d%n", p.name(), Arrays.toString(p.parameter().shape()), p.parameter().size());
            total += p.parameter().size();
        }
        out.printf(Locale.ROOT, "parameters: %,d%n", total);
        if (!network.namedBuffers().isEmpty()) {
            long buffers = 0;
            for (NamedBuffer b : network.namedBuffers()) {
                out.printf(Locale.ROOT, "  %-28s %-14s %,d%n", b.name(), Arrays.toString(b.buffer().shape()), b.buffer().size());
                buffers += b.buffer().size();
            }
            out.printf(Locale.ROOT, "buffers (batch normalisation's population statistics per time step, not trained): %,d%n", buffers);
        }
        if (provenance != null) out.println("provenance: " + Json.write(provenance));
        if (report.dir() != null) {
            try (RunRecorder recorder = RunRecorder.openViews(report.dir())) {
                recorder.record(view);
                out.println("report written to " + recorder.writeReport("model " + model.getFileName()));
            }
        }
        return Main.OK;
    }
}
