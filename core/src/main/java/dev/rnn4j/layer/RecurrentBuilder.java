package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.tensor.Parameter;

import java.util.SplittableRandom;

/**
 * The settings shared by {@link Lstm}, {@link Gru} and {@link SimpleRnn} builders. Parameters start as
 * PyTorch's do: every weight and bias uniform in [-1/sqrt(H), 1/sqrt(H)], drawn from {@link #seed(long)}.
 * Layer normalisation's gains start at 1 and its biases at 0 (as {@code torch.nn.LayerNorm}), batch normalisation's
 * gains at 0.1 and its shift at 0; they draw nothing, so the other parameters are the same with and without them.
 */
public abstract class RecurrentBuilder<B extends RecurrentBuilder<B>> {
    /** The seed used when none is set, so that two default builds are equal. */
    public static final long DEFAULT_SEED = 12345L;

    private final CellType cellType;
    private int inputSize = -1;
    private int hiddenSize = -1;
    private int layers = 1;
    private boolean bidirectional;
    private boolean bias = true;
    private long seed = DEFAULT_SEED;
    private Regularization regularization = Regularization.NONE;
    private Long maskSeed;

    RecurrentBuilder(CellType cellType) {
        this.cellType = cellType;
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** I, features per input step (required). */
    public B inputSize(int inputSize) {
        this.inputSize = inputSize;
        return self();
    }

    /** H, units per direction (required). */
    public B hiddenSize(int hiddenSize) {
        this.hiddenSize = hiddenSize;
        return self();
    }

    /** Stacked layers (default 1). */
    public B layers(int layers) {
        this.layers = layers;
        return self();
    }

    /** A reverse direction per layer, outputs concatenated (default false). */
    public B bidirectional(boolean bidirectional) {
        this.bidirectional = bidirectional;
        return self();
    }

    /** Whether the biases b_ih and b_hh exist (default true). */
    public B bias(boolean bias) {
        this.bias = bias;
        return self();
    }

    /** Seed of the initial weights (default {@link #DEFAULT_SEED}). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Dropout, zoneout and layer normalisation (default {@link Regularization#NONE}). */
    public B regularization(Regularization regularization) {
        this.regularization = regularization == null ? Regularization.NONE : regularization;
        return self();
    }

    /** Seed of the dropout and zoneout masks (default {@link Recurrent#DEFAULT_MASK_SEED}); see {@link Recurrent#setMaskSeed}. */
    public B maskSeed(long maskSeed) {
        this.maskSeed = maskSeed;
        return self();
    }

    Nonlinearity nonlinearity() {
        return Nonlinearity.TANH;
    }

    GruVariant gruVariant() {
        return GruVariant.RESET_AFTER;
    }

    /** Cell-specific adjustments after the uniform initialisation (the LSTM's forget bias). */
    void adjustInitialParameters(Recurrent network) {}

    public Recurrent build() {
        if (inputSize < 1) throw new IllegalStateException("inputSize must be set to at least 1");
        if (hiddenSize < 1) throw new IllegalStateException("hiddenSize must be set to at least 1");
        Recurrent network = new Recurrent(new RecurrentConfig(cellType, inputSize, hiddenSize, layers, bidirectional, bias,
                nonlinearity(), gruVariant(), regularization));
        SplittableRandom random = new SplittableRandom(seed);
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        for (Parameter p : network.parameters()) {
            if (Recurrent.isNormalizationParameter(p.name())) continue; // their fixed initial values, from the constructor
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-bound, bound);
        }
        adjustInitialParameters(network);
        if (maskSeed != null) network.setMaskSeed(maskSeed);
        return network;
    }
}
