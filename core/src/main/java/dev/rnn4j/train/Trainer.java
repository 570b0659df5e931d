package dev.rnn4j.train;

import dev.rnn4j.io.Json;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelSpec;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.GradientClipping;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.ReduceOnPlateau;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a {@link SequenceModel}: mini-batches from a {@link Batcher} (epochs over a finite {@link Dataset}) or an
 * endless {@link BatchSource}, validation, learning-rate schedules, early stopping, checkpoints and exact resume.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder()
 *         .optimizer(OptimizerSpec.adam(1e-3)).loss(new SoftmaxCrossEntropy())
 *         .clipNorm(1.0).epochs(20).earlyStopping(EarlyStopping.of(3))
 *         .checkpoints(Path.of("runs/a"), 500).seed(42).threads(4)
 *         .build();
 * Trainer trainer = new Trainer(model, config).addListener(m -> ...);
 * TrainResult result = trainer.fit(Batcher.of(train, 32).bucketed(8), Batcher.of(valid, 64).inOrder());
 * trainer.saveModel(Path.of("model.rnn4j"), false);
 * // after a crash: the same run, continued bit for bit
 * Trainer resumed = Trainer.resume(Path.of("runs/a", TrainingCheckpoint.FILE_NAME));
 * resumed.fit(Batcher.of(train, 32).bucketed(8), Batcher.of(valid, 64).inOrder());
 * }</pre>
 *
 * <p><b>One training step</b>, in this order (as Tribuo and PyTorch loops do):
 * <ol>
 *   <li>the learning rate: {@code schedule.rate(base, epoch)} if a schedule is set;</li>
 *   <li>{@code model.zeroGrad()};</li>
 *   <li>forward pass over the batch (or its next chunk, with truncated BPTT), in training mode;</li>
 *   <li>loss and dL/d predictions ({@link dev.rnn4j.loss.Loss#lossAndGradient});</li>
 *   <li>backward pass;</li>
 *   <li>clipping: the global norm is measured (and reported), then clipped to {@code clipNorm} if set, then each
 *       element is clamped to {@code clipValue} if set;</li>
 *   <li>{@code optimizer.step(parameters)};</li>
 *   <li>listeners' {@link TrainingListener#onStep}; then, at an epoch's end, validation (in inference mode),
 *       ReduceOnPlateau and early stopping, {@link TrainingListener#onValidation}; then a checkpoint if one is due.</li>
 * </ol>
 * A NaN or infinity in the loss, a gradient or (after the update) a parameter is caught in the step it appears
 * in, and named with the step, epoch and batch ({@link NonFiniteValue}); {@link TrainConfig#onNonFinite()} says
 * whether the run skips that step's update or stops there (without a checkpoint after it).
 *
 * <p><b>Epochs.</b> With a {@link Batcher}, an epoch is one pass over its batches, in the order of
 * {@link Batcher#plan(long, int) plan(seed, epoch)}. With a {@link BatchSource}, batch {@code i} is
 * {@code source.next(i)}, and an epoch is {@link TrainConfig#stepsPerEpoch()} steps (or the whole run when that is
 * 0). Training ends after {@link TrainConfig#epochs()} epochs or {@link TrainConfig#maxSteps()} steps, whichever
 * comes first, or when early stopping says so; then, if early stopping has {@code restoreBest}, the model gets the
 * parameter values of the best validation back (with the buffers of that moment: batch normalisation's statistics).
 * With {@link TrainConfig#averageDecay()}, validation runs on the parameters' moving averages ({@link WeightAverage}),
 * which are also what the best validation keeps and what the model holds at the end.
 *
 * <p><b>Truncated BPTT</b> ({@link TrainConfig#truncatedBptt()} = k, for stateful training as language models need):
 * each batch is a long stream [T, B, ...] that is cut into consecutive chunks of k steps (the last may be shorter);
 * every chunk is one training step. A chunk's forward pass starts from a copy of the previous chunk's final state
 * h_n (and c_n), so the forward pass is exactly that of the whole stream; its backward pass ignores dL/dh0, so the
 * gradient is cut at the chunk boundary. The first chunk starts from the batch's own h0/c0 (zero if null). Each
 * chunk's targets are the rows of its steps. Truncated BPTT needs an {@link Head#EVERY_STEP} head, a unidirectional
 * network, and batches without per-sequence lengths (all sequences T steps; mask targets to leave steps out). With
 * k >= T a batch is one chunk, trained exactly as without truncation. Validation runs the same chunks forward,
 * carrying the state.
 *
 * <p><b>Determinism.</b> Everything random derives from {@link TrainConfig#seed()} and the position in the run (the
 * shuffle from (seed, epoch); the recurrent network's dropout and zoneout masks from (seed, step, example), through
 * {@link BatchGradient}), and the kernels are deterministic for a given thread count: the
 * same model, config and data give bitwise the same weights, run after run. Training steps run the network in
 * training mode ({@link dev.rnn4j.layer.Recurrent#setTraining}), validation in inference mode; {@code fit} leaves
 * it in inference mode.
 *
 * <p><b>Checkpoints</b> ({@link TrainConfig#checkpointDirectory()}): every {@link TrainConfig#checkpointEverySteps()}
 * steps and at the end, {@link TrainingCheckpoint#FILE_NAME} in that directory is replaced atomically with the
 * model's parameters and buffers, the optimizer's state, the config, the step and epoch counters and the position in the data
 * (batch, chunk and the carried state), the learning rate, ReduceOnPlateau's and early stopping's state (with the
 * best parameters), and the seed. {@link #resume(Path)} (or {@link #restore(Path)} on a trainer built with the same
 * spec and config) continues the run so that its final weights equal an uninterrupted run's, bit for bit, given the
 * same data and thread count. The final checkpoint holds the last parameters, before any best-parameter restore.
 *
 * <p><b>Frozen parameters</b> ({@link Parameter#setTrainable} false when {@code fit} starts) are left out of the
 * gradient norm, the clipping and the optimizer's steps: their values do not change. Freeze the same parameters
 * again before resuming a run.
 *
 * <p>An exception thrown by a listener ends {@code fit} there (the last checkpoint stays as it was). Not
 * thread-safe. While {@code fit} runs, {@link Parallel#threads()} is set to {@link TrainConfig#threads()}
 * (if not 0) and put back afterwards.
 */
public final class Trainer {
    private final SequenceModel model;
    private final TrainConfig config;
    private final Optimizer optimizer;
    private final ReduceOnPlateau plateau;
    private final double baseRate;
    private final List<NamedParameter> named;
    private final List<Parameter> parameters;
    private final ModelState modelState; // the parameters and buffers, as the best validation's copy keeps them
    private List<Parameter> trainable; // the parameters not frozen when fit started: clipped and stepped
    private final List<TrainingListener> listeners = new ArrayList<>();
    /** Set from another thread (a Ctrl-C handler) to end {@code fit} after the step in progress. */
    private volatile boolean stopRequested;

    // progress
    private long step;
    private int epoch;
    private long batch;  // next batch: its index in the epoch (Batcher) or overall (BatchSource)
    private int chunk;   // next chunk of that batch (truncated BPTT), 0 when the batch has not started
    private float[] carryH;
    private float[] carryC;
    private double lastLoss = Double.NaN;
    // validation and early stopping
    private double bestLoss = Double.NaN;
    private long bestStep = -1;
    private int badValidations;
    private float[][] bestValues; // the parameters' values, then the buffers', at the best validation
    private boolean stoppedEarly;
    private long skippedSteps;      // steps whose update a non-finite value dropped (NonFiniteAction.SKIP)
    private String dataFingerprint; // of the data this run trained on so far, or null
    private String dataSettings;    // the batching settings of the last fit's Batcher, or null
    private long lastCheckpointStep = -1;

    private final BatchGradient batchGradient;
    private final WeightAverage average; // null unless config.averageDecay() > 0
    // workspaces
    private double stepLoss;  // the last step's loss
    private double stepNorm;  // and its gradient norm before clipping
    private Batch currentBatch;
    private long currentBatchEpoch = -1;
    private long currentBatchIndex = -1;

    /**
     * A trainer for a fresh run: a new optimizer from the config, step 0, epoch 0.
     *
     * @throws IllegalArgumentException if truncated BPTT is set for a model that cannot use it
     */
    public Trainer(SequenceModel model, TrainConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        if (config.truncatedBptt() > 0) {
            if (model.spec().head() != Head.EVERY_STEP) {
                throw new IllegalArgumentException("truncated BPTT needs an EVERY_STEP head (a prediction at every step), not "
                        + model.spec().head());
            }
            if (model.spec().recurrent().bidirectional()) {
                throw new IllegalArgumentException("truncated BPTT needs a unidirectional network: a reverse direction cannot carry its state forward");
            }
        }
        this.optimizer = config.optimizer().create();
        this.baseRate = optimizer.learningRate();
        this.plateau = config.plateau() == null ? null : config.plateau().build();
        this.batchGradient = new BatchGradient(model, config.loss(), config.seed());
        this.named = model.namedParameters();
        this.parameters = model.parameters();
        this.modelState = new ModelState(model);
        this.average = config.averageDecay() > 0 ? new WeightAverage(named, config.averageDecay()) : null;
    }

    /**
     * A trainer continuing the run of a checkpoint: the model rebuilt from the checkpoint's spec, the config read
     * from it ({@link TrainConfig#fromJson}), then {@link #restore(Path)}. Then call {@code fit} with the same data.
     *
     * @throws IllegalArgumentException if the config uses a custom optimizer, loss or schedule (JSON cannot rebuild
     *                                  those: build the trainer with the config and call {@link #restore(Path)})
     * @throws dev.rnn4j.io.ModelFileException if the file is not a valid checkpoint
     */
    public static Trainer resume(Path checkpoint) {
        TrainingCheckpoint.Contents contents = TrainingCheckpoint.read(checkpoint);
        SequenceModel model = SequenceModel.create(contents.model().model().spec());
        Trainer trainer = new Trainer(model, TrainConfig.fromJson(contents.trainConfig()));
        trainer.restore(contents, checkpoint.toString());
        return trainer;
    }

    /** Adds a listener; returns this. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public SequenceModel model() {
        return model;
    }

    public TrainConfig config() {
        return config;
    }

    /** The optimizer this trainer steps. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Asks a running {@code fit} to stop after the step in progress, as if its limit had been reached: it writes
     * its final checkpoint (if checkpoints are configured), calls {@link TrainingListener#onEnd} and returns a result
     * with {@link TrainResult#interrupted()} set. The best parameters are not restored, so the model (and the
     * checkpoint) hold the last step's values and the run can be resumed exactly. Safe to call from any thread,
     * e.g. a signal handler; a request made before {@code fit} starts stops it before its first step. Each
     * {@code fit} call clears the request when it returns.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Puts the parameters of the best validation so far into the model, as early stopping's {@code restoreBest}
     * does at the end of a run; for saving the best model of an interrupted run (after its checkpoint, which keeps
     * the last parameters for resuming, has been written).
     *
     * @return false if there is no best yet (no validation, or early stopping without {@code restoreBest})
     */
    public boolean restoreBestParameters() {
        if (bestValues == null) return false;
        modelState.set(bestValues);
        return true;
    }

    /** Completed training steps. */
    public long step() {
        return step;
    }

    /** The current epoch, 0-based (the number of completed epochs). */
    public int epoch() {
        return epoch;
    }

    /** Trains on epochs of a finite dataset; see the class comment. */
    public TrainResult fit(Batcher train, List<Batch> validation) {
        Objects.requireNonNull(train, "train");
        if (config.stepsPerEpoch() != 0) {
            throw new IllegalArgumentException("stepsPerEpoch is for endless sources; a Batcher's epoch is one pass over its "
                    + train.batchesPerEpoch() + " batches");
        }
        return run(new TrainingData.Epochs(train, config.seed()), validation);
    }

    /**
     * Trains on the batches of {@code plan}, epochs as with a {@link Batcher}, each step's gradient computed by
     * {@code gradient} from its examples' indices (by the workers that hold them, in a distributed run); clipping,
     * the optimizer, schedules, validation, listeners and checkpoints are this trainer's, as in the other {@code fit}s.
     * Given the examples that {@code plan}'s lengths describe, the run equals {@code fit(Batcher, ...)} on them with
     * the same plan, up to floating-point rounding. Has no data fingerprint of its own.
     *
     * @throws IllegalArgumentException with truncated BPTT (the carried state would live on the workers), or for a
     *                                  batch-normalised model (the forward passes that update its population
     *                                  statistics would run on the workers, and this model's would never change)
     */
    public TrainResult fit(BatchPlan plan, DistributedGradient gradient, List<Batch> validation) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(gradient, "gradient");
        if (config.truncatedBptt() > 0) throw new IllegalArgumentException("truncated BPTT cannot be distributed");
        if (model.spec().recurrent().batchNorm()) {
            throw new IllegalArgumentException("a batch-normalised model cannot be trained distributed: its population statistics are "
                    + "updated by the training forward passes, which would run on the workers");
        }
        if (config.stepsPerEpoch() != 0) {
            throw new IllegalArgumentException("stepsPerEpoch is for endless sources; a plan's epoch is one pass over its "
                    + plan.batchesPerEpoch() + " batches");
        }
        return run(new TrainingData.Planned(plan, gradient, config.seed()), validation);
    }

    /** Trains on an endless source; see the class comment. */
    public TrainResult fit(BatchSource train, List<Batch> validation) {
        Objects.requireNonNull(train, "train");
        if (config.epochs() > 0 && config.stepsPerEpoch() == 0) {
            throw new IllegalArgumentException("an endless source has no epochs of its own: set stepsPerEpoch to count epochs, or use maxSteps");
        }
        return run(new TrainingData.Endless(train), validation);
    }

    // ---- the loop

    private TrainResult run(TrainingData data, List<Batch> validation) {
        List<Batch> valid = validation == null ? List.of() : List.copyOf(validation);
        if (valid.isEmpty() && (config.earlyStopping() != null || config.plateau() != null)) {
            throw new IllegalArgumentException("early stopping and ReduceOnPlateau need validation batches");
        }
        String fingerprint = data.fingerprint();
        if (dataFingerprint != null && fingerprint != null && !dataFingerprint.equals(fingerprint)) {
            throw new IllegalStateException("this run trained on data " + dataFingerprint + " but is now given " + fingerprint
                    + "; resume with the same data");
        }
        if (fingerprint != null) dataFingerprint = fingerprint;
        dataSettings = data.settingsJson();
        currentBatch = null;
        trainable = parameters.stream().filter(Parameter::trainable).toList();
        if (data.batchesPerEpoch() > 0 && batch >= data.batchesPerEpoch()) {
            throw new IllegalStateException("the run stopped at batch " + batch + " of epoch " + epoch + " but an epoch now has only "
                    + data.batchesPerEpoch() + " batches; resume with the same data and batch size");
        }
        int previousThreads = Parallel.threads();
        if (config.threads() > 0) Parallel.setThreads(config.threads());
        NonFiniteValue nonFinite = null;
        try {
            long start = System.nanoTime();
            TrainingStart plan = new TrainingStart(step, epoch, data.batchesPerEpoch(), config.epochs(), config.maxSteps(),
                    config.stepsPerEpoch());
            for (TrainingListener l : listeners) l.onStart(plan);
            while (!limitReached() && !stopRequested) {
                Batch full = data.distributed() == null ? batchAt(data) : null;
                int[] ids = full == null ? data.exampleIds(epoch, batch) : null;
                if (config.schedule() != null) optimizer.setLearningRate(config.schedule().rate(baseRate, epoch));
                double rate = optimizer.learningRate();
                long t0 = System.nanoTime();
                int chunks = full == null ? 1 : BpttChunks.count(full, config.truncatedBptt());
                NonFiniteValue bad = full == null ? distributedStep(data.distributed(), ids) : trainStep(full, chunk, chunks);
                long t1 = System.nanoTime();
                if (bad != null && (config.onNonFinite() == NonFiniteAction.STOP || bad.kind() == NonFiniteValue.Kind.PARAMETER)) {
                    nonFinite = bad; // the step did not happen: the counters (and the last checkpoint) stay before it
                    break;
                }
                step++;
                if (bad != null) {
                    skippedSteps++;
                    for (TrainingListener l : listeners) l.onSkippedStep(bad);
                } else {
                    lastLoss = stepLoss;
                    StepMetrics metrics = new StepMetrics(step, epoch, stepLoss, stepNorm, rate, (t1 - t0) / 1e9, (t1 - start) / 1e9,
                            full == null ? ids.length : full.input().batch());
                    for (TrainingListener l : listeners) l.onStep(metrics);
                }

                chunk++;
                if (chunk == chunks) {
                    chunk = 0;
                    carryH = null;
                    carryC = null;
                    batch++;
                }
                boolean epochEnded = data.batchesPerEpoch() > 0
                        ? batch == data.batchesPerEpoch() && chunk == 0
                        : config.stepsPerEpoch() > 0 && step % config.stepsPerEpoch() == 0;
                if (epochEnded) {
                    if (data.batchesPerEpoch() > 0) batch = 0;
                    endEpoch(valid);
                }
                if (config.checkpointEverySteps() > 0 && step % config.checkpointEverySteps() == 0) writeCheckpoint();
            }
            if (config.checkpointDirectory() != null && lastCheckpointStep != step && nonFinite == null) writeCheckpoint();
            boolean interrupted = stopRequested && !limitReached();
            boolean restored = false;
            if (!interrupted && config.earlyStopping() != null && config.earlyStopping().restoreBest() && bestValues != null) {
                modelState.set(bestValues);
                restored = true;
            } else if (!interrupted && average != null) {
                for (int i = 0; i < parameters.size(); i++) parameters.get(i).set(average.values()[i]); // the averaged model is the trained one
            }
            TrainResult result = new TrainResult(step, epoch, lastLoss, bestLoss, bestStep, stoppedEarly, restored, interrupted,
                    skippedSteps, nonFinite);
            for (TrainingListener l : listeners) l.onEnd(result);
            return result;
        } finally {
            stopRequested = false;
            model.recurrent().setTraining(false);
            Parallel.setThreads(previousThreads);
        }
    }

    private boolean limitReached() {
        return stoppedEarly || (config.epochs() > 0 && epoch >= config.epochs()) || (config.maxSteps() > 0 && step >= config.maxSteps());
    }

    private Batch batchAt(TrainingData data) {
        long batchEpoch = data.batchesPerEpoch() > 0 ? epoch : 0;
        if (currentBatch == null || currentBatchEpoch != batchEpoch || currentBatchIndex != batch) {
            currentBatch = Objects.requireNonNull(data.batch(epoch, batch), "null batch");
            currentBatchEpoch = batchEpoch;
            currentBatchIndex = batch;
        }
        return currentBatch;
    }

    /**
     * Trains on chunk {@code c} of {@code chunks} of the batch, leaving its loss and gradient norm (before clipping)
     * in {@link #stepLoss} and {@link #stepNorm}. Returns null, or the first NaN or infinity of the step: in the loss
     * or a gradient (then no update was made), or in a parameter after the update.
     */
    private NonFiniteValue trainStep(Batch full, int c, int chunks) {
        Batch b = BpttChunks.chunk(full, config.truncatedBptt(), c, chunks, carryH, carryC);
        model.zeroGrad();
        stepLoss = batchGradient.accumulate(b, step, BatchGradient.Reduction.MEAN).loss();
        NonFiniteValue bad = clipAndStep(c);
        if (c + 1 < chunks) {
            RecurrentOutput out = model.lastRecurrentOutput();
            carryH = BpttChunks.carried(out.hN());
            carryC = out.cN() == null ? null : BpttChunks.carried(out.cN());
        }
        return bad;
    }

    /** One step whose gradient {@code gradient} computes from the batch's example ids; as {@link #trainStep}. */
    private NonFiniteValue distributedStep(DistributedGradient gradient, int[] ids) {
        model.zeroGrad();
        stepLoss = gradient.gradient(ids, step, parameters);
        return clipAndStep(0);
    }

    /**
     * After the gradient of step's loss {@link #stepLoss} is in the grads: measures its norm ({@link #stepNorm}),
     * clips it and steps the optimizer. Returns null, or the first NaN or infinity: in the loss or a gradient (then
     * no update is made), or in a parameter after the update.
     */
    private NonFiniteValue clipAndStep(int c) {
        if (!Double.isFinite(stepLoss)) return nonFinite(NonFiniteValue.Kind.LOSS, -1, -1, stepLoss, c);
        stepNorm = GradientClipping.globalNorm(trainable);
        int[] at = Double.isFinite(stepNorm) ? null : NonFiniteValue.firstNonFinite(trainable, true);
        if (at != null) return nonFinite(NonFiniteValue.Kind.GRADIENT, at[0], at[1], trainable.get(at[0]).grad()[at[1]], c);
        if (config.clipNorm() != null) GradientClipping.scaleToNorm(trainable, stepNorm, config.clipNorm());
        if (config.clipValue() != null) GradientClipping.clipByValue(trainable, config.clipValue());
        optimizer.step(trainable);
        at = NonFiniteValue.firstNonFinite(trainable, false);
        if (at != null) return nonFinite(NonFiniteValue.Kind.PARAMETER, at[0], at[1], trainable.get(at[0]).value()[at[1]], c);
        if (average != null) average.update();
        return null;
    }

    private NonFiniteValue nonFinite(NonFiniteValue.Kind kind, int parameter, int element, double value, int c) {
        String name = parameter < 0 ? null : named.get(parameters.indexOf(trainable.get(parameter))).name(); // as the model file names it
        return new NonFiniteValue(kind, name, element, value, step + 1, epoch, batch, c);
    }

    private void endEpoch(List<Batch> validation) {
        if (!validation.isEmpty()) {
            if (average != null) average.swapIn(); // validated, and kept as the best, with the averaged parameters
            double loss = evaluate(validation);
            double minDelta = config.earlyStopping() == null ? 0 : config.earlyStopping().minDelta();
            boolean improved = bestStep < 0 ? !Double.isNaN(loss) : loss < bestLoss - minDelta;
            if (improved) {
                bestLoss = loss;
                bestStep = step;
                badValidations = 0;
                if (config.earlyStopping() != null && config.earlyStopping().restoreBest()) bestValues = modelState.copy();
            } else {
                badValidations++;
                if (config.earlyStopping() != null && badValidations >= config.earlyStopping().patience()) stoppedEarly = true;
            }
            if (average != null) average.swapOut();
            if (plateau != null) optimizer.setLearningRate(plateau.onEpochEnd(loss, optimizer.learningRate()));
            ValidationMetrics metrics = new ValidationMetrics(step, epoch, loss, bestLoss, bestStep, improved, badValidations,
                    optimizer.learningRate());
            for (TrainingListener l : listeners) l.onValidation(metrics);
        }
        epoch++;
    }

    /**
     * The mean loss over every row that counts in these batches (each batch's, or chunk's, mean weighted by its
     * number of counted rows), in inference mode; with truncated BPTT the chunks run forward carrying the state.
     *
     * @throws IllegalArgumentException if no row counts
     */
    public double evaluate(List<Batch> batches) {
        model.recurrent().setTraining(false); // validation runs in inference mode
        double sum = 0, count = 0;
        for (Batch full : batches) {
            int chunks = BpttChunks.count(full, config.truncatedBptt());
            float[] h = null, c = null;
            for (int i = 0; i < chunks; i++) {
                Batch b = BpttChunks.chunk(full, config.truncatedBptt(), i, chunks, h, c);
                Matrix predictions = model.forward(b.input());
                double rows = config.loss().countedWeight(b.targets(), predictions.rows());
                if (rows > 0) {
                    sum += config.loss().loss(predictions, b.targets()) * rows;
                    count += rows;
                }
                if (i + 1 < chunks) {
                    RecurrentOutput out = model.lastRecurrentOutput();
                    h = out.hN().clone();
                    c = out.cN() == null ? null : out.cN().clone();
                }
            }
        }
        if (count == 0) throw new IllegalArgumentException("no row of the validation batches counts (all masked or ignored)");
        return sum / count;
    }

    // ---- files

    /**
     * Provenance for files this trainer writes: source "rnn4j Trainer", the config as hyperparameters (with the
     * batching settings of a {@link Batcher} under {@code "batching"}), the seed and the data fingerprint.
     */
    public TrainingProvenance provenance() {
        return TrainingProvenance.now("rnn4j Trainer", hyperparameters(), config.seed(), dataFingerprint);
    }

    private String hyperparameters() {
        Map<String, Object> json = config.toJsonMap();
        if (dataSettings != null) json.put("batching", Json.parseObject(dataSettings));
        return Json.write(json);
    }

    /**
     * Writes the model as a {@link SequenceModelFile} with this run's provenance, and the optimizer's state if
     * {@code withOptimizer}.
     */
    public void saveModel(Path file, boolean withOptimizer) {
        SequenceModelFile.save(model, file, provenance(), withOptimizer ? optimizer : null);
    }

    private void writeCheckpoint() {
        Path dir = config.checkpointDirectory();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new dev.rnn4j.io.ModelFileException(dir + ": cannot create the checkpoint directory: " + e.getMessage(), e);
        }
        Path file = dir.resolve(TrainingCheckpoint.FILE_NAME);
        TrainingProvenance provenance = TrainingProvenance.now("rnn4j Trainer checkpoint", hyperparameters(), config.seed(),
                dataFingerprint);
        TrainingCheckpoint.write(file, model, provenance, optimizer, config.toJson(), state().toJson(),
                CheckpointTensors.of(modelState.names(), bestValues, average == null ? null : average.names(),
                        average == null ? null : average.values(), carryH, carryC));
        lastCheckpointStep = step;
        for (TrainingListener l : listeners) l.onCheckpoint(file, step);
    }

    private TrainingState state() {
        return new TrainingState(step, epoch, batch, chunk, config.seed(), optimizer.learningRate(), lastLoss, bestLoss, bestStep,
                badValidations, stoppedEarly, bestValues != null, carryH != null, skippedSteps,
                plateau == null ? null : plateau.state(), dataFingerprint);
    }

    /**
     * Continues the run a checkpoint recorded: copies its parameters and buffers into this trainer's model and restores the
     * optimizer, the counters, the position in the data, the learning rate, ReduceOnPlateau, early stopping and the
     * carried state. The next {@code fit}, given the same data, continues exactly where the checkpoint was written.
     *
     * @throws IllegalArgumentException if the checkpoint's model spec differs from this model's, or its config
     *                                  differs in a setting other than {@link TrainConfig#RESUMABLE_CHANGES}
     * @throws dev.rnn4j.io.ModelFileException if the file is not a valid checkpoint
     */
    public void restore(Path checkpoint) {
        restore(TrainingCheckpoint.read(checkpoint), checkpoint.toString());
    }

    private void restore(TrainingCheckpoint.Contents contents, String source) {
        SequenceModel saved = contents.model().model();
        ModelSpec spec = saved.spec();
        if (!spec.equals(model.spec())) {
            throw new IllegalArgumentException(source + ": the checkpoint's model is " + spec.toJson() + " but this trainer's is "
                    + model.spec().toJson());
        }
        List<String> differ;
        try {
            differ = config.differencesForResume(contents.trainConfig());
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException(source + ": train_config is not a JSON object: " + e.getMessage(), e);
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(source + ": the checkpoint was made with other training settings " + differ
                    + ": it has " + contents.trainConfig() + ", this trainer " + config.toJson());
        }
        TrainingState state = TrainingState.fromJson(contents.trainingState(), source);
        if (state.seed() != config.seed()) {
            throw new IllegalArgumentException(source + ": training_state: seed " + state.seed() + " differs from the config's " + config.seed());
        }
        if ((state.plateau() != null) != (plateau != null)) {
            throw new IllegalArgumentException(source + ": training_state: plateau state does not match the config");
        }
        float[][] best = state.hasBestParameters()
                ? CheckpointTensors.values(contents.tensors(), "best", modelState.names(), modelState.sizes(), source) : null;
        float[][] averages = average == null ? null
                : CheckpointTensors.values(contents.tensors(), "average", average.names(), average.sizes(), source);
        float[][] carry = state.hasCarry()
                ? CheckpointTensors.carry(contents.tensors(), model.spec().recurrent().cellType().hasCellState(), source)
                : new float[2][];
        // everything checked: apply
        modelState.setFrom(saved);
        contents.model().loadOptimizerInto(optimizer, model);
        optimizer.setLearningRate(state.learningRate());
        if (plateau != null) plateau.restore(state.plateau());
        step = state.step();
        epoch = state.epoch();
        batch = state.batch();
        chunk = state.chunk();
        carryH = carry[0];
        carryC = carry[1];
        lastLoss = state.lastLoss();
        bestLoss = state.bestLoss();
        bestStep = state.bestStep();
        badValidations = state.badValidations();
        bestValues = best;
        if (average != null) average.restore(averages, state.step() - state.skippedSteps()); // one update per step that was not skipped
        stoppedEarly = state.stoppedEarly();
        skippedSteps = state.skippedSteps();
        dataFingerprint = state.dataFingerprint();
        lastCheckpointStep = step;
        currentBatch = null;
    }
}
