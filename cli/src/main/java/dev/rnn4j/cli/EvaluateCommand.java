package dev.rnn4j.cli;

import dev.rnn4j.data.forecast.ForecastEvaluation;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code rnn4j evaluate}: scores a trained model on a file, beside the baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Scores a trained forecaster on a CSV: every origin with a whole window and all H actual values, "
            + "beside persistence and the seasonal-naive forecast over the same points.", ""})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ForecastModelOptions input;

    @Option(names = "--metrics-out", paramLabel = "M.json", description = "writes the scores as JSON (atomically)")
    Path metricsOut;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(metricsOut);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        ForecastModel model = input.model();
        TimeSeries series = input.series();
        ForecastEvaluation evaluation = model.evaluate(series);
        ForecastReport.print(out, series.source(), evaluation);
        if (metricsOut != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("command", "rnn4j " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs()));
            json.put("task", ForecastModel.TASK);
            json.put("model", input.model.toString());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("file", series.source());
            data.put("rows", series.length());
            data.put("sha256", series.sha256());
            json.put("data", data);
            json.put("test", evaluation.modelJson());
            json.put("baselines", evaluation.baselinesJson());
            json.put("seconds", (System.nanoTime() - start) / 1e9);
            AtomicFiles.writeString(metricsOut, Json.writePretty(json) + "\n");
            out.println("metrics written to " + metricsOut);
        }
        return Main.OK;
    }
}
