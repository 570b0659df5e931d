package dev.rnn4j.cli;

import dev.rnn4j.data.app.OutputFiles;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.forecast.ForecastTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rnn4j forecast}: continues a series past its end. */
@Command(name = "forecast", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Continues the series in a CSV N steps past its last row, as CSV (step, time, forecast, and interval bounds "
            + "within the trained horizon for a model with intervals). Past the trained horizon the forecasts are fed back in "
            + "as if observed (recursive forecasting).", ""})
final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInputOptions input;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "steps past the end")
    int steps;

    @Option(names = "--output", paramLabel = "F.csv", description = "writes the forecast here (atomically) instead of to stdout")
    Path output;

    @Override
    public Integer call() {
        if (steps < 1 || steps > 1_000_000) throw new ParameterException(spec.commandLine(), "--steps must be in 1..1000000, got " + steps);
        AtomicFiles.checkWritable(output);
        if (!input.forecaster()) throw new UsageException(input.model + " is a '" + input.bundle().task() + "' model; forecast needs a forecaster");
        ForecastModel model = input.forecastModel();
        List<ForecastModel.ForecastStep> forecast;
        try {
            forecast = model.forecast(input.series(model), steps);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String csv = OutputFiles.csv(ForecastTables.forecast(forecast, model.preprocessing().intervals()));
        if (output == null) {
            spec.commandLine().getOut().print(csv);
        } else {
            AtomicFiles.writeString(output, csv);
            spec.commandLine().getOut().println(steps + " steps written to " + output);
        }
        return Main.OK;
    }
}
