package dev.rnn4j.data.app;

import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.model.MemoryEstimate;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.LearningRateSchedule;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchSource;
import dev.rnn4j.train.Batcher;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.EarlyStopping;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;

/**
 * One training run of a task's model, the same for every task: the settings' optimizer (Adam by default), gradient clipping,
 * epochs over shuffled batches with early stopping on the validation examples (the best model is kept), and, when
 * a run directory is given, a checkpoint there after every epoch from which {@link #resume()} continues bit for bit.
 *
 * <p>Call order: construct; add listeners; optionally {@link #resume()}; {@link #fit}; then, if the result says
 * {@linkplain TrainResult#interrupted() interrupted}, {@link #restoreBest()} before saving the best model so far.
 * {@link #stop()} may be called from any thread (a Ctrl-C handler) while {@code fit} runs.
 *
 * <p>A stateful run ({@link Streams}, for language models) trains on one long batch of parallel streams instead of
 * shuffled examples: truncated BPTT over it, the state carried from chunk to chunk, an epoch being one pass.
 */
public final class TrainingRun {
    private final Trainer trainer;
    private final Batcher train;     // epochs over examples, or null for a stateful run
    private final Streams streams;   // a stateful run's data, or null
    private final Path runDirectory;

    /**
     * A stateful run's training data: {@code source.next(i)} is epoch i's batch of parallel streams [T, B], trained
     * in chunks of {@code truncatedBptt} steps with the state carried; an epoch is {@code stepsPerEpoch} chunks.
     * {@code schedule} sets the learning rate per epoch (e.g. {@link dev.rnn4j.optim.ExponentialDecay}), or null to keep it.
     */
    public record Streams(BatchSource source, long stepsPerEpoch, int truncatedBptt, LearningRateSchedule schedule) {
        public Streams {
            Objects.requireNonNull(source, "source");
            if (stepsPerEpoch < 1) throw new IllegalArgumentException("stepsPerEpoch must be at least 1, got " + stepsPerEpoch);
            if (truncatedBptt < 1) throw new IllegalArgumentException("truncated BPTT needs at least 1 step, got " + truncatedBptt);
        }
    }

    /**
     * @param runDirectory where checkpoints go (created when the first is written), or null for none
     * @throws IllegalArgumentException if training would need more memory than the JVM may use (the message says how much)
     */
    public TrainingRun(SequenceModel model, Loss loss, TrainingSettings settings, Dataset train, Path runDirectory) {
        int longest = 1;
        for (Example e : train.examples()) longest = Math.max(longest, e.steps());
        requireMemory(model, longest, settings.batchSize());
        this.train = Batcher.of(train, settings.batchSize());
        this.streams = null;
        this.runDirectory = runDirectory;
        TrainConfig.Builder config = config(loss, settings);
        if (runDirectory != null) config.checkpoints(runDirectory, this.train.batchesPerEpoch());
        this.trainer = new Trainer(model, config.build());
    }

    /**
     * A stateful run over parallel streams (the settings' batch size is the data's business here); a checkpoint
     * after every epoch when there is a run directory.
     */
    public TrainingRun(SequenceModel model, Loss loss, TrainingSettings settings, Streams train, Path runDirectory) {
        this.train = null;
        this.streams = Objects.requireNonNull(train, "train");
        requireMemory(model, train.truncatedBptt(), settings.batchSize());
        this.runDirectory = runDirectory;
        TrainConfig.Builder config = config(loss, settings).stepsPerEpoch(train.stepsPerEpoch()).truncatedBptt(train.truncatedBptt())
                .schedule(train.schedule());
        if (runDirectory != null) config.checkpoints(runDirectory, train.stepsPerEpoch());
        this.trainer = new Trainer(model, config.build());
    }

    /**
     * Refuses, before the first step allocates its activations, a run that would not fit in the JVM's heap.
     *
     * @throws IllegalArgumentException saying how much memory the run needs and how to give the JVM more
     */
    private static void requireMemory(SequenceModel model, int steps, int batch) {
        MemoryEstimate.of(model.spec(), steps, batch).requireFits(Runtime.getRuntime().maxMemory(), "training");
    }

