package dev.rnn4j.layer;

/**
 * Regularisation of a recurrent network: dropout, zoneout, layer and batch normalisation. Immutable; build one with
 * {@link #builder()} and give it to a network builder ({@code Lstm.builder()...regularization(r)}) or to
 * {@link Recurrent#setRegularization}. {@link #NONE} (the default) turns everything off, and a network without
 * regularisation computes exactly what it computed before these options existed.
 *
 * <p>Dropout and zoneout act only in training mode ({@link Recurrent#setTraining}); inference, the default, is
 * deterministic. Masks are drawn from the network's mask source ({@link Recurrent#setMaskSeed}).
 * <ul>
 *   <li>{@link #inputDropout}: inverted dropout on the network's input [T, B, I], a fresh Bernoulli mask per
 *       element (as {@code nn.Dropout} applied to the input); kept values are scaled by 1 / (1 - p). Off at
 *       inference.</li>
 *   <li>{@link #layerDropout}: the same on the output of every layer except the last, where it feeds the next
 *       layer: PyTorch's {@code dropout} argument of {@code nn.LSTM / nn.GRU / nn.RNN}. Off at inference.</li>
 *   <li>{@link #recurrentDropout}: variational dropout of the recurrent state (Gal &amp; Ghahramani 2016): one
 *       mask per sequence and hidden unit, the same at every step, separate per layer and direction, multiplies
 *       h_{t-1} wherever it enters W_hh (for the reset-before GRU, W_hn (r ⊙ m ⊙ h)); the other uses of h_{t-1}
 *       (the GRU's z ⊙ h) see the state itself. Scaled by 1 / (1 - p). Off at inference.</li>
 *   <li>{@link #zoneoutHidden}, {@link #zoneoutCell}: zoneout (Krueger et al. 2017). In training each unit keeps
 *       its previous value with probability p, a fresh mask per step: h_t = m ⊙ h_{t-1} + (1 - m) ⊙ h̃_t; at
 *       inference the expectation h_t = p h_{t-1} + (1 - p) h̃_t, so zoneout changes the model's function and
 *       is part of its {@link RecurrentConfig}. For the LSTM, c and h have their own probability, with
 *       h̃_t = o ⊙ tanh(c̃_t) computed from the cell's new value c̃_t before c is zoned out (as in the paper);
 *       for the GRU only {@link #zoneoutHidden} applies. Not for the simple RNN.</li>
 *   <li>{@link #layerNorm}: layer normalisation inside the cell (Ba et al. 2016), LSTM and GRU only; adds the
 *       parameters {@code ln_*}. See {@link dev.rnn4j.cell.LstmCell} and {@link dev.rnn4j.cell.GruCell}.</li>
 *   <li>{@link #batchNormSteps}: batch normalisation inside the LSTM (BN-LSTM, Cooijmans et al. 2016), with
 *       population statistics for the first {@code batchNormSteps} time steps (T_max; later steps share the last).
 *       LSTM only, and not together with layer normalisation. It adds the parameters {@code bn_*_weight} (gains,
 *       starting at 0.1) and {@code bn_c_bias}, and the buffers {@code bn_*_running_mean}, {@code bn_*_running_var}
 *       that training updates and inference reads ({@link Recurrent#buffers()}). Unlike the other options it acts in
 *       both modes: training normalises with the batch's statistics, inference with the population's. The equations,
 *       the statistics (over the valid rows of each step only) and their update: {@link Recurrent}.</li>
 *   <li>{@link #wordDropout}: inverted dropout of whole steps of the network's input: one Bernoulli draw per
 *       (sequence, step) zeroes all I values of that step, so a model reading embedded words loses the whole word
 *       (Iyyer et al. 2015's word dropout, on the embedding); kept steps are scaled by 1 / (1 - p). It multiplies
 *       {@link #inputDropout}'s mask when both are on. Off at inference.</li>
 * </ul>
 * Probabilities are in [0, 1); kernels use the nearest float.
 *
 * @param inputDropout     probability of zeroing each input value in training
 * @param layerDropout     probability of zeroing each value passed from one layer to the next in training
 * @param recurrentDropout probability of zeroing each unit of h_{t-1} before W_hh, per sequence, in training
 * @param zoneoutHidden    probability that a unit of h keeps its previous value (LSTM, GRU)
 * @param zoneoutCell      probability that a unit of c keeps its previous value (LSTM)
 * @param layerNorm        layer normalisation of the LSTM's or GRU's pre-activations (and the LSTM's cell)
 * @param batchNormSteps   T_max of the LSTM's batch normalisation (population statistics for steps 0..T_max-1), or 0
 *                         for none
 * @param wordDropout      probability of zeroing a whole step of the input of a sequence in training
 */
