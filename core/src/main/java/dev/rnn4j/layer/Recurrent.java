package dev.rnn4j.layer;

import dev.rnn4j.cell.Cell;
import dev.rnn4j.cell.DropoutMasks;
import dev.rnn4j.cell.Normalization;
import dev.rnn4j.cell.Recurrence;
import dev.rnn4j.cell.RecurrenceObserver;
import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.tensor.VectorMath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A stacked, optionally bidirectional recurrent network over any cell: PyTorch's {@code nn.LSTM},
 * {@code nn.GRU} and {@code nn.RNN}, with the same parameters, names, shapes and results.
 *
 * <p>Build one with {@link Lstm#builder()}, {@link Gru#builder()} or {@link SimpleRnn#builder()}.
 * Call order: {@link #forward} then, for training, {@link #backward} once with the gradients of the loss
 * with respect to that forward pass's outputs. Parameter gradients accumulate until {@link #zeroGrad()}.
 *
 * <p>Regularisation ({@link Regularization}: dropout, zoneout, layer normalisation) is part of the configuration;
 * set it with the builders' {@code regularization(...)} or {@link #setRegularization}. A network is in inference
 * mode until {@link #setTraining setTraining(true)}: dropout then acts, and zoneout draws its masks, on every
 * forward pass until {@code setTraining(false)}; {@link #backward} follows whatever its forward pass did. Each
 * forward pass in training mode takes one {@code nextLong()} from the mask source ({@link #setMaskSeed},
 * {@link #setMaskRandom}) and draws all its masks from that value ({@link DropoutMasks}) in a fixed layout, so the
 * same seed gives the same masks, bit for bit, whatever the thread count; and forward passes that start from the
 * same seed draw the same masks (this is how a gradient check holds them fixed). Within a pass each sequence's
 * masks are keyed by its id ({@link #setMaskRows}), so they do not depend on its position in the batch: the same
 * seed and ids give the same masks however the sequences are split into batches (as a distributed step does).
 *
 * <p><b>Batch normalisation</b> ({@link Regularization#batchNormSteps}, LSTM only; Cooijmans et al. 2016, "Recurrent
 * Batch Normalization"): every direction normalises W_ih x and W_hh h apart, and the cell before its output tanh,
 * <pre>
 *   gates = BN(W_hh h_{t-1}; γ_hh, 0) + BN(W_ih x_t; γ_ih, 0) + b_ih + b_hh,   h_t = o ⊙ tanh(BN(c_t; γ_c, β_c))
 *   BN(x; γ, β) = γ ⊙ (x - μ_t) / sqrt(σ²_t + 1e-5) + β        (per unit, over the batch)
 * </pre>
 * with the gains γ starting at 0.1 and β_c at 0. In training mode μ_t and σ²_t are step t's batch mean and (biased)
 * variance, over the sequences that have step t only: rows past a sequence's length never count. Each forward pass in
 * training mode also moves the population statistics, {@link #buffers()} {@code bn_*_running_mean} and
 * {@code bn_*_running_var} [T_max, ...], towards them: row min(t, T_max - 1) becomes {@code 0.9 running + 0.1 batch}
 * (PyTorch's momentum; the variance unbiased), so steps past T_max - 1 share the last row; a step with fewer than two
 * valid rows leaves them as they are. Inference mode (evaluating, predicting, generating) normalises step t with row
 * min(t, T_max - 1) of the population statistics, so its results do not depend on the batch. Step t counts from the
 * first step of the forward pass, in both directions: truncated BPTT's chunks each start at 0, and
 * {@link RecurrentStream} counts the steps since it started or was reset. The buffers start at mean 0, variance 1
 * and are saved and loaded with the parameters.
 */
public final class Recurrent {
    /** The seed of the mask source of a new network, until {@link #setMaskSeed} or {@link #setMaskRandom}. */
    public static final long DEFAULT_MASK_SEED = 0x5EED_0F_D20F_0A75L;
    /** Mask streams of a pass: the input, the input of layer l (stream l), and each (layer, direction). */
    private static final long STREAM_INPUT = 0, STREAM_WORDS = (1L << 32) - 1, STREAM_DIRECTIONS = 1L << 32;

    private RecurrentConfig config;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Recurrence[][] directions; // [L][D]

    // Buffers of the last forward and backward pass, grown on demand and reused.
    private int steps;
    private int batch;
    private boolean hasForward;
    private float[][] layerOutputs = new float[0][]; // [L][T, B, D*H]
    private float[] hN = new float[0];               // [L*D, B, H]
    private float[] cN = new float[0];               // [L*D, B, H] LSTM
    private float[][] layerInputGrads = new float[0][]; // [L][T, B, I_l]: dL/d input of layer l
    private float[] dH0 = new float[0];              // [L*D, B, H]
    private float[] dC0 = new float[0];              // [L*D, B, H] LSTM
    private float[] paddedInput = new float[0];      // [T, B, I] the input with padded steps zeroed

    // Dropout: the mode, the mask source, and the masks of the last forward pass.
    private boolean training;
    private SplittableRandom maskRandom = new SplittableRandom(DEFAULT_MASK_SEED);
    private long[] maskRows;                         // [B] ids of the next passes' sequences, or null for their rows
    private boolean passInputDropout;                // the last forward pass dropped out its input
    private boolean passLayerDropout;                // ... and the inputs of layers 1..L-1
    private float[] inputMask = new float[0];        // [T, B, I] 0 or 1 / (1 - p), times the word mask
    private float[] wordMask = new float[0];         // [T, B] 0 or 1 / (1 - p_word) per step of a sequence
    private float[] droppedInput = new float[0];     // [T, B, I] input ⊙ inputMask
    private float[][] layerMasks = new float[0][];   // [L][T, B, D*H] for layers 1..L-1 (entry 0 unused)
    private float[][] droppedLayerInputs = new float[0][]; // [L][T, B, D*H] output of layer l-1 ⊙ layerMasks[l]

    /**
     * A network with all parameters zero, except the gains of layer normalisation (if any), which start at 1, and
     * those of batch normalisation, which start at 0.1 ({@link #initialNormalizationValue}); builders initialise them.
     * Batch normalisation's population statistics start at mean 0, variance 1.
     */
    public Recurrent(RecurrentConfig config) {
        this.config = config;
        for (RecurrentConfig.ParameterSpec spec : config.parameterSpecs()) {
            Parameter p = new Parameter(spec.name(), spec.shape());
            if (isNormalizationParameter(p.name())) Arrays.fill(p.value(), initialNormalizationValue(p.name()));
            parameters.put(spec.name(), p);
        }
        for (RecurrentConfig.ParameterSpec spec : config.bufferSpecs()) {
            Buffer b = new Buffer(spec.name(), spec.shape());
            if (spec.name().contains("_running_var")) Arrays.fill(b.value(), 1f);
            buffers.put(spec.name(), b);
        }
        directions = new Recurrence[config.layers()][config.directions()];
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int dir = 0; dir < config.directions(); dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                Cell cell = Cell.of(config.cellType(), config.nonlinearity(), config.gruVariant());
                directions[layer][dir] = new Recurrence(cell, dir == 1, parameters.get("weight_ih" + s), parameters.get("weight_hh" + s),
                        parameters.get("bias_ih" + s), parameters.get("bias_hh" + s), normalization(s));
            }
        }
        applyRegularization();
    }

    /** The tensors of the normalisation of the direction with suffix {@code s}, or null without one. */
    private Normalization normalization(String s) {
        if (config.layerNorm()) {
            return new Normalization.Layer(parameters.get("ln_ih_weight" + s), parameters.get("ln_ih_bias" + s),
                    parameters.get("ln_hh_weight" + s), parameters.get("ln_hh_bias" + s),
                    parameters.get("ln_c_weight" + s), parameters.get("ln_c_bias" + s));
        }
        if (config.batchNorm()) {
            return new Normalization.Batch(config.regularization().batchNormSteps(), parameters.get("bn_ih_weight" + s),
                    parameters.get("bn_hh_weight" + s), parameters.get("bn_c_weight" + s), parameters.get("bn_c_bias" + s),
                    buffers.get("bn_ih_running_mean" + s), buffers.get("bn_ih_running_var" + s),
                    buffers.get("bn_hh_running_mean" + s), buffers.get("bn_hh_running_var" + s),
                    buffers.get("bn_c_running_mean" + s), buffers.get("bn_c_running_var" + s));
        }
        return null;
    }

    /** True for the name of a layer-normalisation parameter ({@code ln_...}). */
    static boolean isLayerNormParameter(String name) {
        return name.startsWith("ln_");
    }

    /** True for the name of a layer-normalisation gain ({@code ln_..._weight...}), which starts at 1. */
    static boolean isLayerNormGain(String name) {
        return isLayerNormParameter(name) && name.contains("_weight");
    }

    /** True for the name of a parameter of layer or batch normalisation ({@code ln_...}, {@code bn_...}). */
    public static boolean isNormalizationParameter(String name) {
        return name.startsWith("ln_") || name.startsWith("bn_");
    }

    /**
     * The value every entry of a normalisation parameter starts at, whatever the initialisation scheme: the gains
     * ({@code ..._weight...}) of layer normalisation 1 (the identity, as {@code torch.nn.LayerNorm}), those of batch
     * normalisation 0.1 (Cooijmans et al.: a gain of 1 would saturate the gates' σ and tanh at the start); every shift 0.
     */
    public static float initialNormalizationValue(String name) {
        if (!name.contains("_weight")) return 0f;
        return name.startsWith("bn_") ? 0.1f : 1f;
    }

    private void applyRegularization() {
        Regularization r = config.regularization();
        for (Recurrence[] layer : directions) {
            for (Recurrence d : layer) {
                d.setRegularization((float) r.recurrentDropout(), (float) r.zoneoutHidden(), (float) r.zoneoutCell());
            }
        }
    }

    /** The regularisation settings (those of {@link #config()}). */
    public Regularization regularization() {
        return config.regularization();
    }

    /**
     * Changes the dropout and zoneout settings from the next forward pass on; {@link #config()} then reports them.
     * Zoneout changes the network's function at inference. Layer and batch normalisation cannot be switched here:
     * they change the parameters, so they need a new network.
     *
     * @throws IllegalArgumentException if {@code regularization.layerNorm()} or {@code batchNormSteps()} differs from
     *                                  this network's, or the cell does not support a setting (see {@link RecurrentConfig})
     */
    public void setRegularization(Regularization regularization) {
        Objects.requireNonNull(regularization, "regularization");
        if (regularization.batchNormSteps() != config.regularization().batchNormSteps()) {
            throw new IllegalArgumentException("batch normalisation (" + config.regularization().batchNormSteps() + " steps of statistics) "
                    + "is part of this network and cannot be changed to " + regularization.batchNormSteps()
                    + " steps (it changes the parameters and buffers): build a new network");
        }
        if (regularization.layerNorm() != config.layerNorm()) {
            throw new IllegalArgumentException("layer normalisation " + (config.layerNorm() ? "is part of" : "is not part of")
                    + " this network and cannot be switched " + (config.layerNorm() ? "off" : "on")
                    + " (it changes the parameters): build a new network");
        }
        RecurrentConfig changed = config.withRegularization(regularization); // validates against the cell
        config = changed;
        applyRegularization();
    }

    /**
     * Training mode (dropout on, zoneout by random masks) or inference mode (dropout off, zoneout by its
     * expectation; the default). Applies from the next forward pass; backward follows its forward pass.
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * The source of the masks: each forward pass in training mode takes one {@code nextLong()} from it. The same
     * seed thus gives the same sequence of masks. The generator is used, not copied.
     */
    public void setMaskRandom(SplittableRandom random) {
        this.maskRandom = Objects.requireNonNull(random, "random");
    }

    /** {@code setMaskRandom(new SplittableRandom(seed))}. */
    public void setMaskSeed(long seed) {
        setMaskRandom(new SplittableRandom(seed));
    }

    /**
     * The ids of the sequences of the next training passes' batches, one per batch row (typically their indices in
     * the dataset); each sequence's masks are drawn from its id ({@link DropoutMasks#fillRows}). Null (the default)
     * keys each sequence by its row. The array is used, not copied; a pass whose batch size differs from its length
     * fails.
     */
    public void setMaskRows(long[] rowIds) {
        this.maskRows = rowIds;
    }

    public RecurrentConfig config() {
        return config;
    }

    /** All parameters in PyTorch's state_dict order. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(parameters.values()));
    }

    /**
     * The buffers (batch normalisation's population statistics; none without it) in {@link RecurrentConfig#bufferSpecs()}
     * order: state that is saved and loaded with the parameters, updated by forward passes in training mode, never
     * trained.
     */
    public List<Buffer> buffers() {
        return Collections.unmodifiableList(new ArrayList<>(buffers.values()));
    }

    /** The buffer of that name ({@code bn_ih_running_mean_l0}); IllegalArgumentException if there is none. */
    public Buffer buffer(String name) {
        Buffer b = buffers.get(name);
        if (b == null) throw new IllegalArgumentException("no buffer named " + name + "; this network has " + buffers.keySet());
        return b;
    }

    /** The parameter of that PyTorch name; IllegalArgumentException if there is none. */
    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter named " + name + "; this network has " + parameters.keySet());
        return p;
    }

    /** The recurrence of one (layer, direction), for callers in this package that drive it step by step. */
    Recurrence direction(int layer, int direction) {
        return directions[layer][direction];
    }

    /**
     * ||dL/dh_t|| for t = 0..T-1 from the last backward pass, for the top layer's forward direction: the
     * per-time-step gradient diagnostic. See {@link Recurrence#gradientNormsByStep()}.
     */
    public double[] gradientNormsByStep() {
        return gradientNormsByStep(config.layers() - 1, 0);
    }

    /** ||dL/dh_t|| for one layer and direction (1 = reverse) from the last backward pass. */
    public double[] gradientNormsByStep(int layer, int direction) {
        return directions[layer][direction].gradientNormsByStep();
    }

    /**
     * Hands every following pass of one layer's direction (1 = reverse) to {@code observer} (null to stop): for
     * diagnostics that read the gates, the states and the gradient reaching each step.
     */
    public void setObserver(int layer, int direction, RecurrenceObserver observer) {
        directions[layer][direction].setObserver(observer);
    }

    public void zeroGrad() {
        for (Parameter p : parameters.values()) p.zeroGrad();
    }

    /**
     * Runs the network over a batch.
     *
     * @return output [T, B, D*H], h_n [L*D, B, H] and (LSTM) c_n, as PyTorch returns them
     */
    public RecurrentOutput forward(SequenceBatch batch) {
        int t = batch.steps(), b = batch.batch();
        int layers = config.layers(), dirs = config.directions(), h = config.hiddenSize();
        int stateSize = layers * dirs * b * h;
        boolean hasCell = config.cellType().hasCellState();
        checkLength("input", batch.input(), (long) t * b * config.inputSize(), "[" + t + ", " + b + ", " + config.inputSize() + "]");
        if (batch.h0() != null) checkLength("h0", batch.h0(), stateSize, stateShape(b));
        if (batch.c0() != null) {
            if (!hasCell) throw new IllegalArgumentException("c0 is given but a " + config.cellType() + " has no cell state");
            checkLength("c0", batch.c0(), stateSize, stateShape(b));
        }
        allocateForward(t, b);

        Regularization reg = config.regularization();
        if (training && maskRows != null && maskRows.length != b) {
            throw new IllegalArgumentException(maskRows.length + " mask row ids (setMaskRows) for a batch of " + b);
        }
        long passSeed = training ? maskRandom.nextLong() : 0L;
        passInputDropout = training && (reg.inputDropout() > 0 || reg.wordDropout() > 0);
        passLayerDropout = training && reg.layerDropout() > 0 && layers > 1;
        float[] layerInput = firstLayerInput(batch);
        if (passInputDropout) layerInput = dropInput(layerInput, passSeed, (float) reg.inputDropout(), (float) reg.wordDropout());
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0 && passLayerDropout) layerInput = dropLayerInput(layer, layerInput, passSeed, (float) reg.layerDropout());
            Matrix in = Matrix.of(layerInput, t * b, config.layerInputSize(layer));
            float[] out = layerOutputs[layer];
            for (int dir = 0; dir < dirs; dir++) {
                int stateOffset = (layer * dirs + dir) * b * h;
                directions[layer][dir].setTraining(training, DropoutMasks.streamKey(passSeed, STREAM_DIRECTIONS + layer * 2L + dir),
                        maskRows);
                directions[layer][dir].setFirstStep(0); // a whole sequence: batch normalisation's step t is t
                Recurrence.DirectionInput directionInput = new Recurrence.DirectionInput(in, t, b, batch.lengths(),
                        stateView(batch.h0(), stateOffset, b), stateView(batch.c0(), stateOffset, b));
                directions[layer][dir].forward(directionInput, new Matrix(out, dir * h, t * b, h, dirs * h),
                        Matrix.of(hN, stateOffset, b, h), hasCell ? Matrix.of(cN, stateOffset, b, h) : null);
            }
            layerInput = out;
        }
        hasForward = true;
        return new RecurrentOutput(layerOutputs[layers - 1], hN, hasCell ? cN : null, t, b, config.outputSize());
    }

    private String stateShape(int b) {
        return "[" + config.layers() * config.directions() + ", " + b + ", " + config.hiddenSize() + "]";
    }

    private static void checkLength(String what, float[] array, long expected, String shape) {
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " has " + array.length + " values but " + shape + " needs " + expected);
        }
    }

    /** Rows [B, H] of one (layer, direction) in a [L*D, B, H] state, or null. */
    private Matrix stateView(float[] state, int offset, int b) {
        return state == null ? null : Matrix.of(state, offset, b, config.hiddenSize());
    }

    /** Sizes the returned buffers exactly to (T, B), so callers see the documented shapes; same shapes reuse them. */
    private void allocateForward(int t, int b) {
        int layers = config.layers(), stateSize = layers * config.directions() * b * config.hiddenSize();
        if (t != steps || b != batch || layerOutputs.length == 0) {
            layerOutputs = new float[layers][t * b * config.outputSize()];
            hN = new float[stateSize];
            cN = config.cellType().hasCellState() ? new float[stateSize] : new float[0];
            layerInputGrads = new float[0][];
        }
        steps = t;
        batch = b;
    }

    /**
     * Inverted dropout of the network's input into {@link #droppedInput}: a fresh mask per value (probability p),
     * times a mask per step of each sequence that drops all its values at once (probability pWord).
     */
    private float[] dropInput(float[] input, long passSeed, float p, float pWord) {
        int in = config.inputSize(), n = steps * batch * in;
        if (inputMask.length != n) {
            inputMask = new float[n];
            droppedInput = new float[n];
        }
        DropoutMasks.fillRows(DropoutMasks.streamKey(passSeed, STREAM_INPUT), maskRows, p, 0f, (float) (1.0 / (1.0 - p)), inputMask,
                steps, batch, in);
        if (pWord > 0) {
            if (wordMask.length != steps * batch) wordMask = new float[steps * batch];
            DropoutMasks.fillRows(DropoutMasks.streamKey(passSeed, STREAM_WORDS), maskRows, pWord, 0f, (float) (1.0 / (1.0 - pWord)),
                    wordMask, steps, batch, 1);
            VectorMath.scaleRows(Matrix.of(inputMask, steps * batch, in), wordMask);
        }
        System.arraycopy(input, 0, droppedInput, 0, n);
        VectorMath.multiply(inputMask, 0, droppedInput, 0, n);
        return droppedInput;
    }

    /** Inverted dropout of the output of layer l - 1, which layer l reads, into {@link #droppedLayerInputs}[l]. */
    private float[] dropLayerInput(int layer, float[] input, long passSeed, float p) {
        int n = steps * batch * config.outputSize();
        if (layerMasks.length != config.layers()) {
            layerMasks = new float[config.layers()][0];
            droppedLayerInputs = new float[config.layers()][0];
        }
        if (layerMasks[layer].length != n) {
            layerMasks[layer] = new float[n];
            droppedLayerInputs[layer] = new float[n];
        }
        DropoutMasks.fillRows(DropoutMasks.streamKey(passSeed, layer), maskRows, p, 0f, (float) (1.0 / (1.0 - p)), layerMasks[layer],
                steps, batch, config.outputSize());
        System.arraycopy(input, 0, droppedLayerInputs[layer], 0, n);
        VectorMath.multiply(layerMasks[layer], 0, droppedLayerInputs[layer], 0, n);
        return droppedLayerInputs[layer];
    }

    /**
     * The input dropout mask [T, B, I] of the last forward pass (0 or 1 / (1 - p)), a copy; null if it had none.
     * For tests and diagnostics; the masks of each direction are on {@link Recurrence}.
     */
    public float[] inputDropoutMask() {
        return passInputDropout ? inputMask.clone() : null;
    }

    /** The dropout mask [T, B, D*H] on the input of layer l (&gt; 0) of the last forward pass, a copy; null if none. */
    public float[] layerDropoutMask(int layer) {
        return passLayerDropout && layer > 0 ? layerMasks[layer].clone() : null;
    }

    /**
     * The first layer's input, with padded steps zeroed when sequences have lengths: padding must not reach
     * dW_ih through 0 * NaN, whatever the caller put there.
     */
    private float[] firstLayerInput(SequenceBatch batch) {
        if (batch.lengths() == null) return batch.input();
        int in = config.inputSize(), t = batch.steps(), b = batch.batch();
        if (paddedInput.length != t * b * in) paddedInput = new float[t * b * in];
        System.arraycopy(batch.input(), 0, paddedInput, 0, t * b * in);
        for (int step = 0; step < t; step++) {
            for (int row = 0; row < b; row++) {
                if (step >= batch.lengths()[row]) {
                    int from = (step * b + row) * in;
                    Arrays.fill(paddedInput, from, from + in, 0f);
                }
            }
        }
        return paddedInput;
    }

    /**
     * Backpropagation through time for the last forward pass.
     *
     * @param dOutput [T, B, D*H] dL/d output, or null for zero
     * @param dHn     [L*D, B, H] dL/d h_n, or null for zero
     * @param dCn     [L*D, B, H] dL/d c_n (LSTM), or null for zero
     * @return dL/d input, dL/d h0 and dL/d c0; parameter gradients are added to each parameter's grad
     */
    public RecurrentGradients backward(float[] dOutput, float[] dHn, float[] dCn) {
        if (!hasForward) throw new IllegalStateException("backward needs a forward pass first");
        int t = steps, b = batch;
        int layers = config.layers(), dirs = config.directions(), h = config.hiddenSize();
        int stateSize = layers * dirs * b * h;
        boolean hasCell = config.cellType().hasCellState();
        if (dOutput != null) checkLength("dOutput", dOutput, (long) t * b * config.outputSize(), "[" + t + ", " + b + ", " + config.outputSize() + "]");
        if (dHn != null) checkLength("dHn", dHn, stateSize, stateShape(b));
        if (dCn != null) {
            if (!hasCell) throw new IllegalArgumentException("dCn is given but a " + config.cellType() + " has no cell state");
            checkLength("dCn", dCn, stateSize, stateShape(b));
        }
        allocateBackward();

        float[] dLayerOutput = dOutput;
        for (int layer = layers - 1; layer >= 0; layer--) {
            int in = config.layerInputSize(layer);
            float[] dIn = layerInputGrads[layer];
            Arrays.fill(dIn, 0, t * b * in, 0f); // both directions add into it
            for (int dir = 0; dir < dirs; dir++) {
                int stateOffset = (layer * dirs + dir) * b * h;
                Matrix dOut = dLayerOutput == null ? null : new Matrix(dLayerOutput, dir * h, t * b, h, dirs * h);
                directions[layer][dir].backward(dOut, stateView(dHn, stateOffset, b), stateView(dCn, stateOffset, b),
                        Matrix.of(dIn, t * b, in), Matrix.of(dH0, stateOffset, b, h), hasCell ? Matrix.of(dC0, stateOffset, b, h) : null);
            }
            // dropout's backward: the gradient passes where the mask kept the value, scaled alike
            if (layer == 0 && passInputDropout) VectorMath.multiply(inputMask, 0, dIn, 0, t * b * in);
            if (layer > 0 && passLayerDropout) VectorMath.multiply(layerMasks[layer], 0, dIn, 0, t * b * in);
            dLayerOutput = dIn;
        }
        return new RecurrentGradients(layerInputGrads[0], dH0, hasCell ? dC0 : null);
    }

    private void allocateBackward() {
        if (layerInputGrads.length == 0) {
            int layers = config.layers(), stateSize = layers * config.directions() * batch * config.hiddenSize();
            layerInputGrads = new float[layers][];
            for (int layer = 0; layer < layers; layer++) {
                layerInputGrads[layer] = new float[steps * batch * config.layerInputSize(layer)];
            }
            dH0 = new float[stateSize];
            dC0 = config.cellType().hasCellState() ? new float[stateSize] : new float[0];
        }
    }
}
