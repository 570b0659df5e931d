package dev.rnn4j.train;

import dev.rnn4j.io.Json;
import dev.rnn4j.loss.BinaryCrossEntropy;
import dev.rnn4j.loss.GaussianNegativeLogLikelihood;
import dev.rnn4j.loss.GradientScaled;
import dev.rnn4j.loss.Huber;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.MeanAbsoluteError;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.optim.CosineAnnealing;
import dev.rnn4j.optim.ExponentialDecay;
import dev.rnn4j.optim.LearningRateSchedule;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.optim.StepDecay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Trainer} trains: every setting of a run, as one value that is recorded in checkpoints and model
 * provenance ({@link #toJson()}) and read back ({@link #fromJson}). Build one with {@link #builder()}.
 *
 * @param optimizer            the optimizer and its hyperparameters (the initial learning rate is the base rate)
 * @param loss                 the training and validation loss
 * @param clipNorm             clip the gradients' global L2 norm to this ({@code clip_grad_norm_}), or null
 * @param clipValue            clamp every gradient element to ± this ({@code clip_grad_value_}), after the norm
 *                             clipping; or null
 * @param schedule             learning rate per epoch, {@code schedule.rate(base, epoch)} set before each step of
 *                             that epoch; or null. Not together with {@code plateau}
 * @param plateau              cut the learning rate when the validation loss plateaus (at each validation); or null
 * @param epochs               stop after this many epochs; 0 for no limit (then {@code maxSteps} must be set)
 * @param maxSteps             stop after this many training steps (optimizer updates); 0 for no limit
 * @param stepsPerEpoch        for an endless {@link BatchSource}: an epoch is this many steps (validation, plateau,
 *                             early stopping and the schedule's epoch all advance at each epoch's end: this is
 *                             "validate every N steps"); 0 makes the whole run epoch 0. Must be 0 with a
 *                             {@link Batcher}, whose epoch is one pass over the data
 * @param earlyStopping        stop when the validation loss stops improving; or null
 * @param checkpointDirectory  where checkpoints go ({@link dev.rnn4j.io.TrainingCheckpoint#FILE_NAME}, replaced
 *                             atomically each time); or null for none
 * @param checkpointEverySteps write a checkpoint after every this many steps, and at the end; 0 for only at the end
 * @param seed                 seed of everything random in training: the shuffle, regularisation masks
 * @param threads              kernel threads during training ({@link dev.rnn4j.tensor.Parallel#setThreads}); 0 to
 *                             leave the setting as it is
 * @param truncatedBptt        k, cut each batch into chunks of k steps (truncated backpropagation through time,
 *                             state carried across chunks, see {@link Trainer}); 0 for full BPTT
 * @param onNonFinite          what a NaN or infinite loss, gradient or parameter does: skip the step's update, or
 *                             stop the run (the default); see {@link NonFiniteAction}
 * @param averageDecay         0, or the decay in (0, 1) of an exponential moving average of the parameters
 *                             ({@link WeightAverage}): validation, early stopping's best model and the trained model
 *                             then use the averages
 */
public record TrainConfig(OptimizerSpec optimizer, Loss loss, Double clipNorm, Double clipValue, LearningRateSchedule schedule,
                          PlateauSettings plateau, int epochs, long maxSteps, long stepsPerEpoch, EarlyStopping earlyStopping,
                          Path checkpointDirectory, long checkpointEverySteps, long seed, int threads, int truncatedBptt,
                          NonFiniteAction onNonFinite, double averageDecay) {

    /** The version {@link #toJson()} writes and the newest {@link #fromJson} reads. */
    public static final int JSON_VERSION = 1;

    /**
     * Keys of {@link #toJson()} that may differ between a checkpoint and the config it is resumed with: they
     * change how long the run goes or where it writes, not the path of the weights. (With a different thread count
     * a resumed run is no longer guaranteed bitwise equal to an uninterrupted one.)
     */
    public static final Set<String> RESUMABLE_CHANGES = Set.of("epochs", "max_steps", "checkpoint_directory",
            "checkpoint_every_steps", "threads", "on_nonfinite");

    public TrainConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(onNonFinite, "onNonFinite");
        if (clipNorm != null && !(clipNorm > 0 && clipNorm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("clipNorm must be a finite number > 0 (or null for none), got " + clipNorm);
        }
        if (clipValue != null && !(clipValue > 0 && clipValue < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("clipValue must be a finite number > 0 (or null for none), got " + clipValue);
        }
        if (schedule != null && plateau != null) {
            throw new IllegalArgumentException("use a learning-rate schedule or ReduceOnPlateau, not both: both set the learning rate");
        }
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        if (epochs == 0 && maxSteps == 0) throw new IllegalArgumentException("set epochs or maxSteps (or both): training needs an end");
        if (stepsPerEpoch < 0) throw new IllegalArgumentException("stepsPerEpoch must be >= 0, got " + stepsPerEpoch);
        if (checkpointEverySteps < 0) throw new IllegalArgumentException("checkpointEverySteps must be >= 0, got " + checkpointEverySteps);
        if (checkpointEverySteps > 0 && checkpointDirectory == null) {
            throw new IllegalArgumentException("checkpointEverySteps needs a checkpointDirectory");
        }
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0: leave as is), got " + threads);
        if (truncatedBptt < 0) throw new IllegalArgumentException("truncatedBptt must be >= 0 (0: full BPTT), got " + truncatedBptt);
        if (!(averageDecay >= 0 && averageDecay < 1)) throw new IllegalArgumentException("averageDecay must be in [0, 1) (0: off), got " + averageDecay);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.optimizer = optimizer;
        b.loss = loss;
        b.clipNorm = clipNorm;
        b.clipValue = clipValue;
        b.schedule = schedule;
        b.plateau = plateau;
        b.epochs = epochs;
        b.maxSteps = maxSteps;
        b.stepsPerEpoch = stepsPerEpoch;
        b.earlyStopping = earlyStopping;
        b.checkpointDirectory = checkpointDirectory;
        b.checkpointEverySteps = checkpointEverySteps;
        b.seed = seed;
        b.threads = threads;
        b.truncatedBptt = truncatedBptt;
        b.onNonFinite = onNonFinite;
        b.averageDecay = averageDecay;
        return b;
    }

    /**
     * This config as one JSON object, e.g. {@code {"config_version":1,"optimizer":{"type":"Adam","learning_rate":0.001,
     * ...},"loss":{"type":"SoftmaxCrossEntropy"},"clip_norm":1,"clip_value":null,"schedule":null,"plateau":null,
     * "epochs":10,"max_steps":0,"steps_per_epoch":0,"early_stopping":{"patience":3,"min_delta":0,"restore_best":true},
     * "checkpoint_directory":"runs/a","checkpoint_every_steps":100,"seed":42,"threads":1,"truncated_bptt":0,"on_nonfinite":"stop"}}. A custom
     * optimizer, loss or schedule is written as {@code {"type":"custom","description":...}}.
     */
    public String toJson() {
        return Json.write(toJsonMap());
    }

    Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("config_version", JSON_VERSION);
        json.put("optimizer", optimizer.toJson());
        json.put("loss", lossJson(loss));
        json.put("clip_norm", clipNorm);
        json.put("clip_value", clipValue);
        json.put("schedule", schedule == null ? null : scheduleJson(schedule));
        json.put("plateau", plateau == null ? null : plateau.toJson());
        json.put("epochs", epochs);
        json.put("max_steps", maxSteps);
        json.put("steps_per_epoch", stepsPerEpoch);
        json.put("early_stopping", earlyStopping == null ? null : earlyStopping.toJson());
        json.put("checkpoint_directory", checkpointDirectory == null ? null : checkpointDirectory.toString());
        json.put("checkpoint_every_steps", checkpointEverySteps);
        json.put("seed", seed);
        json.put("threads", threads);
        json.put("truncated_bptt", truncatedBptt);
        json.put("on_nonfinite", onNonFinite.name().toLowerCase(java.util.Locale.ROOT));
        if (averageDecay > 0) json.put("average_decay", averageDecay); // absent: off, as in configs from before it existed
        return json;
    }

    /**
     * Reads {@link #toJson()}'s output: {@code fromJson(c.toJson()).toJson().equals(c.toJson())}.
     *
     * @throws IllegalArgumentException naming the key at fault, for malformed JSON, unknown or missing keys, wrong
     *                                  types, a newer {@code config_version}, or a custom optimizer, loss or schedule
     *                                  (which JSON cannot rebuild: pass the TrainConfig itself)
     */
    public static TrainConfig fromJson(String text) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("train config: not a valid JSON object: " + e.getMessage(), e);
        }
        String where = "train config: ";
        JsonFields f = new JsonFields(json, where);
        long version = f.integer("config_version");
        if (version < 1 || version > JSON_VERSION) {
            throw new IllegalArgumentException(where + "config_version " + version + " is not supported; this rnn4j reads 1.." + JSON_VERSION);
        }
        Builder b = builder();
        b.optimizer(OptimizerSpec.fromJson(f.object("optimizer"), where + "optimizer: "));
        b.loss(lossFromJson(f.object("loss"), where + "loss: "));
        b.clipNorm = f.numberOrNull("clip_norm");
        b.clipValue = f.numberOrNull("clip_value");
        Map<String, Object> schedule = f.objectOrNull("schedule");
        b.schedule = schedule == null ? null : scheduleFromJson(schedule, where + "schedule: ");
        Map<String, Object> plateau = f.objectOrNull("plateau");
        b.plateau = plateau == null ? null : PlateauSettings.fromJson(plateau, where + "plateau: ");
        b.epochs = f.int32("epochs");
        b.maxSteps = f.integer("max_steps");
        b.stepsPerEpoch = f.integer("steps_per_epoch");
        Map<String, Object> early = f.objectOrNull("early_stopping");
        b.earlyStopping = early == null ? null : EarlyStopping.fromJson(early, where + "early_stopping: ");
        String dir = f.stringOrNull("checkpoint_directory");
        b.checkpointDirectory = dir == null ? null : Path.of(dir);
        b.checkpointEverySteps = f.integer("checkpoint_every_steps");
        b.seed = f.integer("seed");
        b.threads = f.int32("threads");
        b.truncatedBptt = f.int32("truncated_bptt");
        if (f.has("average_decay")) b.averageDecay = f.number("average_decay");
        if (f.has("on_nonfinite")) { // configs from before it was recorded stopped
            String action = f.string("on_nonfinite");
            try {
                b.onNonFinite = NonFiniteAction.valueOf(action.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "'on_nonfinite' must be \"skip\" or \"stop\", got \"" + action + "\"", e);
            }
        }
        f.requireNoOthers();
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /**
     * The keys whose values differ between this config's JSON and {@code otherJson}, leaving out
     * {@link #RESUMABLE_CHANGES}; empty when a checkpoint written under {@code otherJson} may be resumed with this.
     */
    public List<String> differencesForResume(String otherJson) {
        Map<String, Object> mine = Json.parseObject(toJson());
        Map<String, Object> theirs = Json.parseObject(otherJson);
        List<String> differ = new ArrayList<>();
        for (String key : mine.keySet()) {
            if (RESUMABLE_CHANGES.contains(key)) continue;
            if (!theirs.containsKey(key) || !Json.write(mine.get(key)).equals(Json.write(theirs.get(key)))) differ.add(key);
        }
        for (String key : theirs.keySet()) {
            if (!mine.containsKey(key) && !RESUMABLE_CHANGES.contains(key)) differ.add(key);
        }
        return differ;
    }

    static Map<String, Object> lossJson(Loss loss) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (loss) {
            case MeanSquaredError l -> json.put("type", "MeanSquaredError");
            case MeanAbsoluteError l -> json.put("type", "MeanAbsoluteError");
            case BinaryCrossEntropy l -> json.put("type", "BinaryCrossEntropy");
            case SoftmaxCrossEntropy l -> {
                json.put("type", "SoftmaxCrossEntropy");
                if (l.classWeights() != null) {
                    List<Object> weights = new ArrayList<>();
                    for (float w : l.classWeights()) weights.add((double) w);
                    json.put("class_weights", weights);
                }
            }
            case GaussianNegativeLogLikelihood l -> json.put("type", "GaussianNegativeLogLikelihood");
            case Huber h -> {
                json.put("type", "Huber");
                json.put("delta", h.delta());
            }
            case GradientScaled l -> {
                json.put("type", "GradientScaled");
                json.put("scale", l.scale());
                json.put("loss", lossJson(l.loss()));
            }
            default -> {
                json.put("type", "custom");
                json.put("description", loss.toString());
            }
        }
        return json;
    }

    static Loss lossFromJson(Map<String, Object> json, String where) {
        return JsonFields.typed(json, where, "loss", (type, f) -> switch (type) {
            case "MeanSquaredError" -> new MeanSquaredError();
            case "MeanAbsoluteError" -> new MeanAbsoluteError();
            case "BinaryCrossEntropy" -> new BinaryCrossEntropy();
            case "SoftmaxCrossEntropy" -> {
                List<Object> weights = f.listOrNull("class_weights");
                if (weights == null) yield new SoftmaxCrossEntropy();
                float[] w = new float[weights.size()];
                for (int i = 0; i < w.length; i++) {
                    if (!(weights.get(i) instanceof Number n)) throw new IllegalArgumentException(where + "class_weights must be numbers");
                    w[i] = n.floatValue();
                }
                yield new SoftmaxCrossEntropy(w);
            }
            case "GaussianNegativeLogLikelihood" -> new GaussianNegativeLogLikelihood();
            case "Huber" -> new Huber(f.number("delta"));
            case "GradientScaled" -> new GradientScaled(lossFromJson(f.object("loss"), where + "loss."), f.number("scale"));
            default -> null;
        });
    }

    static Map<String, Object> scheduleJson(LearningRateSchedule schedule) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (schedule) {
            case StepDecay s -> {
                json.put("type", "StepDecay");
                json.put("epochs_per_step", s.epochsPerStep());
                json.put("factor", s.factor());
            }
            case ExponentialDecay s -> {
                json.put("type", "ExponentialDecay");
                json.put("factor", s.factor());
                if (s.constantEpochs() > 1) json.put("constant_epochs", s.constantEpochs());
            }
            case CosineAnnealing s -> {
                json.put("type", "CosineAnnealing");
                json.put("epochs_to_minimum", s.epochsToMinimum());
                json.put("minimum_rate", s.minimumRate());
            }
            default -> {
                json.put("type", "custom");
                json.put("description", schedule.toString());
            }
        }
        return json;
    }

    static LearningRateSchedule scheduleFromJson(Map<String, Object> json, String where) {
        return JsonFields.typed(json, where, "schedule", (type, f) -> switch (type) {
            case "StepDecay" -> new StepDecay(f.int32("epochs_per_step"), f.number("factor"));
            case "ExponentialDecay" -> new ExponentialDecay(f.number("factor"), f.int32OrDefault("constant_epochs", 1));
            case "CosineAnnealing" -> new CosineAnnealing(f.int32("epochs_to_minimum"), f.number("minimum_rate"));
            default -> null;
        });
    }

    /**
     * Settings of a {@link TrainConfig}. Required: {@link #optimizer}, {@link #loss}, and {@link #epochs} or
     * {@link #maxSteps}. Everything else is off by default; seed 0; threads left as they are.
     */
    public static final class Builder {
        private OptimizerSpec optimizer;
        private Loss loss;
        private Double clipNorm;
        private Double clipValue;
        private LearningRateSchedule schedule;
        private PlateauSettings plateau;
        private int epochs;
        private long maxSteps;
        private long stepsPerEpoch;
        private EarlyStopping earlyStopping;
        private Path checkpointDirectory;
        private long checkpointEverySteps;
        private long seed;
        private int threads;
        private int truncatedBptt;
        private NonFiniteAction onNonFinite = NonFiniteAction.STOP;
        private double averageDecay;

        private Builder() {}

        public Builder optimizer(OptimizerSpec optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * This optimizer instance, used as it is (with whatever state it has) by the one trainer built from this
         * config; recorded as its {@code toString()}. Prefer an {@link OptimizerSpec}, which checkpoints can rebuild.
         */
        public Builder optimizer(Optimizer optimizer) {
            Objects.requireNonNull(optimizer, "optimizer");
            this.optimizer = OptimizerSpec.custom(optimizer.toString(), () -> optimizer);
            return this;
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /** Clip the global gradient norm to this. */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /** Clamp every gradient element to ± this. */
        public Builder clipValue(double clip) {
            this.clipValue = clip;
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder plateau(PlateauSettings plateau) {
            this.plateau = plateau;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder maxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** For endless sources: steps per epoch, i.e. validate (and step the schedule) every this many steps. */
        public Builder stepsPerEpoch(long steps) {
            this.stepsPerEpoch = steps;
            return this;
        }

        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** Checkpoints into {@code directory} every {@code everySteps} steps (0: only at the end). */
        public Builder checkpoints(Path directory, long everySteps) {
            this.checkpointDirectory = directory;
            this.checkpointEverySteps = everySteps;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Truncated BPTT over chunks of {@code k} steps. */
        public Builder truncatedBptt(int k) {
            this.truncatedBptt = k;
            return this;
        }

        /** What a NaN or infinity in a step does (default {@link NonFiniteAction#STOP}). */
        public Builder onNonFinite(NonFiniteAction action) {
            this.onNonFinite = action;
            return this;
        }

        /** Validate and keep an exponential moving average of the parameters with this decay (0: off); see {@link WeightAverage}. */
        public Builder averageWeights(double decay) {
            this.averageDecay = decay;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException naming the setting at fault */
        public TrainConfig build() {
            return new TrainConfig(optimizer, loss, clipNorm, clipValue, schedule, plateau, epochs, maxSteps, stepsPerEpoch,
                    earlyStopping, checkpointDirectory, checkpointEverySteps, seed, threads, truncatedBptt, onNonFinite, averageDecay);
        }
    }
}
