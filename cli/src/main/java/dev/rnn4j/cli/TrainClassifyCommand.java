package dev.rnn4j.cli;

import dev.rnn4j.data.Domains;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.classify.ClassificationMetrics;
import dev.rnn4j.data.classify.Classifier;
import dev.rnn4j.data.classify.ClassifySettings;
import dev.rnn4j.data.classify.ClassifySettings.ClassWeights;
import dev.rnn4j.data.classify.ClassifyOutcome;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.SequenceSource;
import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.data.report.ClassificationView;
import dev.rnn4j.data.report.InspectionView;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.model.Head;
import dev.rnn4j.train.Example;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j train classify}: reads labelled sequences (DNA, audio, text), runs the {@link Classifier} with progress,
 * Ctrl-C and resume, prints the scores and writes the bundle and the metrics.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false, defaultValueProvider = TaskDefaults.Classify.class,
        description = {"Labels whole sequences: trains a many-to-one recurrent network (pooled over the steps) on labelled records.",
            "%nClasses are ordered once (numbers by value, then names) and stored in the bundle. Without --test, a stratified "
            + "part of each class is the test set (seeded by --seed); a further stratified part of the training records "
            + "validates for early stopping. --cv K runs stratified K-fold cross-validation instead. Scores: accuracy, balanced "
            + "accuracy, macro F1, MCC, per-class precision/recall/F1, the confusion matrix, and ROC AUC for two classes.",
            "%nText (--text-lines, --text-csv, --text-dir) has defaults of its own where these options are not given: "
            + "--hidden 100, --dropout 0.5, --learning-rate 0.001, --patience 15, --pooling attention, --embedding-size 100, "
            + "--word-dropout 0.4, --validation-fraction 0.05.", ""})
