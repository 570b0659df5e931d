package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.synthetic.AddingProblem;
import dev.rnn4j.data.synthetic.CopyTask;
import dev.rnn4j.io.Json;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchSource;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.Seeds;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.ValidationMetrics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rnn4j train adding|copy}: trains a cell on a synthetic memory task and reports how well it remembers,
 * with the gradient norm ||dL/dh_t|| at every step t of the last evaluation, which shows why the simple RNN
 * cannot learn long spans (its gradient vanishes a few dozen steps back) while the LSTM and the GRU can.
 */
final class TrainCommand {
    static final String COMMAND = "train";
    private static final List<String> OPTIONS = List.of("--cell", "--length", "--steps", "--seed", "--hidden-size", "--batch",
            "--learning-rate", "--threads", "--symbols", "--alphabet", "--metrics-out", "--model-out");

    /** The memory tasks. */
    enum Task { ADDING, COPY }

    /** Sequences in the test set, drawn from a seed the training never sees. */
    static final int TEST_SEQUENCES = 2000;
    private static final int VALIDATION_BATCHES = 4;
    private static final int VALIDATE_EVERY = 250;
    /** Mixed into the seed for the test set, so it is never a training or validation batch. */
    private static final long TEST_STREAM = 0x7E57L;

    private TrainCommand() {}

    /**
     * @param args the whole command line, {@code train <task> [options]}
     */
    static int run(String[] args, PrintStream out) {
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new UsageException("train: which task? (tasks: adding, copy; e.g. rnn4j train adding --cell lstm --length 200)");
        }
        Arguments arguments = Arguments.parse(COMMAND + " " + args[1], args, 2, OPTIONS);
        Task task = switch (args[1]) {
            case "adding" -> Task.ADDING;
            case "copy" -> Task.COPY;
            default -> throw new UsageException("train: unknown task '" + args[1] + "' (tasks: adding, copy)");
        };
        Settings settings = Settings.of(task, arguments);
        Path metricsOut = arguments.path("--metrics-out");
        Path modelOut = arguments.path("--model-out");
        checkWritable(metricsOut);
        checkWritable(modelOut);

        long start = System.nanoTime();
        Experiment experiment = task == Task.ADDING ? addingProblem(settings) : copyTask(settings);
        Trainer trainer = new Trainer(experiment.model(), TrainConfig.builder()
                .optimizer(OptimizerSpec.adam(settings.learningRate()))
                .loss(experiment.loss())
                .clipNorm(1.0)
                .maxSteps(settings.steps())
                .stepsPerEpoch(VALIDATE_EVERY)
                .seed(settings.seed())
                .threads(settings.threads())
                .build());
        List<Map<String, Object>> history = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            private double[] lastNorms = new double[0];

            @Override
            public void onStep(StepMetrics m) {
                // the training step before a validation: how much gradient reaches the first step, as training goes
                if (m.step() % VALIDATE_EVERY == 0) lastNorms = experiment.model().recurrent().gradientNormsByStep();
            }

