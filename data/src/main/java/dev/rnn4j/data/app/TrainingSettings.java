package dev.rnn4j.data.app;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.NonFiniteAction;
import dev.rnn4j.train.OptimizerSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings every task's training shares: the recurrent network's shape and the optimisation. Each task
 * starts from its own defaults ({@code Forecaster.defaultTraining()} etc.) and the user overrides what they name; whatever
 * was chosen is printed and recorded ({@link #toJson()}).
 *
 * @param cell          LSTM, GRU or simple RNN
 * @param hiddenSize    H, units per layer and direction
 * @param layers        stacked layers
 * @param dropout       dropout between stacked layers and variational dropout on the recurrent state, in [0, 1)
 * @param epochs        the most passes over the training examples
 * @param patience      epochs without a better validation loss before training stops (the best model is kept)
 * @param batchSize     examples per step
 * @param optimizer     Adam or plain SGD
 * @param learningRate  the optimizer's step size
 * @param clipNorm      the gradient's global norm is clipped to this
 * @param seed          seed of the initial weights, the shuffling and the dropout masks
 * @param threads       threads for the kernels
 * @param onNonFinite   what a NaN or infinity in a training step does: skip its update, or stop (the default)
 * @param ema           0, or the decay of an exponential moving average of the weights that is validated and kept
 *                      ({@link dev.rnn4j.train.TrainConfig#averageDecay()}), in [0, 1)
 */
public record TrainingSettings(CellType cell, int hiddenSize, int layers, double dropout, int epochs, int patience, int batchSize,
                               Optimizer optimizer, double learningRate, double clipNorm, long seed, int threads,
                               NonFiniteAction onNonFinite, double ema) {

    /** How the gradient moves the weights. */
    public enum Optimizer {
        /** Adam (Kingma &amp; Ba), PyTorch's defaults besides the rate: the tasks' default. */
        ADAM,
        /** Plain SGD, no momentum: Zaremba et al.'s language models. */
        SGD;

        public OptimizerSpec spec(double learningRate) {
            return this == ADAM ? OptimizerSpec.adam(learningRate) : OptimizerSpec.sgd(learningRate);
        }
    }

    public TrainingSettings {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(onNonFinite, "onNonFinite");
        check(hiddenSize >= 1 && hiddenSize <= 65_536, "hidden size must be in 1..65536, got " + hiddenSize);
        check(layers >= 1 && layers <= 64, "layers must be in 1..64, got " + layers);
        check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        check(epochs >= 1, "epochs must be at least 1, got " + epochs);
        check(patience >= 1, "patience must be at least 1 epoch, got " + patience);
        check(batchSize >= 1 && batchSize <= 1_000_000, "batch size must be in 1..1000000, got " + batchSize);
        check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        check(clipNorm > 0 && Double.isFinite(clipNorm), "gradient clipping norm must be positive, got " + clipNorm);
        check(threads >= 1 && threads <= 1024, "threads must be in 1..1024, got " + threads);
        check(ema >= 0 && ema < 1, "the weights' moving-average decay (ema) must be in [0, 1), got " + ema);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** The machine's cores, at most 2: beyond that, the small batches of these tasks gain little. */
    public static int defaultThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A model builder with this recurrent network: Xavier/orthogonal initial weights, an LSTM's forget-gate bias at 1
     * (remember by default), dropout between layers and on the recurrent state; the task adds its input and head.
     */
    public SequenceModel.Builder modelBuilder() {
        SequenceModel.Builder b = SequenceModel.builder().cell(cell).hiddenSize(hiddenSize).layers(layers)
                .initialization(Initialization.XAVIER_ORTHOGONAL).seed(seed);
        if (cell == CellType.LSTM) b.forgetBias(1f);
        if (dropout > 0) b.regularization(regularization());
        return b;
    }

    /** The dropout between layers and on the recurrent state that {@link #modelBuilder()} sets ({@link Regularization#NONE} at 0). */
    public Regularization regularization() {
        if (dropout == 0) return Regularization.NONE;
        return Regularization.builder().layerDropout(layers > 1 ? dropout : 0).recurrentDropout(dropout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().cell(cell).hiddenSize(hiddenSize).layers(layers).dropout(dropout).epochs(epochs).patience(patience)
                .batchSize(batchSize).optimizer(optimizer).learningRate(learningRate).clipNorm(clipNorm).seed(seed).threads(threads)
                .onNonFinite(onNonFinite).ema(ema);
    }

    /** Every setting under its command-line name, for the metrics file and the bundle's provenance. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cell", cell.name().toLowerCase(java.util.Locale.ROOT));
        json.put("hidden", hiddenSize);
        json.put("layers", layers);
        json.put("dropout", dropout);
        json.put("epochs", epochs);
        json.put("patience", patience);
        json.put("batch", batchSize);
        json.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
        json.put("learning_rate", learningRate);
        json.put("clip_norm", clipNorm);
        json.put("seed", seed);
        json.put("threads", threads);
        json.put("on_nonfinite", onNonFinite.name().toLowerCase(java.util.Locale.ROOT));
        json.put("ema", ema);
        return json;
    }

    /** Starts from LSTM 64 x 1, no dropout, 100 epochs with patience 10, batch 32, Adam 3e-3, clip 1, seed 1. */
    public static final class Builder {
        private CellType cell = CellType.LSTM;
        private int hiddenSize = 64;
        private int layers = 1;
        private double dropout;
        private int epochs = 100;
        private int patience = 10;
        private int batchSize = 32;
        private Optimizer optimizer = Optimizer.ADAM;
        private double learningRate = 3e-3;
        private double clipNorm = 1.0;
        private long seed = 1;
        private int threads = defaultThreads();
        private NonFiniteAction onNonFinite = NonFiniteAction.STOP;
        private double ema;

        public Builder cell(CellType v) {
            cell = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder clipNorm(double v) {
            clipNorm = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder onNonFinite(NonFiniteAction v) {
            onNonFinite = v;
            return this;
        }

        /** Validate and keep an exponential moving average of the weights with this decay (0: off). */
        public Builder ema(double decay) {
            ema = decay;
            return this;
        }

        public TrainingSettings build() {
            return new TrainingSettings(cell, hiddenSize, layers, dropout, epochs, patience, batchSize, optimizer, learningRate, clipNorm, seed,
                    threads, onNonFinite, ema);
        }
    }
}
