package dev.rnn4j.cli;

import dev.rnn4j.data.app.OutputFiles;
import dev.rnn4j.data.forecast.ForecastTables;
import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.series.TimeSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rnn4j predict}: a forecast from every origin of a file, with the actual values where known. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Runs a trained model over data, as CSV. A forecaster (--csv): one row per forecast origin (every row with a "
            + "whole window of history), with each horizon step's time, actual value (empty past the end), forecast and, for a "
            + "model with intervals, their bounds, in the file's units. A classifier: one row per record: id, label (if known), "
            + "predicted label and one probability column per class.", ""})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInputOptions input;

    @Option(names = "--output", paramLabel = "P.csv", description = "writes the table here (atomically) instead of to stdout")
    Path output;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(output);
        List<List<String>> table;
        if (input.forecaster()) {
            ForecastModel model = input.forecastModel();
            TimeSeries series = input.series(model);
            table = ForecastTables.predictions(series, model.predictAll(series));
        } else {
            ClassifierModel model = input.classifierModel();
            table = model.predictionTable(input.records(model).records());
        }
        String csv = OutputFiles.csv(table);
        if (output == null) {
            spec.commandLine().getOut().print(csv);
        } else {
            AtomicFiles.writeString(output, csv);
            spec.commandLine().getOut().println((table.size() - 1) + " predictions written to " + output);
        }
        return Main.OK;
    }
}
