package dev.rnn4j.cli;

import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.data.series.TimeSeriesCsv.MissingValues;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.ModelBundle;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * A trained bundle and the data to run it on, as evaluate, predict and forecast take them: a forecaster reads
 * --csv (a series); a classifier reads the data options of train classify. Which one is the bundle's to say.
 */
final class ModelInputOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model bundle written by 'rnn4j train ... --out'")
    Path model;

    @Option(names = "--csv", paramLabel = "FILE", description = "a forecaster's series, or a DNA classifier's CSV")
    Path csv;

    @Option(names = "--missing", defaultValue = "error", paramLabel = "POLICY", completionCandidates = CsvOptions.MissingNames.class,
            description = "a series' empty, NA or NaN cells: ${COMPLETION-CANDIDATES}; by default an error that names the line")
    MissingValues missing;

    @Option(names = "--drop-invalid", description = "leave out rows with a missing, NaN or infinite value, and count them (--missing drop)")
    boolean dropInvalid;

    @Mixin
    SequenceSourceOptions data;

    private ModelBundle bundle;

    ModelBundle bundle() {
        if (bundle == null) bundle = BundleFile.read(model);
        return bundle;
    }

    boolean forecaster() {
        return ForecastModel.TASK.equals(bundle().task());
    }

    ForecastModel forecastModel() {
        return ForecastModel.from(bundle(), model.toString());
    }

    ClassifierModel classifierModel() {
        return ClassifierModel.from(bundle(), model.toString());
    }

    /** The series in --csv, read as the forecaster's bundle says (target, features, time column and format). */
    TimeSeries series(ForecastModel forecaster) {
        if (csv == null) throw new UsageException(model + " is a forecaster: give the series with --csv FILE");
        return TimeSeriesCsv.read(csv, forecaster.csvOptions().withMissing(CsvOptions.missing(missing, dropInvalid)));
    }

    /** The records of the data options, encoded as the classifier's bundle says. */
    LabelledData records(ClassifierModel classifier) {
        return data.source(csv).read(classifier.encoding());
    }
}
