package dev.rnn4j.train;

import dev.rnn4j.io.Json;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * A non-finite loss or gradient stops training with an {@link IllegalStateException} naming the step.
 *
 * <p><b>Epochs.</b> With a {@link Batcher}, an epoch is one pass over its batches, in the order of
 * {@link Batcher#plan(long, int) plan(seed, epoch)}. With a {@link BatchSource}, batch {@code i} is
 * {@code source.next(i)}, and an epoch is {@link TrainConfig#stepsPerEpoch()} steps (or the whole run when that is
 * 0). Training ends after {@link TrainConfig#epochs()} epochs or {@link TrainConfig#maxSteps()} steps, whichever
 * comes first, or when early stopping says so; then, if early stopping has {@code restoreBest}, the model gets the
 * parameter values of the best validation back.
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
 * model's parameters, the optimizer's state, the config, the step and epoch counters and the position in the data
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
    /** The {@code training_state} JSON version this code writes and reads. */
    static final int STATE_VERSION = 1;

    private final SequenceModel model;
    private final TrainConfig config;
    private final Optimizer optimizer;
    private final ReduceOnPlateau plateau;
    private final double baseRate;
    private final List<NamedParameter> named;
    private final List<Parameter> parameters;
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
    private float[][] bestValues;
    private boolean stoppedEarly;
    private String dataFingerprint; // of the data this run trained on so far, or null
    private String dataSettings;    // the batching settings of the last fit's Batcher, or null
    private long lastCheckpointStep = -1;

    private final BatchGradient batchGradient;
    // workspaces
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
        for (int i = 0; i < parameters.size(); i++) parameters.get(i).set(bestValues[i]);
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
        return run(new BatcherData(train, config.seed()), validation);
    }

    /**
     * Trains on the batches of {@code plan}, epochs as with a {@link Batcher}, each step's gradient computed by
     * {@code gradient} from its examples' indices (by the workers that hold them, in a distributed run); clipping,
     * the optimizer, schedules, validation, listeners and checkpoints are this trainer's, as in the other {@code fit}s.
     * Given the examples that {@code plan}'s lengths describe, the run equals {@code fit(Batcher, ...)} on them with
     * the same plan, up to floating-point rounding. Has no data fingerprint of its own.
     *
     * @throws IllegalArgumentException with truncated BPTT (the carried state would live on the workers)
     */
    public TrainResult fit(BatchPlan plan, DistributedGradient gradient, List<Batch> validation) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(gradient, "gradient");
        if (config.truncatedBptt() > 0) throw new IllegalArgumentException("truncated BPTT cannot be distributed");
        if (config.stepsPerEpoch() != 0) {
            throw new IllegalArgumentException("stepsPerEpoch is for endless sources; a plan's epoch is one pass over its "
                    + plan.batchesPerEpoch() + " batches");
        }
        return run(new PlannedData(plan, gradient, config.seed()), validation);
    }

    /** Trains on an endless source; see the class comment. */
    public TrainResult fit(BatchSource train, List<Batch> validation) {
        Objects.requireNonNull(train, "train");
        if (config.epochs() > 0 && config.stepsPerEpoch() == 0) {
            throw new IllegalArgumentException("an endless source has no epochs of its own: set stepsPerEpoch to count epochs, or use maxSteps");
        }
        return run(new EndlessData(train), validation);
    }

    // ---- the loop

    private interface Data {
        Batch batch(int epoch, long index);

        /** Where each step's gradient is computed, or null for here (from {@link #batch}). */
        default DistributedGradient distributed() {
            return null;
        }

        /** The dataset indices of the examples of a batch (distributed data only). */
        default int[] exampleIds(int epoch, long index) {
            throw new UnsupportedOperationException();
        }

        /** -1 for an endless source. */
        long batchesPerEpoch();

        String fingerprint();

        String settingsJson();
    }

    private record EndlessData(BatchSource source) implements Data {
        public Batch batch(int epoch, long index) {
            return Objects.requireNonNull(source.next(index), "the batch source returned null for batch " + index);
        }

        public long batchesPerEpoch() {
            return -1;
        }

        public String fingerprint() {
            return source.fingerprint();
        }

        public String settingsJson() {
            return null;
        }
    }

    private static final class PlannedData implements Data {
        private final BatchPlan batchPlan;
        private final DistributedGradient gradient;
        private final long seed;
        private int planEpoch = -1;
        private int[][] plan;

        PlannedData(BatchPlan batchPlan, DistributedGradient gradient, long seed) {
            this.batchPlan = batchPlan;
            this.gradient = gradient;
            this.seed = seed;
        }

        public Batch batch(int epoch, long index) {
            throw new UnsupportedOperationException("the examples are on the workers");
        }

        public DistributedGradient distributed() {
            return gradient;
        }

        public int[] exampleIds(int epoch, long index) {
            if (epoch != planEpoch) {
                plan = batchPlan.plan(seed, epoch);
                planEpoch = epoch;
            }
            return plan[(int) index];
        }

        public long batchesPerEpoch() {
            return batchPlan.batchesPerEpoch();
        }

        public String fingerprint() {
            return null;
        }

        public String settingsJson() {
            return batchPlan.settingsJson();
        }
    }

    private static final class BatcherData implements Data {
        private final Batcher batcher;
        private final long seed;
        private int planEpoch = -1;
        private int[][] plan;

        BatcherData(Batcher batcher, long seed) {
            this.batcher = batcher;
            this.seed = seed;
        }

        public Batch batch(int epoch, long index) {
            if (epoch != planEpoch) {
                plan = batcher.plan(seed, epoch);
                planEpoch = epoch;
            }
            return batcher.collate(plan[(int) index]);
        }

        public long batchesPerEpoch() {
            return batcher.batchesPerEpoch();
        }

        public String fingerprint() {
            return batcher.fingerprint();
        }

        public String settingsJson() {
            return batcher.settingsJson();
        }
    }

    private TrainResult run(Data data, List<Batch> validation) {
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
                int chunks = full == null ? 1 : chunkCount(full);
                double[] lossAndNorm = full == null ? distributedStep(data.distributed(), ids) : trainStep(full, chunk, chunks);
                long t1 = System.nanoTime();
                step++;
                lastLoss = lossAndNorm[0];
                StepMetrics metrics = new StepMetrics(step, epoch, lossAndNorm[0], lossAndNorm[1], rate, (t1 - t0) / 1e9, (t1 - start) / 1e9,
                        full == null ? ids.length : full.input().batch());
                for (TrainingListener l : listeners) l.onStep(metrics);

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
            if (config.checkpointDirectory() != null && lastCheckpointStep != step) writeCheckpoint();
            boolean interrupted = stopRequested && !limitReached();
            boolean restored = false;
            if (!interrupted && config.earlyStopping() != null && config.earlyStopping().restoreBest() && bestValues != null) {
                for (int i = 0; i < parameters.size(); i++) parameters.get(i).set(bestValues[i]);
                restored = true;
            }
            TrainResult result = new TrainResult(step, epoch, lastLoss, bestLoss, bestStep, stoppedEarly, restored, interrupted);
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

    private Batch batchAt(Data data) {
        long batchEpoch = data.batchesPerEpoch() > 0 ? epoch : 0;
        if (currentBatch == null || currentBatchEpoch != batchEpoch || currentBatchIndex != batch) {
            currentBatch = Objects.requireNonNull(data.batch(epoch, batch), "null batch");
            currentBatchEpoch = batchEpoch;
            currentBatchIndex = batch;
        }
        return currentBatch;
    }

    /** Trains on chunk {@code c} of {@code chunks} of the batch; returns {loss, gradient norm before clipping}. */
    private double[] trainStep(Batch full, int c, int chunks) {
        Batch b = chunk(full, c, chunks, carryH, carryC);
        model.zeroGrad();
        double loss = batchGradient.accumulate(b, step, BatchGradient.Reduction.MEAN).loss();
        checkLoss(loss, chunks > 1 ? ", chunk " + c : "");
        double norm = clipAndStep();
        if (c + 1 < chunks) {
            RecurrentOutput out = model.lastRecurrentOutput();
            carryH = out.hN().clone();
            carryC = out.cN() == null ? null : out.cN().clone();
        }
        return new double[] {loss, norm};
    }

    /** One step whose gradient {@code gradient} computes from the batch's example ids; returns {loss, norm}. */
    private double[] distributedStep(DistributedGradient gradient, int[] ids) {
        model.zeroGrad();
        double loss = gradient.gradient(ids, step, parameters);
        checkLoss(loss, "");
        return new double[] {loss, clipAndStep()};
    }

    private void checkLoss(double loss, String where) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the training loss is " + loss + " at step " + (step + 1) + " (epoch " + epoch + ", batch "
                    + batch + where + "); look for NaN in the data, or lower the learning rate");
        }
    }

    /** Clips the trainable parameters' gradient and steps the optimizer; returns the norm before clipping. */
    private double clipAndStep() {
        double norm = config.clipNorm() != null
                ? GradientClipping.clipByGlobalNorm(trainable, config.clipNorm())
                : globalNorm();
        if (config.clipValue() != null) GradientClipping.clipByValue(trainable, config.clipValue());
        optimizer.step(trainable);
        return norm;
    }

    /** The global L2 norm of the trainable parameters' gradients, as {@link GradientClipping#clipByGlobalNorm} measures it. */
    private double globalNorm() {
        double norm = GradientClipping.globalNorm(trainable);
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("the gradient is not finite (total norm " + norm + ") at step " + (step + 1)
                    + "; look for NaN in the data, or lower the learning rate or clip the gradient");
        }
        return norm;
    }

    private int chunkCount(Batch b) {
        int k = config.truncatedBptt();
        int t = b.input().steps();
        return k == 0 || k >= t ? 1 : (t + k - 1) / k;
    }

    /**
     * Chunk {@code c} of {@code chunks} of a batch: steps [c k, min((c+1) k, T)), starting from the carried state
     * (or the batch's own initial state for chunk 0), with the targets' rows of those steps.
     */
    private Batch chunk(Batch b, int c, int chunks, float[] h0, float[] c0) {
        if (chunks == 1) return b;
        ModelInput in = b.input();
        if (in.lengths() != null) {
            throw new IllegalArgumentException("truncated BPTT needs batches without per-sequence lengths (every sequence "
                    + in.steps() + " steps); mask the targets instead");
        }
        int k = config.truncatedBptt(), t = in.steps(), n = in.batch();
        int from = c * k, to = Math.min(t, from + k), steps = to - from;
        float[] features = null;
        int[] tokens = null;
        if (in.features() != null) {
            int width = in.features().length / (t * n);
            features = Arrays.copyOfRange(in.features(), from * n * width, to * n * width);
        } else {
            tokens = Arrays.copyOfRange(in.tokens(), from * n, to * n);
        }
        if (c == 0) {
            h0 = in.h0();
            c0 = in.c0();
        }
        ModelInput input = new ModelInput(features, tokens, steps, n, null, h0, c0);
        Targets targets = b.targets();
        int rows = t * n;
        float[] values = null, mask = null;
        int[] classes = null;
        if (targets.values() != null) {
            if (targets.values().length % rows != 0) {
                throw new IllegalArgumentException("truncated BPTT needs a target row per step: " + targets.values().length
                        + " target values do not divide into " + rows + " rows");
            }
            int width = targets.values().length / rows;
            values = Arrays.copyOfRange(targets.values(), from * n * width, to * n * width);
        } else {
            if (targets.classes().length != rows) {
                throw new IllegalArgumentException("truncated BPTT needs a target row per step: " + targets.classes().length
                        + " classes for " + rows + " rows");
            }
            classes = Arrays.copyOfRange(targets.classes(), from * n, to * n);
        }
        if (targets.rowMask() != null) mask = Arrays.copyOfRange(targets.rowMask(), from * n, to * n);
        return new Batch(input, new Targets(values, classes, mask), b.exampleIds());
    }

    private void endEpoch(List<Batch> validation) {
        if (!validation.isEmpty()) {
            double loss = evaluate(validation);
            double minDelta = config.earlyStopping() == null ? 0 : config.earlyStopping().minDelta();
            boolean improved = bestStep < 0 ? !Double.isNaN(loss) : loss < bestLoss - minDelta;
            if (improved) {
                bestLoss = loss;
                bestStep = step;
                badValidations = 0;
                if (config.earlyStopping() != null && config.earlyStopping().restoreBest()) {
                    if (bestValues == null) bestValues = new float[parameters.size()][];
                    for (int i = 0; i < parameters.size(); i++) bestValues[i] = parameters.get(i).value().clone();
                }
            } else {
                badValidations++;
                if (config.earlyStopping() != null && badValidations >= config.earlyStopping().patience()) stoppedEarly = true;
            }
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
            int chunks = chunkCount(full);
            float[] h = null, c = null;
            for (int i = 0; i < chunks; i++) {
                Batch b = chunk(full, i, chunks, h, c);
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
        Map<String, float[]> tensors = new LinkedHashMap<>();
        if (bestValues != null) {
            for (int i = 0; i < named.size(); i++) tensors.put("best/" + named.get(i).name(), bestValues[i]);
        }
        if (carryH != null) tensors.put("carry/h", carryH);
        if (carryC != null) tensors.put("carry/c", carryC);
        TrainingProvenance provenance = TrainingProvenance.now("rnn4j Trainer checkpoint", hyperparameters(), config.seed(),
                dataFingerprint);
        TrainingCheckpoint.write(file, model, provenance, optimizer, config.toJson(), stateJson(), tensors);
        lastCheckpointStep = step;
        for (TrainingListener l : listeners) l.onCheckpoint(file, step);
    }

    private String stateJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state_version", STATE_VERSION);
        json.put("step", step);
        json.put("epoch", epoch);
        json.put("batch", batch);
        json.put("chunk", chunk);
        json.put("seed", config.seed());
        json.put("learning_rate", JsonFields.number(optimizer.learningRate()));
        json.put("last_loss", JsonFields.number(lastLoss));
        json.put("best_loss", JsonFields.number(bestLoss));
        json.put("best_step", bestStep);
        json.put("bad_validations", badValidations);
        json.put("stopped_early", stoppedEarly);
        json.put("has_best_parameters", bestValues != null);
        json.put("has_carry", carryH != null);
        if (plateau != null) {
            ReduceOnPlateau.State s = plateau.state();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("best", JsonFields.number(s.best()));
            p.put("bad_epochs", s.badEpochs());
            p.put("cooldown_remaining", s.cooldownRemaining());
            p.put("epochs", s.epochs());
            json.put("plateau", p);
        } else {
            json.put("plateau", null);
        }
        json.put("data_fingerprint", dataFingerprint);
        return Json.write(json);
    }

    /**
     * Continues the run a checkpoint recorded: copies its parameters into this trainer's model and restores the
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
        List<String> differ = config.differencesForResume(contents.trainConfig());
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(source + ": the checkpoint was made with other training settings " + differ
                    + ": it has " + contents.trainConfig() + ", this trainer " + config.toJson());
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(contents.trainingState());
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException(source + ": training_state is not a JSON object: " + e.getMessage(), e);
        }
        String where = source + ": training_state: ";
        JsonFields f = new JsonFields(json, where);
        long version = f.integer("state_version");
        if (version != STATE_VERSION) throw new IllegalArgumentException(where + "state_version " + version + " is not supported");
        long newStep = f.integer("step");
        int newEpoch = f.int32("epoch");
        long newBatch = f.integer("batch");
        int newChunk = f.int32("chunk");
        long seed = f.integer("seed");
        if (seed != config.seed()) throw new IllegalArgumentException(where + "seed " + seed + " differs from the config's " + config.seed());
        double rate = f.number("learning_rate");
        double newLastLoss = f.number("last_loss");
        double newBestLoss = f.number("best_loss");
        long newBestStep = f.integer("best_step");
        int newBad = f.int32("bad_validations");
        boolean newStopped = f.bool("stopped_early");
        boolean hasBest = f.bool("has_best_parameters");
        boolean hasCarry = f.bool("has_carry");
        Map<String, Object> plateauJson = f.objectOrNull("plateau");
        String fingerprint = f.stringOrNull("data_fingerprint");
        f.requireNoOthers();
        if ((plateauJson != null) != (plateau != null)) throw new IllegalArgumentException(where + "plateau state does not match the config");
        if (newStep < 0 || newEpoch < 0 || newBatch < 0 || newChunk < 0 || newBad < 0) {
            throw new IllegalArgumentException(where + "negative counter");
        }
        if (hasCarry != (newChunk > 0)) throw new IllegalArgumentException(where + "carried state and chunk " + newChunk + " disagree");

        Map<String, float[]> tensors = contents.tensors();
        float[][] best = null;
        if (hasBest) {
            best = new float[named.size()][];
            for (int i = 0; i < named.size(); i++) {
                float[] v = tensors.get("best/" + named.get(i).name());
                if (v == null || v.length != named.get(i).parameter().size()) {
                    throw new IllegalArgumentException(source + ": tensor 'training/best/" + named.get(i).name() + "' is missing or has the wrong size");
                }
                best[i] = v.clone();
            }
        }
        float[] h = null, c = null;
        if (hasCarry) {
            h = tensors.get("carry/h");
            c = tensors.get("carry/c");
            if (h == null) throw new IllegalArgumentException(source + ": tensor 'training/carry/h' is missing");
            if (model.spec().recurrent().cellType().hasCellState() && c == null) {
                throw new IllegalArgumentException(source + ": tensor 'training/carry/c' is missing");
            }
            h = h.clone();
            c = c == null ? null : c.clone();
        }
        ReduceOnPlateau.State plateauState = null;
        if (plateauJson != null) {
            JsonFields p = new JsonFields(plateauJson, where + "plateau: ");
            plateauState = new ReduceOnPlateau.State(p.number("best"), p.int32("bad_epochs"), p.int32("cooldown_remaining"), p.integer("epochs"));
            p.requireNoOthers();
        }

        // everything checked: apply
        List<NamedParameter> savedParameters = saved.namedParameters();
        for (int i = 0; i < named.size(); i++) named.get(i).parameter().set(savedParameters.get(i).parameter().value());
        contents.model().loadOptimizerInto(optimizer, model);
        optimizer.setLearningRate(rate);
        if (plateau != null) plateau.restore(plateauState);
        step = newStep;
        epoch = newEpoch;
        batch = newBatch;
        chunk = newChunk;
        carryH = h;
        carryC = c;
        lastLoss = newLastLoss;
        bestLoss = newBestLoss;
        bestStep = newBestStep;
        badValidations = newBad;
        bestValues = best;
        stoppedEarly = newStopped;
        dataFingerprint = fingerprint;
        lastCheckpointStep = step;
        currentBatch = null;
    }
}
