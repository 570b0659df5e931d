package dev.rnn4j.cli;

import dev.rnn4j.data.app.OutputFiles;
import dev.rnn4j.data.forecast.ForecastTables;
import dev.rnn4j.data.forecast.Predictions;
import dev.rnn4j.data.series.TimeSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j predict}: a forecast from every origin of a file, with the actual values where known. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Runs a trained forecaster over a CSV: one row per forecast origin (every row with a whole window of history), "
            + "with each horizon step's time, actual value (empty past the end), forecast and, for a model with intervals, "
            + "their bounds. Values are in the file's units.", ""})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ForecastModelOptions input;

    @Option(names = "--output", paramLabel = "P.csv", description = "writes the table here (atomically) instead of to stdout")
    Path output;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(output);
        TimeSeries series = input.series();
        Predictions predictions = input.model().predictAll(series);
        String csv = OutputFiles.csv(ForecastTables.predictions(series, predictions));
        if (output == null) {
            spec.commandLine().getOut().print(csv);
        } else {
            AtomicFiles.writeString(output, csv);
            spec.commandLine().getOut().println(predictions.origins().length + " forecasts written to " + output);
        }
        return Main.OK;
    }
}