    private static TrainConfig.Builder config(Loss loss, TrainingSettings settings) {
        return TrainConfig.builder()
                .optimizer(settings.optimizer().spec(settings.learningRate()))
                .loss(loss)
                .clipNorm(settings.clipNorm())
                .epochs(settings.epochs())
                .earlyStopping(EarlyStopping.of(settings.patience()))
                .seed(settings.seed())
                .threads(settings.threads())
                .onNonFinite(settings.onNonFinite())
                .averageWeights(settings.ema());
    }

    /** The checkpoint file in a run directory. */
    public static Path checkpoint(Path runDirectory) {
        return runDirectory.resolve(TrainingCheckpoint.FILE_NAME);
    }

    public TrainingRun listener(TrainingListener listener) {
        trainer.addListener(listener);
        return this;
    }

    /**
     * Continues from the run directory's checkpoint: same model, settings and data give the weights an uninterrupted
     * run would have, bit for bit.
     *
     * @throws IllegalArgumentException if there is no run directory or no checkpoint in it
     * @throws ModelFileException       naming the file, if the checkpoint is damaged or was written with other settings
     *                                  or another model
     */
    public TrainingRun resume() {
        if (runDirectory == null) throw new IllegalArgumentException("resuming needs a run directory");
        Path file = checkpoint(runDirectory);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(runDirectory + ": no checkpoint to resume from (" + TrainingCheckpoint.FILE_NAME + " is missing)");
        }
        try {
            trainer.restore(file);
        } catch (IllegalArgumentException e) { // a checkpoint that reads but does not fit this run: bad input, named
            String message = e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e.getMessage() : file + ": " + e.getMessage();
            throw new ModelFileException(message, e);
        }
        return this;
    }

    /** Trains until the epochs run out, early stopping ends it (the best model is then restored), or {@link #stop()}. */
    public TrainResult fit(Dataset validation) {
        if (train == null) throw new IllegalStateException("a stateful run is fitted with validation streams: fit(List<Batch>)");
        return trainer.fit(train, Batcher.of(validation, 256).shuffled(false).inOrder());
    }

    /** A stateful run's {@link #fit(Dataset)}: validation batches of streams, run in chunks with the state carried. */
    public TrainResult fit(List<Batch> validation) {
        if (streams == null) throw new IllegalStateException("a run over examples is fitted with a validation Dataset");
        return trainer.fit(streams.source(), validation);
    }

    /** Ends {@code fit} after the step in progress, with a checkpoint (if there is a run directory). Thread-safe. */
    public void stop() {
        trainer.requestStop();
    }

    /** After an interrupted run: puts the best validation's parameters into the model; false if there is none yet. */
    public boolean restoreBest() {
        return trainer.restoreBestParameters();
    }

    /** Provenance for the trained model: what made it (the command line), the settings, the seed and the data. */
    public TrainingProvenance provenance(String madeBy, String dataFingerprint) {
        TrainingProvenance p = trainer.provenance();
        return new TrainingProvenance(p.rnn4jVersion(), p.createdAt(), p.javaVersion(), madeBy, p.hyperparameters(), p.seed(),
                dataFingerprint != null ? dataFingerprint : p.dataFingerprint());
    }

    public Path runDirectory() {
        return runDirectory;
    }

    public Trainer trainer() {
        return trainer;
    }

    /**
     * How a run ended, for a metrics file: {@code {"steps", "epochs", "best_step", "best_validation_loss",
     * "stopped_early", "interrupted", "skipped_steps", "stopped_by"}} (a non-finite loss as null; stopped_by
     * names the NaN or infinity that ended the run, or is null).
     */
    public static Map<String, Object> resultJson(TrainResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("steps", result.steps());
        json.put("epochs", result.epochs());
        json.put("best_step", result.bestStep());
        json.put("best_validation_loss", Double.isFinite(result.bestValidationLoss()) ? result.bestValidationLoss() : null);
        json.put("stopped_early", result.stoppedEarly());
        json.put("interrupted", result.interrupted());
        json.put("skipped_steps", result.skippedSteps());
        json.put("stopped_by", result.nonFinite() == null ? null : result.nonFinite().message());
        return json;
    }
}
