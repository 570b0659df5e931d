package dev.rnn4j.data.synthetic;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.VectorMath;
import dev.rnn4j.model.MemoryEstimate;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchSource;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.Seeds;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.ValidationMetrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a cell on a memory task ({@link MemoryTask}) and measures how well it remembers, with the gradient norm
 * ||dL/dh_t|| at every step t of the test, which shows why the simple RNN cannot learn long spans (its gradient
 * vanishes a few dozen steps back) while the LSTM and the GRU can.
 *
 * <pre>{@code
 * MemoryTaskResult r = MemoryTaskRun.train(MemoryTaskSettings.defaults(MemoryTask.ADDING).withCell(CellType.GRU), List.of());
 * }</pre>
 * To stop a run from another thread, {@link #prepare} it, hand {@link #stop()} to that thread, then {@link #train()}.
 */
public final class MemoryTaskRun {
    /** Sequences in the adding problem's test set, drawn from a seed the training never sees. */
    public static final int TEST_SEQUENCES = 2000;
    /** The test set is scored this many sequences at a time: at T = 1000 all 2000 at once would need gigabytes. */
    private static final int TEST_CHUNK = 250;
    /** Training steps between validations (the trainer's epoch of this endless source). */
    public static final int VALIDATE_EVERY = 250;
    private static final int VALIDATION_BATCHES = 4;
    private static final int COPY_TEST_SEQUENCES = 500;
    /** Mixed into the seed for the test set, so it is never a training or validation batch. */
    private static final long TEST_STREAM = 0x7E57L;
    /** The adding problem counts as solved once the validation MSE falls below this (about 6% of the mean's 0.167). */
    public static final double SOLVED_MSE = 0.01;

    private final MemoryTaskSettings settings;
    private final Experiment experiment;
    private final Trainer trainer;
    private final List<Map<String, Object>> history = new ArrayList<>();

    private MemoryTaskRun(MemoryTaskSettings settings) {
        this.settings = settings;
        this.experiment = settings.task() == MemoryTask.ADDING ? addingProblem(settings) : copyTask(settings);
        MemoryEstimate.of(experiment.model().spec(), experiment.steps(), settings.batch())
                .requireFits(Runtime.getRuntime().maxMemory(), "training");
        this.trainer = new Trainer(experiment.model(), TrainConfig.builder()
                .optimizer(OptimizerSpec.adam(settings.learningRate()))
                .loss(experiment.loss())
                .clipNorm(1.0)
                .maxSteps(settings.steps())
                .stepsPerEpoch(VALIDATE_EVERY)
                .seed(settings.seed())
                .threads(settings.threads())
                .build());
        trainer.addListener(new HistoryListener());
    }

    /** Builds the model, the data and the trainer; nothing is trained yet. */
    public static MemoryTaskRun prepare(MemoryTaskSettings settings) {
        return new MemoryTaskRun(settings);
    }

    /** Prepares and trains in one call. */
    public static MemoryTaskResult train(MemoryTaskSettings settings, List<TrainingListener> listeners) {
        MemoryTaskRun run = prepare(settings);
        listeners.forEach(run::addListener);
        return run.train();
    }

    public MemoryTaskRun addListener(TrainingListener listener) {
        trainer.addListener(listener);
        return this;
    }

    /** The trainer, for listeners that look at the model while it trains (a report's probe). */
    public Trainer trainer() {
        return trainer;
    }

    public MemoryTaskSettings settings() {
        return settings;
    }

    /** T of the model's sequences: the adding problem's length, the copy task's delay plus twice the symbols. */
    public int sequenceLength() {
        return experiment.steps();
    }

    /**
     * Ends {@link #train()} after the step in progress; the result then has {@link TrainResult#interrupted()} set
     * and is scored on the test set as it stands. Safe from any thread (a signal handler's, say). A synthetic run
     * has no checkpoint: it restarts rather than resumes.
     */
    public void stop() {
        trainer.requestStop();
    }

    /** Trains (once), then scores the model on the test set. */
    public MemoryTaskResult train() {
        long start = System.nanoTime();
        TrainResult result = trainer.fit(experiment.train(), experiment.validation());
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("task", settings.task().id());
        metrics.put("cell", settings.cell().name().toLowerCase(Locale.ROOT));
        metrics.put("length", settings.length());
        metrics.put("hidden_size", settings.hiddenSize());
        metrics.put("batch", settings.batch());
        metrics.put("learning_rate", settings.learningRate());
        metrics.put("init", settings.chrono() > 0 ? "chrono(" + settings.chrono() + ")" : "default");
        metrics.put("seed", settings.seed());
        metrics.put("threads", settings.threads());
        metrics.put("steps", result.steps());
        metrics.put("seconds", seconds);
        if (settings.task() == MemoryTask.ADDING) metrics.put("solved_at_step", solvedAtStep());
        experiment.test().score(experiment.model(), metrics);
        metrics.put("history", List.copyOf(history));
        return new MemoryTaskResult(settings.task(), metrics, experiment.model(), result);
    }

    /** The first validation step whose MSE is below {@link #SOLVED_MSE}, or null if none was. */
    private Long solvedAtStep() {
        String key = "validation_" + settings.task().metricName();
        for (Map<String, Object> point : history) {
            if (point.get(key) instanceof Double mse && mse < SOLVED_MSE) return (Long) point.get("step");
        }
        return null;
    }

    /** Writes the model as it stands, with this run's provenance (atomically, as every model file). */
    public void saveModel(Path file) {
        trainer.saveModel(file, false);
    }

    /**
     * Sequence {@code n} of the test set (the adding problem: value and marker per step; the copy task: the symbol
     * ids, one-hot) as the model's input, batch 1, with its steps' numbers for a report.
     */
    public Example testExample(int n) {
        if (n < 0) throw new IllegalArgumentException("the example's index must be 0 or more, got " + n);
        long seed = Seeds.derive(settings.seed() ^ TEST_STREAM, 0);
        float[] inputs;
        int steps, features;
        int batch = n + 1;
        if (settings.task() == MemoryTask.ADDING) {
            AddingProblem.Batch b = new AddingProblem(settings.length(), seed).batch(batch);
            inputs = b.inputs();
            steps = b.steps();
            features = AddingProblem.FEATURES;
        } else {
            CopyTask.Batch b = new CopyTask(settings.length(), settings.symbols(), settings.alphabet(), seed).batch(batch);
            inputs = b.inputs();
            steps = b.steps();
            features = inputs.length / (steps * batch);
        }
        float[] one = new float[steps * features]; // [T, 1, F] of row n of the time-major [T, B, F]
        List<List<Double>> values = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            System.arraycopy(inputs, (t * batch + n) * features, one, t * features, features);
            List<Double> step = new ArrayList<>();
            for (int f = 0; f < features; f++) step.add((double) one[t * features + f]);
            values.add(step);
        }
        return new Example(ModelInput.features(one, steps, 1), values);
    }

    /** One sequence as the model reads it, and its steps' input values ([T][F]). */
    public record Example(ModelInput input, List<List<Double>> values) {}

    /** One history entry per validation, with how much gradient reached the first and last step just before. */
    private final class HistoryListener implements TrainingListener {
        private double[] lastNorms = new double[0];

        @Override
        public void onStep(StepMetrics m) {
            // the training step before a validation: how much gradient reaches the first step, as training goes
            if (m.step() % VALIDATE_EVERY == 0) lastNorms = experiment.model().recurrent().gradientNormsByStep();
        }

        @Override
        public void onValidation(ValidationMetrics m) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("step", m.step());
            point.put("validation_" + settings.task().metricName(), m.loss());
            if (lastNorms.length > 0) {
                point.put("train_grad_norm_first_step", lastNorms[0]);
                point.put("train_grad_norm_last_step", lastNorms[lastNorms.length - 1]);
            }
            history.add(point);
        }
    }

    /** What a task brings: its model, loss, data, sequence length, and how to score the trained model. */
    private record Experiment(SequenceModel model, Loss loss, BatchSource train, List<Batch> validation, int steps, Scorer test) {}

    /** Scores a trained model on a test set, adding test_, baseline_ and grad_norm_by_step to the metrics. */
    @FunctionalInterface
    private interface Scorer {
        void score(SequenceModel model, Map<String, Object> metrics);
    }

    private static SequenceModel.Builder model(MemoryTaskSettings s, int features, Head head, int outputs) {
        SequenceModel.Builder builder = SequenceModel.builder().features(features).cell(s.cell()).hiddenSize(s.hiddenSize())
                .head(head).outputs(outputs).initialization(Initialization.XAVIER_ORTHOGONAL).seed(s.seed());
        if (s.cell() == CellType.LSTM) builder.forgetBias(1f); // remember by default: the task is all about memory
        return builder;
    }

    /** The model, with chrono gate biases when the settings ask for them. */
    private static SequenceModel build(SequenceModel.Builder builder, MemoryTaskSettings s) {
        SequenceModel model = builder.build();
        if (s.chrono() > 0) Initialization.setChronoBias(model.recurrent(), s.chrono(), s.seed());
        return model;
    }

    private static Experiment addingProblem(MemoryTaskSettings s) {
        int steps = s.length();
        SequenceModel model = build(model(s, AddingProblem.FEATURES, Head.LAST_STEP, 1), s);
        BatchSource train = BatchSource.named("adding(T=" + steps + ") seed " + s.seed(),
                index -> addingBatch(new AddingProblem(steps, Seeds.derive(s.seed(), index)).batch(s.batch())));
        List<Batch> validation = new ArrayList<>();
        for (int i = 0; i < VALIDATION_BATCHES; i++) {
            validation.add(addingBatch(new AddingProblem(steps, Seeds.derive(~s.seed(), i)).batch(250)));
        }
        Loss loss = new MeanSquaredError();
        return new Experiment(model, loss, train, validation, steps, (trained, metrics) -> {
            AddingProblem.Batch all = new AddingProblem(steps, Seeds.derive(s.seed() ^ TEST_STREAM, 0)).batch(TEST_SEQUENCES);
            scoreAdding(trained, loss, all, TEST_CHUNK, metrics);
        });
    }

    /**
     * Adds test_mse, baseline_mse and grad_norm_by_step (||dL/dh_t|| of the mean test loss) for {@code test}, run
     * {@code chunk} sequences at a time: chunk c's loss counts n_c / N, its gradient is scaled by n_c / N, and the
     * squared norm of dL/dh_t of the whole set is the sum over the chunks.
     */
    static void scoreAdding(SequenceModel trained, Loss loss, AddingProblem.Batch test, int chunk, Map<String, Object> metrics) {
        int total = test.batch(), steps = test.steps();
        double lossSum = 0;
        double[] squaredNorms = new double[steps];
        for (int from = 0; from < total; from += chunk) {
            int n = Math.min(chunk, total - from);
            Batch part = addingBatch(test.rows(from, n));
            Matrix predictions = trained.forward(part.input());
            float[] gradient = new float[n];
            lossSum += n * loss.lossAndGradient(predictions, part.targets(), Matrix.of(gradient, n, 1));
            VectorMath.scale(Matrix.of(gradient, n, 1), (float) n / total);
            List<Double> norms = gradientNormsByStep(trained, gradient);
            for (int t = 0; t < steps; t++) squaredNorms[t] += norms.get(t) * norms.get(t);
        }
        List<Double> norms = new ArrayList<>(steps);
        for (double sq : squaredNorms) norms.add(Math.sqrt(sq));
        metrics.put("test_mse", lossSum / total);
        metrics.put("baseline_mse", AddingProblem.BASELINE_MSE);
        metrics.put("grad_norm_by_step", norms);
    }

    private static Batch addingBatch(AddingProblem.Batch b) {
        return new Batch(ModelInput.features(b.inputs(), b.steps(), b.batch()), Targets.values(b.targets()));
    }

    private static Experiment copyTask(MemoryTaskSettings s) {
        CopyTask shape = new CopyTask(s.length(), s.symbols(), s.alphabet(), 0);
        int steps = shape.length(), classes = shape.classes();
        SequenceModel model = build(model(s, classes, Head.EVERY_STEP, classes), s);
        BatchSource train = BatchSource.named("copy(delay=" + s.length() + ",symbols=" + s.symbols() + ",alphabet=" + s.alphabet()
                + ") seed " + s.seed(), index -> copyBatch(new CopyTask(s.length(), s.symbols(), s.alphabet(),
                Seeds.derive(s.seed(), index)).batch(s.batch())));
        List<Batch> validation = new ArrayList<>();
        for (int i = 0; i < VALIDATION_BATCHES; i++) {
            validation.add(copyBatch(new CopyTask(s.length(), s.symbols(), s.alphabet(), Seeds.derive(~s.seed(), i)).batch(100)));
        }
        Loss loss = new SoftmaxCrossEntropy();
        return new Experiment(model, loss, train, validation, steps, (trained, metrics) -> {
            int n = COPY_TEST_SEQUENCES;
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
}
