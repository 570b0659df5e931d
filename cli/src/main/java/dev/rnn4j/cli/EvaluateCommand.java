package dev.rnn4j.cli;

import dev.rnn4j.data.classify.ClassificationMetrics;
import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.forecast.ForecastEvaluation;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.report.ClassificationView;
import dev.rnn4j.data.report.ForecastView;
import dev.rnn4j.data.report.RunRecorder;
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
        description = {"Scores a trained model on labelled data. A forecaster (--csv): every origin with a whole window and all H "
            + "actual values, beside persistence and the seasonal-naive forecast over the same points. A classifier (the data "
            + "options of train classify): accuracy, balanced accuracy, macro F1, MCC, per-class scores and the confusion matrix.", ""})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInputOptions input;

    @Option(names = "--metrics-out", paramLabel = "M.json", description = "writes the scores as JSON (atomically)")
    Path metricsOut;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(metricsOut);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "rnn4j " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs()));
        json.put("task", input.bundle().task());
        json.put("model", input.model.toString());
        if (input.forecaster()) {
            ForecastModel model = input.forecastModel();
            TimeSeries series = input.series(model);
            ForecastEvaluation evaluation = model.evaluate(series);
            ForecastReport.print(out, series.source(), evaluation);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("file", series.source());
            data.put("rows", series.length());
            data.put("sha256", series.sha256());
            json.put("data", data);
            json.put("test", evaluation.modelJson());
            json.put("baselines", evaluation.baselinesJson());
            if (report.dir() != null) {
                writeReport("forecaster " + input.model + " on " + series.source(), ForecastView.record(model, series,
                        Math.max(model.preprocessing().firstOrigin(), model.preprocessing().season()) + 1));
            }
        } else {
            ClassifierModel model = input.classifierModel();
            LabelledData records = input.records(model);
            ClassificationMetrics metrics = model.evaluate(records);
            ClassifyReport.print(out, records.source(), metrics);
            json.put("data", Map.of("source", records.source(), "records", records.records().size()));
            json.put("test", metrics.toJson());
            if (report.dir() != null) {
                writeReport("classifier " + input.model + " on " + records.source(), ClassificationView.record(model, records.source(),
                        records.records(), model.classIds(records)));
            }
        }
        json.put("seconds", (System.nanoTime() - start) / 1e9);
        if (metricsOut != null) {
            AtomicFiles.writeString(metricsOut, Json.writePretty(json) + "\n");
            out.println("metrics written to " + metricsOut);
        }
        return Main.OK;
    }

    private void writeReport(String title, Map<String, Object> view) {
        try (RunRecorder recorder = RunRecorder.openViews(report.dir())) {
            recorder.record(view);
            spec.commandLine().getOut().println("report written to " + recorder.writeReport(title));
        }
    }
}
