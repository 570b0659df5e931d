package dev.rnn4j.model;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.tensor.Parameter;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How a model's parameters start.
 *
 * <table>
 *   <caption>Initial values by scheme and parameter</caption>
 *   <tr><th></th><th>{@link #PYTORCH_DEFAULT}</th><th>{@link #XAVIER_ORTHOGONAL}</th></tr>
 *   <tr><td>recurrent W_ih [G*H, I]</td><td>U(±1/√H)</td><td>Glorot/Xavier uniform per gate block [H, I]:
 *       U(±√(6 / (I + H)))</td></tr>
 *   <tr><td>recurrent W_hh [G*H, H]</td><td>U(±1/√H)</td><td>orthogonal per gate block [H, H]</td></tr>
 *   <tr><td>recurrent b_ih, b_hh</td><td>U(±1/√H)</td><td>0</td></tr>
 *   <tr><td>{@link Dense} W [K, F]</td><td>U(±1/√F) (nn.Linear: kaiming_uniform with a = √5)</td>
 *       <td>U(±√(6 / (F + K)))</td></tr>
 *   <tr><td>{@link Dense} b [K]</td><td>U(±1/√F)</td><td>0</td></tr>
 *   <tr><td>{@link Embedding} W [V, E]</td><td>N(0, 1)</td><td>N(0, 1)</td></tr>
 * </table>
 * PYTORCH_DEFAULT is what {@code nn.LSTM / nn.GRU / nn.RNN}, {@code nn.Linear} and {@code nn.Embedding} do. An
 * orthogonal block is the Q of a QR factorisation of an H x H matrix of standard normal draws (Gram-Schmidt on its
 * rows in double precision, twice, so that the diagonal of R is positive: Haar-distributed, as
 * {@code torch.nn.init.orthogonal_}), rounded to float: W W^T = I to within float rounding. The LSTM's forget-gate
 * bias is a separate step, {@link #setForgetBias}.
 *
 * <p>Randomness: every parameter draws from its own stream, {@code new SplittableRandom(streamSeed(seed, name))},
 * where {@code name} is the name it is initialised under (for a {@link SequenceModel}, its qualified name such as
 * {@code "rnn.weight_hh_l0"}). So the same seed and names give bitwise the same values on every run and machine,
 * and a parameter's values depend neither on the order of initialisation nor on which other parameters exist.
 */
public enum Initialization {
    /** PyTorch's defaults for each module (see the class comment). */
    PYTORCH_DEFAULT,
    /** Glorot/Xavier uniform input weights, orthogonal recurrent weights, zero biases (see the class comment). */
    XAVIER_ORTHOGONAL;

    /** Initialises every parameter of the network, each under its PyTorch name ({@code "weight_ih_l0"}). */
    public void initialize(Recurrent network, long seed) {
        initialize(network, "", seed);
    }

    /**
     * Initialises every parameter of the network; parameter {@code p} draws from the stream of
     * {@code namePrefix + p.name()}.
     *
     * Normalisation parameters take their fixed initial values under both schemes
     * ({@link Recurrent#initialNormalizationValue}): layer-norm gains ({@code ln_*_weight*}) 1, batch-norm gains
     * ({@code bn_*_weight*}) 0.1, every shift 0.
     *
     * @throws IllegalArgumentException under {@link #XAVIER_ORTHOGONAL}, for a parameter that is not a W_ih, W_hh,
     *                                  bias or layer-norm parameter of rnn4j's naming
     */
    public void initialize(Recurrent network, String namePrefix, long seed) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(namePrefix, "namePrefix");
        RecurrentConfig config = network.config();
        int hidden = config.hiddenSize();
        for (Parameter p : network.parameters()) {
            SplittableRandom random = new SplittableRandom(streamSeed(seed, namePrefix + p.name()));
            float[] v = p.value();
            if (Recurrent.isNormalizationParameter(p.name())) {
                // whatever the scheme: layer norm starts as the identity, batch norm with Cooijmans et al.'s gain 0.1
                Arrays.fill(v, Recurrent.initialNormalizationValue(p.name()));
            } else if (this == PYTORCH_DEFAULT) {
                uniform(v, random, 1.0 / Math.sqrt(hidden));
            } else if (p.name().startsWith("weight_ih")) {
                // every gate block [H, I] has the same bound, so one pass over the whole matrix draws them all
                int in = p.shape()[1];
                uniform(v, random, Math.sqrt(6.0 / (in + hidden)));
            } else if (p.name().startsWith("weight_hh")) {
                int blocks = p.shape()[0] / hidden;
                for (int block = 0; block < blocks; block++) {
                    double[][] q = orthogonal(hidden, random);
                    for (int i = 0; i < hidden; i++) {
                        int row = (block * hidden + i) * hidden;
                        for (int j = 0; j < hidden; j++) v[row + j] = (float) q[i][j];
                    }
                }
            } else if (p.name().startsWith("bias_")) {
                Arrays.fill(v, 0f);
            } else {
                throw new IllegalArgumentException(this + " does not know how to initialise recurrent parameter " + p);
            }
        }
    }

    /** Initialises W and b of the layer, each under its {@link Parameter#name()}. */
    public void initialize(Dense dense, long seed) {
        Objects.requireNonNull(dense, "dense");
        int fanIn = dense.inputSize(), fanOut = dense.outputSize();
        Parameter w = dense.weight(), b = dense.bias();
        SplittableRandom wRandom = new SplittableRandom(streamSeed(seed, w.name()));
        SplittableRandom bRandom = new SplittableRandom(streamSeed(seed, b.name()));
        if (this == PYTORCH_DEFAULT) {
            double bound = 1.0 / Math.sqrt(fanIn);
            uniform(w.value(), wRandom, bound);
            uniform(b.value(), bRandom, bound);
        } else {
            uniform(w.value(), wRandom, Math.sqrt(6.0 / (fanIn + fanOut)));
            Arrays.fill(b.value(), 0f);
        }
    }

    /** Initialises the table N(0, 1) (under either scheme, as nn.Embedding), under its {@link Parameter#name()}. */
    public void initialize(Embedding embedding, long seed) {
        Objects.requireNonNull(embedding, "embedding");
        Parameter w = embedding.weight();
        SplittableRandom random = new SplittableRandom(streamSeed(seed, w.name()));
        float[] v = w.value();
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
    }

    /**
     * Sets an LSTM's forget-gate bias (Gers et al. 2000; 1 is the usual value) so that its cells remember by
     * default: in every layer and direction, b_ih's forget block (rows [H, 2H), gate order i, f, g, o) becomes
     * {@code value} and b_hh's forget block 0, so the gate's total bias is {@code value}.
     *
     * @throws IllegalArgumentException if the network is not an LSTM or has no biases
     */
    public static void setForgetBias(Recurrent network, float value) {
        RecurrentConfig c = network.config();
        if (c.cellType() != CellType.LSTM) {
            throw new IllegalArgumentException("a forget-gate bias needs an LSTM, not a " + c.cellType());
        }
        if (!c.bias()) throw new IllegalArgumentException("a forget-gate bias needs an LSTM with biases (bias = true)");
        int h = c.hiddenSize();
        for (int layer = 0; layer < c.layers(); layer++) {
            for (int dir = 0; dir < c.directions(); dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                Arrays.fill(network.parameter("bias_ih" + s).value(), h, 2 * h, value);
                Arrays.fill(network.parameter("bias_hh" + s).value(), h, 2 * h, 0f);
            }
        }
    }

    /**
     * Sets every parameter of the model, biases and embedding included, uniform in [-scale, scale]: Zaremba et al.'s
     * {@code init_scale} (0.1 for their small Penn Treebank model, 0.05 for the medium one). Each parameter draws
     * from the stream of its qualified name, as under the schemes above. A tied head weight is the embedding table
     * and is drawn once. The gains and shifts of layer or batch normalisation keep their values (a gain drawn near 0
     * would switch its normalisation off).
     */
    public static void uniformEverywhere(SequenceModel model, double scale, long seed) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("init scale must be positive and finite, got " + scale);
        java.util.Set<Parameter> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (NamedParameter p : model.namedParameters()) {
            if (Recurrent.isNormalizationParameter(p.parameter().name())) continue;
            if (done.add(p.parameter())) uniform(p.parameter().value(), new SplittableRandom(streamSeed(seed, p.name())), scale);
        }
    }

    /**
     * Chrono initialisation (Tallec &amp; Ollivier 2018), for dependencies up to {@code maxDependency} steps apart: in
     * every layer and direction the forget gate's bias is drawn as {@code log(u)} with u uniform in
     * [1, maxDependency - 1], and the input gate's bias is its negation, so the cells' characteristic forgetting times
     * spread over the range the data needs. The total bias of each gate sits in {@code bias_ih}; {@code bias_hh}'s
     * blocks are 0. For a GRU the update gate z plays the forget gate's part (h' = (1 - z) n + z h), so z's bias is
     * drawn the same way; a GRU has no input gate. The draws come from the stream of each {@code bias_ih} name.
     *
     * @throws IllegalArgumentException for a simple RNN, a network without biases, or maxDependency below 3
     */
    public static void setChronoBias(Recurrent network, int maxDependency, long seed) {
        RecurrentConfig c = network.config();
        if (c.cellType() == CellType.RNN) throw new IllegalArgumentException("chrono initialisation needs gates: an LSTM or a GRU, not a simple RNN");
        if (!c.bias()) throw new IllegalArgumentException("chrono initialisation sets gate biases: the network needs biases");
        if (maxDependency < 3) throw new IllegalArgumentException("chrono initialisation needs a maximum dependency of at least 3 steps, got " + maxDependency);
        int h = c.hiddenSize();
        boolean lstm = c.cellType() == CellType.LSTM;
        int forget = 1; // the forget gate in the LSTM's order i, f, g, o; the update gate in the GRU's r, z, n
        for (int layer = 0; layer < c.layers(); layer++) {
            for (int dir = 0; dir < c.directions(); dir++) {
                String s = RecurrentConfig.suffix(layer, dir);
                float[] ih = network.parameter("bias_ih" + s).value();
                float[] hh = network.parameter("bias_hh" + s).value();
                SplittableRandom random = new SplittableRandom(streamSeed(seed, "chrono.bias_ih" + s));
                for (int j = 0; j < h; j++) {
                    float b = (float) Math.log(random.nextDouble(1, maxDependency - 1));
                    ih[forget * h + j] = b;
                    hh[forget * h + j] = 0f;
                    if (lstm) {
                        ih[j] = -b;
                        hh[j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The seed of the stream a parameter of that name draws from under the model seed {@code seed}:
     * {@code mix(seed ^ mix(fnv1a64(name)))}, where fnv1a64 is the 64-bit FNV-1a hash of the name's UTF-16 code
     * units and mix is Stafford's 64-bit finaliser (variant 13, as in SplittableRandom).
     */
    public static long streamSeed(long seed, String name) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            hash ^= name.charAt(i);
            hash *= 0x100000001b3L;
        }
        return mix(seed ^ mix(hash));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void uniform(float[] v, SplittableRandom random, double bound) {
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-bound, bound);
    }

    /**
     * An n x n matrix with orthonormal rows: Gram-Schmidt over the rows of a standard normal matrix, each row
     * orthogonalised twice against the earlier ones ("twice is enough": orthogonal to double rounding).
     */
    static double[][] orthogonal(int n, SplittableRandom random) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] row = q[i];
            while (true) {
                for (int j = 0; j < n; j++) row[j] = random.nextGaussian();
                double before = Math.sqrt(dot(row, row));
                for (int pass = 0; pass < 2; pass++) {
                    for (int k = 0; k < i; k++) {
                        double d = dot(row, q[k]);
                        double[] other = q[k];
                        for (int j = 0; j < n; j++) row[j] -= d * other[j];
                    }
                }
                double norm = Math.sqrt(dot(row, row));
                // a draw (almost) inside the span of the earlier rows has probability zero; redraw if it happens
                if (norm > 1e-6 * before) {
                    for (int j = 0; j < n; j++) row[j] /= norm;
                    break;
                }
            }
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }
}