            @Override
            public void onValidation(ValidationMetrics m) {
                out.printf(Locale.ROOT, "step %6d  validation %s %.5f  (%.0f s)%n", m.step(), experiment.metricName(), m.loss(),
                        (System.nanoTime() - start) / 1e9);
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("step", m.step());
                point.put("validation_" + experiment.metricName(), m.loss());
                if (lastNorms.length > 0) {
                    point.put("train_grad_norm_first_step", lastNorms[0]);
                    point.put("train_grad_norm_last_step", lastNorms[lastNorms.length - 1]);
                }
                history.add(point);
            }
        });
        out.printf(Locale.ROOT, "training a %s (hidden size %d) on the %s task, T = %d, %d steps of %d sequences%n",
                settings.cell().name().toLowerCase(Locale.ROOT), settings.hiddenSize(), task.name().toLowerCase(Locale.ROOT),
                experiment.steps(), settings.steps(), settings.batch());
        TrainResult result = trainer.fit(experiment.train(), experiment.validation());
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("task", task.name().toLowerCase(Locale.ROOT));
        metrics.put("cell", settings.cell().name().toLowerCase(Locale.ROOT));
        metrics.put("length", settings.length());
        metrics.put("hidden_size", settings.hiddenSize());
        metrics.put("batch", settings.batch());
        metrics.put("learning_rate", settings.learningRate());
        metrics.put("seed", settings.seed());
        metrics.put("threads", settings.threads());
        metrics.put("steps", result.steps());
        metrics.put("seconds", seconds);
        experiment.test().score(experiment.model(), metrics);
        metrics.put("history", history);
        out.printf(Locale.ROOT, "test %s %.5f (baseline %.5f) after %d steps, %.0f s%n", experiment.metricName(),
                (Double) metrics.get("test_" + experiment.metricName()), (Double) metrics.get("baseline_" + experiment.metricName()),
                result.steps(), seconds);

        if (modelOut != null) {
            trainer.saveModel(modelOut, false);
            out.println("model written to " + modelOut);
        }
        if (metricsOut != null) {
            writeAtomically(metricsOut, Json.write(metrics) + "\n");
            out.println("metrics written to " + metricsOut);
        }
        return Main.OK;
    }

    /** The settings of one run, with each task's defaults. */
    record Settings(Task task, CellType cell, int length, long steps, long seed, int hiddenSize, int batch, double learningRate,
                    int threads, int symbols, int alphabet) {
        static Settings of(Task task, Arguments a) {
            CellType cell = a.choice("--cell", CellType.class, null);
            int length = (int) a.requiredInteger("--length", task == Task.ADDING ? 2 : 1, 100_000);
            return new Settings(task, cell, length,
                    a.integer("--steps", 5000, 1, 100_000_000),
                    a.integer("--seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                    (int) a.integer("--hidden-size", task == Task.ADDING ? 64 : 128, 1, 65_536),
                    (int) a.integer("--batch", 50, 1, 1_000_000),
                    a.decimal("--learning-rate", task == Task.ADDING ? 3e-3 : 1e-3, 0, 10),
                    (int) a.integer("--threads", Math.min(2, Runtime.getRuntime().availableProcessors()), 1, 1024),
                    (int) a.integer("--symbols", 10, 1, 1000),
                    (int) a.integer("--alphabet", 8, 2, 1000));
        }
    }

    /**
     * What a task brings: its model, loss, data, and how to score the trained model.
     *
     * @param steps      T of its sequences
     * @param metricName what its loss measures, e.g. "mse"
     */
    private record Experiment(SequenceModel model, Loss loss, BatchSource train, List<Batch> validation, int steps,
                              String metricName, Scorer test) {}

    /** Scores a trained model on a test set, adding test_, baseline_ and grad_norm_by_step to the metrics. */
    @FunctionalInterface
    private interface Scorer {
        void score(SequenceModel model, Map<String, Object> metrics);
    }

    private static SequenceModel.Builder model(Settings s, int features, Head head, int outputs) {
        SequenceModel.Builder builder = SequenceModel.builder().features(features).cell(s.cell()).hiddenSize(s.hiddenSize())
                .head(head).outputs(outputs).initialization(Initialization.XAVIER_ORTHOGONAL).seed(s.seed());
        if (s.cell() == CellType.LSTM) builder.forgetBias(1f); // remember by default: the task is all about memory
        return builder;
    }

    private static Experiment addingProblem(Settings s) {
        int steps = s.length();
        SequenceModel model = model(s, AddingProblem.FEATURES, Head.LAST_STEP, 1).build();
        BatchSource train = BatchSource.named("adding(T=" + steps + ") seed " + s.seed(),
                index -> addingBatch(new AddingProblem(steps, Seeds.derive(s.seed(), index)).batch(s.batch())));
        List<Batch> validation = new ArrayList<>();
        for (int i = 0; i < VALIDATION_BATCHES; i++) {
            validation.add(addingBatch(new AddingProblem(steps, Seeds.derive(~s.seed(), i)).batch(250)));
        }
        Loss loss = new MeanSquaredError();
        return new Experiment(model, loss, train, validation, steps, "mse", (trained, metrics) -> {
            Batch test = addingBatch(new AddingProblem(steps, Seeds.derive(s.seed() ^ TEST_STREAM, 0)).batch(TEST_SEQUENCES));
            Matrix predictions = trained.forward(test.input());
            float[] gradient = new float[TEST_SEQUENCES];
            metrics.put("test_mse", loss.lossAndGradient(predictions, test.targets(), Matrix.of(gradient, TEST_SEQUENCES, 1)));
            metrics.put("baseline_mse", AddingProblem.BASELINE_MSE);
            metrics.put("grad_norm_by_step", gradientNormsByStep(trained, gradient));
        });
    }

    private static Batch addingBatch(AddingProblem.Batch b) {
        return new Batch(ModelInput.features(b.inputs(), b.steps(), b.batch()), Targets.values(b.targets()));
    }

    private static Experiment copyTask(Settings s) {
        CopyTask shape = new CopyTask(s.length(), s.symbols(), s.alphabet(), 0);
        int steps = shape.length(), classes = shape.classes();
        SequenceModel model = model(s, classes, Head.EVERY_STEP, classes).build();
        BatchSource train = BatchSource.named("copy(delay=" + s.length() + ",symbols=" + s.symbols() + ",alphabet=" + s.alphabet()
                + ") seed " + s.seed(), index -> copyBatch(new CopyTask(s.length(), s.symbols(), s.alphabet(),
                Seeds.derive(s.seed(), index)).batch(s.batch())));
        List<Batch> validation = new ArrayList<>();
        for (int i = 0; i < VALIDATION_BATCHES; i++) {
            validation.add(copyBatch(new CopyTask(s.length(), s.symbols(), s.alphabet(), Seeds.derive(~s.seed(), i)).batch(100)));
        }
        Loss loss = new SoftmaxCrossEntropy();
        return new Experiment(model, loss, train, validation, steps, "cross_entropy", (trained, metrics) -> {
            int n = 500;
            CopyTask.Batch raw = new CopyTask(s.length(), s.symbols(), s.alphabet(), Seeds.derive(s.seed() ^ TEST_STREAM, 0)).batch(n);
            Batch test = copyBatch(raw);
            Matrix predictions = trained.forward(test.input());
            float[] gradient = new float[steps * n * classes];
            double crossEntropy = loss.lossAndGradient(predictions, test.targets(), Matrix.of(gradient, steps * n, classes));
            int correct = 0;
            for (int t = steps - s.symbols(); t < steps; t++) {
                for (int b = 0; b < n; b++) {
                    int row = t * n + b, best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (predictions.get(row, c) > predictions.get(row, best)) best = c;
                    }
                    if (best == raw.targets()[row]) correct++;
                }
            }
            metrics.put("test_cross_entropy", crossEntropy);
            metrics.put("baseline_cross_entropy", shape.baselineCrossEntropy());
            metrics.put("test_recall_accuracy", correct / (double) (s.symbols() * n));
            metrics.put("grad_norm_by_step", gradientNormsByStep(trained, gradient));
        });
    }

    private static Batch copyBatch(CopyTask.Batch b) {
        return new Batch(ModelInput.features(b.inputs(), b.steps(), b.batch()), Targets.classes(b.targets()));
    }

    /** ||dL/dh_t|| of the top layer for t = 1..T, from a backward pass of the test loss (no update). */
    private static List<Double> gradientNormsByStep(SequenceModel model, float[] dPredictions) {
        model.zeroGrad();
        int rows = dPredictions.length / model.spec().outputs();
        model.backward(Matrix.of(dPredictions, rows, model.spec().outputs()));
        List<Double> norms = new ArrayList<>();
        for (double norm : model.recurrent().gradientNormsByStep()) norms.add(norm);
        return norms;
    }

    private static void checkWritable(Path file) {
        if (file == null) return;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(file + ": cannot write: directory " + parent + " does not exist");
        }
    }

    private static void writeAtomically(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
            throw new UsageException(file + ": cannot write: " + e.getMessage());
        }
    }
}