public record Regularization(double inputDropout, double layerDropout, double recurrentDropout, double zoneoutHidden,
                             double zoneoutCell, boolean layerNorm, int batchNormSteps, double wordDropout) {

    /** No regularisation at all. */
    public static final Regularization NONE = new Regularization(0, 0, 0, 0, 0, false, 0, 0);
    /** The most time steps of batch normalisation's population statistics. */
    public static final int MAX_BATCH_NORM_STEPS = 100_000;

    public Regularization {
        check("inputDropout", inputDropout);
        check("layerDropout", layerDropout);
        check("recurrentDropout", recurrentDropout);
        check("zoneoutHidden", zoneoutHidden);
        check("zoneoutCell", zoneoutCell);
        check("wordDropout", wordDropout);
        if (batchNormSteps < 0 || batchNormSteps > MAX_BATCH_NORM_STEPS) {
            throw new IllegalArgumentException("batch normalisation needs 1.." + MAX_BATCH_NORM_STEPS + " steps of statistics (0: off), got "
                    + batchNormSteps);
        }
        if (layerNorm && batchNormSteps > 0) {
            throw new IllegalArgumentException("layer normalisation and batch normalisation do not go together: choose one");
        }
        // -0.0 is 0: records compare doubles by their bits
        inputDropout += 0.0;
        layerDropout += 0.0;
        recurrentDropout += 0.0;
        zoneoutHidden += 0.0;
        zoneoutCell += 0.0;
        wordDropout += 0.0;
    }

    /** Without batch normalisation and word dropout. */
    public Regularization(double inputDropout, double layerDropout, double recurrentDropout, double zoneoutHidden, double zoneoutCell,
                          boolean layerNorm) {
        this(inputDropout, layerDropout, recurrentDropout, zoneoutHidden, zoneoutCell, layerNorm, 0, 0);
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().inputDropout(inputDropout).layerDropout(layerDropout).recurrentDropout(recurrentDropout)
                .zoneoutHidden(zoneoutHidden).zoneoutCell(zoneoutCell).layerNorm(layerNorm).batchNorm(batchNormSteps)
                .wordDropout(wordDropout);
    }

    /** True when nothing is on. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** True when some dropout probability is positive. */
    public boolean hasDropout() {
        return inputDropout > 0 || layerDropout > 0 || recurrentDropout > 0 || wordDropout > 0;
    }

    /** True when the LSTM is batch-normalised ({@link #batchNormSteps} &gt; 0). */
    public boolean batchNorm() {
        return batchNormSteps > 0;
    }

    /** True when a zoneout probability is positive. */
    public boolean hasZoneout() {
        return zoneoutHidden > 0 || zoneoutCell > 0;
    }

    /**
     * The settings that change what the network computes at inference (layer and batch normalisation, zoneout), with
     * the dropouts, which act only in training, set to 0.
     */
    public Regularization inferenceRelevant() {
        return new Regularization(0, 0, 0, zoneoutHidden, zoneoutCell, layerNorm, batchNormSteps, 0);
    }

    /** Builds a {@link Regularization}; everything starts off. */
    public static final class Builder {
        private double inputDropout;
        private double layerDropout;
        private double recurrentDropout;
        private double zoneoutHidden;
        private double zoneoutCell;
        private boolean layerNorm;
        private int batchNormSteps;
        private double wordDropout;

        private Builder() {}

        public Builder inputDropout(double p) {
            this.inputDropout = p;
            return this;
        }

        public Builder layerDropout(double p) {
            this.layerDropout = p;
            return this;
        }

        public Builder recurrentDropout(double p) {
            this.recurrentDropout = p;
            return this;
        }

        public Builder zoneoutHidden(double p) {
            this.zoneoutHidden = p;
            return this;
        }

        public Builder zoneoutCell(double p) {
            this.zoneoutCell = p;
            return this;
        }

        public Builder layerNorm(boolean on) {
            this.layerNorm = on;
            return this;
        }

        /**
         * Batch normalisation of the LSTM with population statistics for {@code maxSteps} (T_max) time steps; steps
         * from T_max on use those of step T_max - 1. 0 turns it off.
         */
        public Builder batchNorm(int maxSteps) {
            this.batchNormSteps = maxSteps;
            return this;
        }

        public Builder wordDropout(double p) {
            this.wordDropout = p;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a probability is outside [0, 1), the batch-normalisation steps outside
         *                                  0..{@value #MAX_BATCH_NORM_STEPS}, or both normalisations are on
         */
        public Regularization build() {
            return new Regularization(inputDropout, layerDropout, recurrentDropout, zoneoutHidden, zoneoutCell, layerNorm, batchNormSteps,
                    wordDropout);
        }
    }
}
