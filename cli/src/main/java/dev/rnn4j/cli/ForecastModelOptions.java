package dev.rnn4j.cli;

import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.data.series.TimeSeriesCsv;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** A trained bundle and the CSV to run it on, as evaluate, predict and forecast take them. */
final class ForecastModelOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model bundle written by 'rnn4j train forecast --out'")
    Path model;

    @Mixin
    CsvOptions csv;

    private ForecastModel loaded;

    ForecastModel model() {
        if (loaded == null) loaded = ForecastModel.load(model);
        return loaded;
    }

    /** The CSV read as the bundle says (target, features, time column and format), with this command's --missing. */
    TimeSeries series() {
        TimeSeriesCsv.Options options = csv.applyTo(model().csvOptions());
        return TimeSeriesCsv.read(csv.file, options);
    }
}
