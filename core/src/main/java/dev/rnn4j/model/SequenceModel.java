package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.layer.AttentionPooling;
import dev.rnn4j.layer.LastValidStep;
import dev.rnn4j.layer.MaxOverSteps;
import dev.rnn4j.layer.MeanOverSteps;
import dev.rnn4j.layer.SequencePooling;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentBuilder;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.layer.RecurrentGradients;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trainable sequence model: [{@link Embedding}] → {@link Recurrent} → {@link Dense} head.
 *
 * <pre>{@code
 * SequenceModel model = SequenceModel.builder()
 *         .vocabulary(5000).embeddingSize(64)          // or .features(I) for feature vectors
 *         .cell(CellType.LSTM).hiddenSize(128).layers(2).bidirectional(true)
 *         .head(Head.LAST_STEP).outputs(3)
 *         .initialization(Initialization.XAVIER_ORTHOGONAL).forgetBias(1f).seed(42)
 *         .build();
 * Matrix predictions = model.forward(ModelInput.tokens(ids, steps, batch).withLengths(lengths)); // [B, 3]
 * model.zeroGrad();
 * model.backward(dLossDPredictions);
 * for (NamedParameter p : model.namedParameters()) { ... p.name(), p.parameter().grad() ... }
 * }</pre>
 *
 * <p><b>Predictions.</b> {@link Head#EVERY_STEP}: [T * B, K], row {@code t * B + b} for step t of sequence b
 * (time-major, like the recurrent output); rows at or past a sequence's length hold the head applied to a zero
 * output (its bias) and must be masked by the loss. The pooled heads ({@link Head#LAST_STEP}, {@link Head#MEAN},
 * {@link Head#MAX}, {@link Head#ATTENTION}): [B, K], one row per sequence, from its valid steps (see
 * {@link SequencePooling}).
 *
 * <p><b>Parameters.</b> In this fixed order, under these qualified names: {@code "embedding.weight"} [V, E] (token
 * input only); the recurrent network's parameters in PyTorch's state_dict order, prefixed {@code "rnn."}
 * ({@code "rnn.weight_ih_l0"}, {@code "rnn.weight_hh_l0"}, {@code "rnn.bias_ih_l0"}, {@code "rnn.bias_hh_l0"},
 * {@code "rnn.weight_ih_l0_reverse"}, ...); {@code "pool.weight"} [D*H] (attention pooling only);
 * {@code "head.weight"} [K, D*H]; {@code "head.bias"} [K]. With
 * {@linkplain ModelSpec#tiedWeights() tied weights} there is no {@code "head.weight"}: the head reads
 * {@code "embedding.weight"}, and the embedding's and the head's gradients add up in it.
 * {@link #namedParameters()} pairs each with its qualified name; {@link #parameters()} lists the same
 * {@link Parameter} objects in the same order. Their own {@link Parameter#name()} is the qualified name for the
 * embedding and the head, and PyTorch's unqualified name for the recurrent ones ({@code "weight_ih_l0"}), so even
 * those names are unique within a model; but key optimizer state and files by the qualified names.
 *
 * <p><b>Buffers.</b> State that is saved and loaded with the parameters but not trained: the recurrent network's
 * batch-normalisation statistics ({@link Recurrent#buffers()}), prefixed {@code "rnn."} as its parameters are
 * ({@code "rnn.bn_ih_running_mean_l0"}); none for other models. {@link #namedBuffers()} lists them.
 *
 * <p><b>Buffers.</b> Predictions and every other result are owned by the model's workspaces, reused while (T, B)
 * stays the same and overwritten by the next call. {@link #backward} reads the last forward pass's input and
 * activations in place: do not change the input arrays in between.
 */
public final class SequenceModel {
    private final ModelSpec spec;
    private final Embedding embedding; // null for feature input
    private final Recurrent recurrent;
    private final Dense head;
    private final SequencePooling pooling; // null for EVERY_STEP
    private final List<NamedParameter> named;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName;
    private final List<NamedBuffer> buffers;

    private ModelInput lastInput;
    private RecurrentOutput lastOutput;
    private RecurrentGradients lastGradients;

    private SequenceModel(ModelSpec spec) {
        this.spec = spec;
        RecurrentConfig config = spec.recurrent();
        this.embedding = spec.tokenInput() ? new Embedding("embedding", spec.vocabulary(), config.inputSize()) : null;
        this.recurrent = new Recurrent(config);
        this.head = spec.tiedWeights() ? new Dense("head", embedding.weight()) : new Dense("head", config.outputSize(), spec.outputs());
        this.pooling = switch (spec.head()) {
            case EVERY_STEP -> null;
            case LAST_STEP -> new LastValidStep(config);
            case MEAN -> new MeanOverSteps(config);
            case MAX -> new MaxOverSteps(config);
            case ATTENTION -> new AttentionPooling(config, "pool.weight");
        };

        List<NamedParameter> list = new ArrayList<>();
        if (embedding != null) list.add(new NamedParameter("embedding.weight", embedding.weight()));
        for (Parameter p : recurrent.parameters()) list.add(new NamedParameter("rnn." + p.name(), p));
        if (pooling != null) for (Parameter p : pooling.parameters()) list.add(new NamedParameter(p.name(), p));
        if (!spec.tiedWeights()) list.add(new NamedParameter("head.weight", head.weight()));
        list.add(new NamedParameter("head.bias", head.bias()));
        this.named = List.copyOf(list);
        this.parameters = named.stream().map(NamedParameter::parameter).toList();
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (NamedParameter p : named) map.put(p.name(), p.parameter());
        this.byName = Collections.unmodifiableMap(map);
        List<NamedBuffer> bufferList = new ArrayList<>();
        for (Buffer b : recurrent.buffers()) bufferList.add(new NamedBuffer("rnn." + b.name(), b));
        this.buffers = List.copyOf(bufferList);
    }

    /**
     * The model a spec describes, its parameters initialised from the spec's seed: the embedding (if any), the
     * recurrent network and the head by {@code spec.initialization()}, each parameter under its qualified name
     * (see {@link Initialization}); then the forget-gate bias, if set.
     */
    public static SequenceModel create(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        MemoryEstimate.of(spec).requireFits(Runtime.getRuntime().maxMemory(), "the model"); // before allocating it
        SequenceModel model = new SequenceModel(spec);
        Initialization init = spec.initialization();
        if (model.embedding != null) init.initialize(model.embedding, spec.seed());
        init.initialize(model.recurrent, "rnn.", spec.seed());
        if (spec.forgetBias() != null) Initialization.setForgetBias(model.recurrent, spec.forgetBias());
        if (model.pooling instanceof AttentionPooling attention) {
            attention.initialize(Initialization.streamSeed(spec.seed(), attention.weight().name()));
        }
        // tied: the shared table takes the head's initialisation (last), whose scale suits logits; N(0, 1) would not
        init.initialize(model.head, spec.seed());
        return model;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The recurrent network, whose parameters carry PyTorch's names. */
    public Recurrent recurrent() {
        return recurrent;
    }

    /** The dense head [K, D*H]. */
    public Dense head() {
        return head;
    }

    /** The token embedding, or null for a model that reads features. */
    public Embedding embedding() {
        return embedding;
    }

    /** The pooling of a many-to-one head (attention keeps its weights there), or null for {@link Head#EVERY_STEP}. */
    public SequencePooling pooling() {
        return pooling;
    }

    /** Every parameter with its qualified name, in the order of the class comment. */
    public List<NamedParameter> namedParameters() {
        return named;
    }

    /** The same parameters as {@link #namedParameters()}, in the same order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Every buffer with its qualified name, in the order of {@link Recurrent#buffers()}; empty without batch normalisation. */
    public List<NamedBuffer> namedBuffers() {
        return buffers;
    }

    /** The parameter of that qualified name ({@code "rnn.weight_hh_l0"}); IllegalArgumentException if none. */
    public Parameter parameter(String qualifiedName) {
        Parameter p = byName.get(qualifiedName);
        if (p == null) throw new IllegalArgumentException("no parameter named " + qualifiedName + "; this model has " + byName.keySet());
        return p;
    }

    public void zeroGrad() {
        for (Parameter p : parameters) p.zeroGrad();
    }

    /**
     * Runs the model over a batch.
     *
     * @return predictions [T * B, K] ({@link Head#EVERY_STEP}) or [B, K] (a pooled head), see the class comment
     * @throws IllegalArgumentException if the input is of the other kind (features for a token model or vice
     *                                  versa), has the wrong size, or holds a token id outside the vocabulary
     */
    public Matrix forward(ModelInput input) {
        Objects.requireNonNull(input, "input");
        int t = input.steps(), b = input.batch();
        float[] recurrentInput;
        if (embedding != null) {
            if (input.tokens() == null) {
                throw new IllegalArgumentException("this model reads token ids (vocabulary " + spec.vocabulary() + "), but the input has features");
            }
            int[] tokens = input.tokens();
            int v = spec.vocabulary();
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] < 0 || tokens[i] >= v) {
                    throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i + " (step " + i / b + ", sequence "
                            + i % b + ") is out of range: the vocabulary has ids 0.." + (v - 1));
                }
            }
            recurrentInput = embedding.forward(tokens).data();
        } else {
            if (input.features() == null) {
                throw new IllegalArgumentException("this model reads features (" + spec.features() + " per step), but the input has token ids");
            }
            recurrentInput = input.features();
        }
        SequenceBatch batch = new SequenceBatch(recurrentInput, t, b, input.lengths(), input.h0(), input.c0());
        RecurrentOutput out = recurrent.forward(batch);
        int width = recurrent.config().outputSize();
        Matrix headInput = spec.head() == Head.EVERY_STEP
                ? Matrix.of(out.output(), t * b, width)
                : Matrix.of(pooling.forward(out, input.lengths()), b, width);
        Matrix predictions = head.forward(headInput);
        lastInput = input;
        lastOutput = out;
        lastGradients = null;
        return predictions;
    }

    /** Backpropagates dL/d predictions of the last forward pass; see {@link #backward(Matrix, float[], float[])}. */
    public void backward(Matrix dPredictions) {
        backward(dPredictions, null, null);
    }

    /**
     * Backpropagation through the head, the recurrent network and the embedding for the last forward pass,
     * adding every parameter's gradient to its {@link Parameter#grad()}.
     *
     * @param dPredictions dL/d predictions, shaped like what {@link #forward} returned; for {@link Head#EVERY_STEP}
     *                     the rows past a sequence's length count too (the bias gets their gradient), so a loss
     *                     that ignores them must give them zero
     * @param dHn          [L*D, B, H] dL/d h_n when the loss also reads the final state, or null
     * @param dCn          [L*D, B, H] dL/d c_n (LSTM), or null
     */
    public void backward(Matrix dPredictions, float[] dHn, float[] dCn) {
        Objects.requireNonNull(dPredictions, "dPredictions");
        if (lastOutput == null) throw new IllegalStateException("backward needs a forward pass first");
        int t = lastInput.steps(), b = lastInput.batch();
        int rows = spec.head() == Head.EVERY_STEP ? t * b : b;
        if (dPredictions.rows() != rows || dPredictions.cols() != spec.outputs()) {
            throw new IllegalArgumentException("dPredictions is " + dPredictions.rows() + "x" + dPredictions.cols()
                    + " but the last forward pass predicted " + rows + "x" + spec.outputs());
        }
        float[] dHeadInput = head.backward(dPredictions).data();
        float[] dOutput = spec.head() == Head.EVERY_STEP ? dHeadInput : pooling.backward(dHeadInput);
        lastGradients = recurrent.backward(dOutput, dHn, dCn);
        if (embedding != null) embedding.backward(Matrix.of(lastGradients.dInput(), t * b, recurrent.config().inputSize()));
    }

    /** What the recurrent network returned in the last forward pass (h_n, c_n for carrying state), or null before one. */
    public RecurrentOutput lastRecurrentOutput() {
        return lastOutput;
    }

    /**
     * The recurrent network's input and initial-state gradients from the last backward pass (dInput is dL/d
     * features, or dL/d embedded tokens), or null if there was none since the last forward pass.
     */
    public RecurrentGradients lastRecurrentGradients() {
        return lastGradients;
    }

    /**
     * Builds a {@link SequenceModel}. Required: the input ({@link #features} or {@link #vocabulary} with
     * {@link #embeddingSize}), {@link #cell}, {@link #hiddenSize}, {@link #head} and {@link #outputs}. Defaults: one
     * layer, one direction, biases, tanh (simple RNN), reset-after (GRU), {@link Initialization#PYTORCH_DEFAULT}, no
     * forget-gate bias, seed {@link RecurrentBuilder#DEFAULT_SEED}.
     */
    public static final class Builder {
        private int features;
        private int vocabulary;
        private int embeddingSize;
        private CellType cellType;
        private int hiddenSize;
        private int layers = 1;
        private boolean bidirectional;
        private boolean bias = true;
        private Nonlinearity nonlinearity = Nonlinearity.TANH;
        private GruVariant gruVariant = GruVariant.RESET_AFTER;
        private Regularization regularization = Regularization.NONE;
        private Head head;
        private int outputs;
        private Initialization initialization = Initialization.PYTORCH_DEFAULT;
        private Float forgetBias;
        private long seed = RecurrentBuilder.DEFAULT_SEED;
        private boolean tiedWeights;

        private Builder() {}

        /** The head's weight is the embedding table (language models; needs E = H and outputs = V). */
        public Builder tiedWeights(boolean tied) {
            this.tiedWeights = tied;
            return this;
        }

        /** I: the model reads feature vectors of this width. */
        public Builder features(int size) {
            this.features = size;
            return this;
        }

        /** V: the model reads token ids 0..V-1 through an embedding; needs {@link #embeddingSize}. */
        public Builder vocabulary(int size) {
            this.vocabulary = size;
            return this;
        }

        /** E: values per embedded token. */
        public Builder embeddingSize(int size) {
            this.embeddingSize = size;
            return this;
        }

        public Builder cell(CellType type) {
            this.cellType = type;
            return this;
        }

        /** H, units per direction. */
        public Builder hiddenSize(int size) {
            this.hiddenSize = size;
            return this;
        }

        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        /** Whether the recurrent biases b_ih and b_hh exist (the head always has one). */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** The simple RNN's activation. */
        public Builder nonlinearity(Nonlinearity nonlinearity) {
            this.nonlinearity = nonlinearity;
            return this;
        }

        /** The GRU's equations. */
        public Builder gruVariant(GruVariant variant) {
            this.gruVariant = variant;
            return this;
        }

        /** Dropout, zoneout and layer norm of the recurrent layers (default none); see {@link Regularization}. */
        public Builder regularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        public Builder head(Head head) {
            this.head = head;
            return this;
        }

        /** K, values per prediction row. */
        public Builder outputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        public Builder initialization(Initialization initialization) {
            this.initialization = initialization;
            return this;
        }

        /** The LSTM's initial forget-gate bias (see {@link Initialization#setForgetBias}); LSTM with biases only. */
        public Builder forgetBias(float value) {
            this.forgetBias = value;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The spec these settings describe. */
        public ModelSpec spec() {
            boolean tokens = vocabulary != 0 || embeddingSize != 0;
            if (tokens && features != 0) {
                throw new IllegalStateException("set either features(I) or vocabulary(V) with embeddingSize(E), not both");
            }
            if (!tokens && features == 0) {
                throw new IllegalStateException("the input must be set: features(I), or vocabulary(V) with embeddingSize(E)");
            }
            if (tokens && vocabulary < 1) throw new IllegalStateException("vocabulary must be set to at least 1, got " + vocabulary);
            if (tokens && embeddingSize < 1) throw new IllegalStateException("embeddingSize must be set to at least 1, got " + embeddingSize);
            if (!tokens && features < 1) throw new IllegalStateException("features must be at least 1, got " + features);
            if (cellType == null) throw new IllegalStateException("cell must be set (LSTM, GRU or RNN)");
            if (hiddenSize < 1) throw new IllegalStateException("hiddenSize must be set to at least 1, got " + hiddenSize);
            if (head == null) throw new IllegalStateException("head must be set (EVERY_STEP, LAST_STEP, MEAN, MAX or ATTENTION)");
            if (outputs < 1) throw new IllegalStateException("outputs must be set to at least 1, got " + outputs);
            try {
                RecurrentConfig config = new RecurrentConfig(cellType, tokens ? embeddingSize : features, hiddenSize, layers,
                        bidirectional, bias, nonlinearity, gruVariant, regularization);
                return new ModelSpec(tokens ? vocabulary : 0, config, head, outputs, initialization, forgetBias, seed, tiedWeights);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        public SequenceModel build() {
            return create(spec());
        }
    }
}