final class TrainClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SequenceSourceOptions data;

    @Option(names = "--csv", paramLabel = "FILE", description = "DNA: a CSV with --sequence-column and --label-column")
    Path csv;

    @Option(names = "--pooling", defaultValue = "max", paramLabel = "P", converter = PoolingNames.class, completionCandidates = PoolingNames.class,
            description = "${COMPLETION-CANDIDATES}: how the steps become one vector (last = each direction's last valid step; "
                    + "attention = a learned softmax over the steps)")
    Head pooling;

    @Option(names = "--bidirectional", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "read each sequence both ways (--no-bidirectional: one way)")
    boolean bidirectional;

    @Option(names = "--class-weights", defaultValue = "none", paramLabel = "W", completionCandidates = WeightNames.class,
            description = "${COMPLETION-CANDIDATES}: balanced weighs class k by n / (K n_k) in the loss")
    ClassWeights classWeights;

    @Option(names = "--test-fraction", defaultValue = "" + ClassifySettings.DEFAULT_TEST_FRACTION, paramLabel = "F",
            description = "without --test: the share of each class held out for the test")
    double testFraction;

    @Option(names = "--validation-fraction", defaultValue = "" + ClassifySettings.DEFAULT_VALIDATION_FRACTION, paramLabel = "F",
            description = "the share of each class of the training records that validates (early stopping)")
    double validationFraction;

    @Option(names = "--cv", defaultValue = "0", paramLabel = "K", description = "stratified K-fold cross-validation instead of one split")
    int folds;

    @Option(names = "--embedding-size", defaultValue = "" + ClassifySettings.DEFAULT_EMBEDDING_SIZE, paramLabel = "E",
            description = "for token input (k-mers, words): values per token")
    int embeddingSize;

    @Option(names = "--word-dropout", defaultValue = "0", paramLabel = "P",
            description = "for token input: the probability that a whole token is dropped in training (its embedded vector zeroed)")
    double wordDropout;

    @Mixin
    NetworkOptions network;

    @Mixin
    TrainOptions train;

    @Mixin
    RunOptions files;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RunSupport support = new RunSupport(spec, train);
        support.checkOutputs(files);
        if (folds > 0 && (files.out != null || !data.test.isEmpty() || files.resuming())) {
            throw new ParameterException(spec.commandLine(), "--cv evaluates by cross-validation: it takes no --out, --test or --resume");
        }
        SequenceSource source = data.source(csv);
        LabelledData records = source.read(null);
        String domain = records.encoding().domain(); // text has defaults of its own
        ParseResult given = spec.commandLine().getParseResult();
        ClassifySettings settings = support.fromOptions(() -> classifySettings(Domains.classifySettings(domain), given));
        TrainingSettings training = support.fromOptions(() -> network.settings(Domains.classifyTraining(domain), train, given));
        SequenceSource testSource = data.testSource(csv);
        LabelledData test = testSource == null ? null : testSource.read(records.encoding());
        long start = System.nanoTime();

        if (folds > 0) return crossValidate(records, settings, training, support, start);

        Classifier classifier = Classifier.prepare(records, test, settings, training);
        printPlan(err, classifier);
        Integer example = files.report.inspectExample();
        if (example != null && example >= classifier.testRecords()) {
            throw new UsageException("--inspect-example " + example + ": the test part has " + classifier.testRecords() + " records (0 to "
                    + (classifier.testRecords() - 1) + ")");
        }
        TrainingRun run = support.fromOptions(() -> classifier.newRun(files.checkpoints()));
        if (files.resuming()) run.resume();
        ClassifyOutcome outcome = support.train(run, files, () -> classifier.fit(run));
        if (!outcome.result().finished()) {
            support.writeReport("classifier, " + records.source() + " (unfinished)", List::of);
            return support.unfinished(run, outcome.result(), files.out, () -> outcome.model().save(files.out, provenance(support, run),
                    support.metrics(outcome.metricsJson(), Double.NaN)));
        }
        support.writeReport("classifier, " + records.source(), () -> {
            List<Map<String, Object>> views = new ArrayList<>(List.of(ClassificationView.record(outcome.model(), "the test part",
                    classifier.testRecordList(), classifier.testLabels())));
            if (example != null) {
                Example sequence = classifier.testRecordList().get(example).views().getFirst();
                List<String> bases = records.encoding() instanceof DnaEncoding dna ? dna.basesOf(sequence) : null;
                views.add(InspectionView.exampleRecord(outcome.model().network(), sequence, example, bases));
            }
            return views;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        ClassifyReport.print(stdout, "test", outcome.test());
        Map<String, Object> metrics = support.metrics(outcome.metricsJson(), seconds);
        if (files.out != null) {
            outcome.model().save(files.out, provenance(support, run), metrics);
            stdout.println("model written to " + files.out);
        }
        support.writeMetrics(metrics);
        return Main.OK;
    }

    private int crossValidate(LabelledData records, ClassifySettings settings, TrainingSettings training, RunSupport support, long start) {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "%s: %d records; %d-fold stratified cross-validation%n", records.source(), records.records().size(), folds);
        List<ClassificationMetrics> results = Classifier.crossValidate(records, settings, training, fold -> {
            err.printf(Locale.ROOT, "fold %d/%d%n", fold, folds);
            return new TrainingProgress(train.display(), err);
        });
        for (int k = 0; k < results.size(); k++) {
            stdout.printf(Locale.ROOT, "fold %d: accuracy %.4f%n", k + 1, results.get(k).accuracy());
        }
        ClassificationMetrics pooled = ClassificationMetrics.pooled(results);
        ClassifyReport.print(stdout, "all folds together", pooled);
        Map<String, Object> cv = ClassificationMetrics.crossValidation(results);
        @SuppressWarnings("unchecked") Map<String, Object> mean = (Map<String, Object>) cv.get("mean");
        @SuppressWarnings("unchecked") Map<String, Object> std = (Map<String, Object>) cv.get("std");
        stdout.printf(Locale.ROOT, "mean over %d folds: accuracy %.4f +- %.4f, macro F1 %.4f +- %.4f%n", folds, mean.get("accuracy"),
                std.get("accuracy"), mean.get("macro_f1"), std.get("macro_f1"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", "classify");
        json.put("data", Map.of("source", records.source(), "records", records.records().size(), "split_seed", training.seed()));
        Map<String, Object> s = new LinkedHashMap<>(settings.toJson());
        s.putAll(training.toJson());
        json.put("settings", s);
        Map<String, Object> test = new LinkedHashMap<>(mean);
        Map<String, Object> pooledJson = pooled.toJson();
        test.put("per_class", pooledJson.get("per_class"));
        test.put("confusion", pooledJson.get("confusion"));
        json.put("test", test);
        json.put("cv", cv);
        support.writeMetrics(support.metrics(json, (System.nanoTime() - start) / 1e9));
        return Main.OK;
    }

    /** The options the command line gave, over the domain's defaults. */
    private ClassifySettings classifySettings(ClassifySettings s, ParseResult given) {
        if (given.hasMatchedOption("--pooling")) s = s.withPooling(pooling);
        if (given.hasMatchedOption("--bidirectional")) s = s.withBidirectional(bidirectional);
        if (given.hasMatchedOption("--class-weights")) s = s.withClassWeights(classWeights);
        if (given.hasMatchedOption("--test-fraction")) s = s.withTestFraction(testFraction);
        if (given.hasMatchedOption("--validation-fraction")) s = s.withValidationFraction(validationFraction);
        if (given.hasMatchedOption("--cv")) s = s.withFolds(folds);
        if (given.hasMatchedOption("--embedding-size")) s = s.withEmbeddingSize(embeddingSize);
        if (given.hasMatchedOption("--word-dropout")) s = s.withWordDropout(wordDropout);
        return s;
    }

    private static void printPlan(PrintWriter err, Classifier c) {
        TrainingSettings t = c.training();
        err.printf(Locale.ROOT, "%s: %d records, classes %s; %d for training, %d for validation, %d for the test%n", c.data().source(),
                c.data().records().size(), c.classes(), c.trainingRecords(), c.validationRecords(), c.testRecords());
        err.printf(Locale.ROOT, "model: %s%s %s %d x %d, %s pooling%s; up to %d epochs (patience %d), batch %d, Adam %s, clip %s, seed %d%n",
                c.settings().bidirectional() ? "bidirectional " : "", c.data().encoding().domain(), t.cell().name().toLowerCase(Locale.ROOT),
                t.hiddenSize(), t.layers(), PoolingNames.name(c.settings().pooling()), t.dropout() > 0 ? ", dropout " + t.dropout() : "",
                t.epochs(), t.patience(), t.batchSize(), t.learningRate(), t.clipNorm(), t.seed());
        err.flush();
    }

    private static TrainingProvenance provenance(RunSupport support, TrainingRun run) {
        return run.provenance(support.commandLine(), null); // the trainer's own fingerprint of the training examples
    }

    static final class WeightNames extends LowerCaseNames<ClassWeights> {
        WeightNames() {
            super(ClassWeights.class);
        }
    }
}
