package dev.rnn4j.data.app;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Batcher;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.EarlyStopping;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One training run of a task's model, the same for every task: Adam with the settings' rate, gradient clipping,
 * epochs over shuffled batches with early stopping on the validation examples (the best model is kept), and, when
 * a run directory is given, a checkpoint there after every epoch from which {@link #resume()} continues bit for bit.
 *
 * <p>Call order: construct; add listeners; optionally {@link #resume()}; {@link #fit}; then, if the result says
 * {@linkplain TrainResult#interrupted() interrupted}, {@link #restoreBest()} before saving the best model so far.
 * {@link #stop()} may be called from any thread (a Ctrl-C handler) while {@code fit} runs.
 */
public final class TrainingRun {
    private final Trainer trainer;
    private final Batcher train;
    private final Path runDirectory;

    /**
     * @param runDirectory where checkpoints go (created when the first is written), or null for none
     */
    public TrainingRun(SequenceModel model, Loss loss, TrainingSettings settings, Dataset train, Path runDirectory) {
        this.train = Batcher.of(train, settings.batchSize());
        this.runDirectory = runDirectory;
        TrainConfig.Builder config = TrainConfig.builder()
                .optimizer(OptimizerSpec.adam(settings.learningRate()))
                .loss(loss)
                .clipNorm(settings.clipNorm())
                .epochs(settings.epochs())
                .earlyStopping(EarlyStopping.of(settings.patience()))
                .seed(settings.seed())
                .threads(settings.threads());
        if (runDirectory != null) config.checkpoints(runDirectory, this.train.batchesPerEpoch());
        this.trainer = new Trainer(model, config.build());
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
     * @throws IllegalArgumentException if there is no run directory or no checkpoint in it, or it was written with
     *                                  other settings or another model
     */
    public TrainingRun resume() {
        if (runDirectory == null) throw new IllegalArgumentException("resuming needs a run directory");
        Path file = checkpoint(runDirectory);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(runDirectory + ": no checkpoint to resume from (" + TrainingCheckpoint.FILE_NAME + " is missing)");
        }
        trainer.restore(file);
        return this;
    }

    /** Trains until the epochs run out, early stopping ends it (the best model is then restored), or {@link #stop()}. */
    public TrainResult fit(Dataset validation) {
        return trainer.fit(train, Batcher.of(validation, 256).shuffled(false).inOrder());
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
}
