package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.Json;
import dev.rnn4j.layer.Gru;
import dev.rnn4j.layer.Lstm;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.layer.RecurrentBuilder;
import dev.rnn4j.layer.RecurrentStream;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.layer.SequenceBatch;
import dev.rnn4j.layer.SimpleRnn;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.Adam;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j bench}: times one recurrent layer on random data, as {@code bench/pytorch_bench.py} times PyTorch's, and
 * prints the result (one JSON object with {@code --json}).
 *
 * <p>The network is a cell of --layers stacked layers ({@code Lstm}/{@code Gru}/{@code SimpleRnn.builder()}), with
 * --dropout on the output of every layer but the last where it feeds the next ({@link Regularization#layerDropout},
 * PyTorch's {@code dropout} argument; it acts in training only). The work of one step, per {@code --mode}:
 * <ul>
 *   <li>{@code train}: in training mode ({@link Recurrent#setTraining}), zero the gradients, forward the network over
 *       the whole sequence [T, B, I], mean squared error of all outputs [T, B, H] against random targets, backward
 *       (all weight, bias and input gradients), one Adam(1e-3) step. FLOPs counted: 3 x forward.</li>
 *   <li>{@code infer}: the forward pass alone, in inference mode.</li>
 *   <li>{@code serve}: what a service holding a model answers a request with: {@link SequenceModel#forward} of a
 *       features model (the network, then a dense head of one output on each sequence's last step, as a forecaster's
 *       bundle holds) over [T, B, I], in inference mode; the result is also given per sequence.</li>
 *   <li>{@code stream}: {@link RecurrentStream#step} of B sequences, one time step per call; a timed repetition is
 *       {@value #STREAM_STEPS_PER_REPETITION} calls and the result is microseconds per call. --seq-len is not used.</li>
 * </ul>
 * Forward FLOPs are {@code 2 T B g H (I + H)} for the first layer and {@code 2 T B g H (H + H)} for each further one,
 * g = 4, 3, 1 for the LSTM, GRU and simple RNN (the GEMMs only; not the head of {@code serve}).
 *
 * <p>The timed steps also count the bytes the JVM's threads allocate on the heap ({@link AllocationMeter}: the caller
 * and the kernels' pool workers), reported per step (stream: per call).
 *
 * <p>Warm-up runs steps (stream: repetitions) until at least --warmup-steps have run, at least --warmup-seconds have
 * passed and the step time has stopped falling (the median of the last five is no more than 3% below the median of
 * the five before), or, once three have run, after {@value #WARMUP_CAP_FACTOR} x --warmup-seconds or 10 s, whichever is
 * shorter (but not before --warmup-seconds).
 * Then --steps timed steps; the result is their median.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false,
        description = {"Times a recurrent network on random data: a training step, a forward pass, a served request or a streaming step.",
            "%nTimes training steps (forward, MSE loss, backward, Adam), inference (forward), serving (a model's forward "
            + "pass with its head, as a service calls it) or streaming (one step per call), as bench/pytorch_bench.py does "
            + "for PyTorch. Prints the median time per step (ms; stream: us per call), GFLOP/s, counting the forward pass "
            + "as 2*T*B*g*H*(I+H) FLOPs for the first layer and 2*T*B*g*H*2H for each further one (g = 4 LSTM, 3 GRU, "
            + "1 RNN) and training as 3x that, and the heap bytes all threads allocated per timed step (docs/benchmarks.md).", ""})
final class BenchCommand implements Callable<Integer> {
    static final String NAME = "bench";
    static final int STREAM_STEPS_PER_REPETITION = 1000;
    static final int WARMUP_CAP_FACTOR = 4;
    /** The largest array a configuration may need, in floats. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** What one timed step is. */
    enum Mode {
        /** Forward, MSE, backward, Adam. */
        TRAIN,
        /** The forward pass alone. */
        INFER,
        /** A model's forward pass as a service calls it: network and head, in inference mode. */
        SERVE,
        /** {@value #STREAM_STEPS_PER_REPETITION} calls of one time step each. */
        STREAM;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The modes in lower case, for --help and completion. */
    static final class ModeNames extends LowerCaseNames<Mode> {
        ModeNames() {
            super(Mode.class);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "CELL", completionCandidates = MemoryTaskCommand.CellNames.class,
            description = "the cell: ${COMPLETION-CANDIDATES}")
    CellType cell;

    @Option(names = "--input-size", defaultValue = "32", paramLabel = "I", description = "input features")
    int inputSize;

    @Option(names = "--hidden-size", defaultValue = "128", paramLabel = "H", description = "hidden units")
    int hiddenSize;

    @Option(names = "--seq-len", defaultValue = "50", paramLabel = "T", description = "time steps per sequence (not used by stream)")
    int seqLen;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "sequences per batch")
    int batch;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "L", description = "stacked layers")
    int layers;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "dropout between stacked layers, in training (PyTorch's nn.LSTM dropout); needs --layers 2 or more")
    double dropout;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "kernel threads, the calling thread included")
    int threads;

    @Option(names = "--mode", defaultValue = "train", paramLabel = "MODE", completionCandidates = ModeNames.class,
            description = "what a step is: ${COMPLETION-CANDIDATES}")
    Mode mode;

    @Option(names = "--steps", paramLabel = "K", description = "timed steps (stream: repetitions of 1000 calls) (default: 20; stream 10)")
    Integer steps;

    @Option(names = "--warmup-steps", defaultValue = "20", paramLabel = "W", description = "least warm-up steps (stream: repetitions)")
    int warmupSteps;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S", description = "least warm-up time")
    double warmupSeconds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "seed of the weights, inputs and targets")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of a sentence")
    boolean json;

    /**
     * A checked {@code bench} command line.
     *
     * @param steps timed steps (train, infer) or repetitions of {@value #STREAM_STEPS_PER_REPETITION} calls (stream)
     */
    record Config(CellType cell, int inputSize, int hiddenSize, int seqLen, int batch, int layers, double dropout, int threads,
                  Mode mode, int steps, int warmupSteps, double warmupSeconds, long seed, boolean json) {

        int gates() {
            return cell.gateCount();
        }

        boolean stream() {
            return mode == Mode.STREAM;
        }

        /** FLOPs of one step (stream: one call), as documented in the class comment. */
        double flopsPerStep() {
            double inputs = (double) inputSize + hiddenSize + (layers - 1) * 2.0 * hiddenSize;
            double forwardPerTimeStep = 2.0 * batch * gates() * hiddenSize * inputs;
            return switch (mode) {
                case TRAIN -> 3 * seqLen * forwardPerTimeStep;
                case INFER, SERVE -> seqLen * forwardPerTimeStep;
                case STREAM -> forwardPerTimeStep;
            };
        }

        /** The timed units of one step: 1, or {@value #STREAM_STEPS_PER_REPETITION} calls per stream repetition. */
        int unitsPerStep() {
            return stream() ? STREAM_STEPS_PER_REPETITION : 1;
        }
    }

    /**
     * Times per step, in nanoseconds, and what else the run reports.
     *
     * @param nanos       the timed steps (stream: per call, averaged over a repetition)
     * @param warmupSteps warm-up steps (stream: repetitions) run
     * @param loss        the last training loss, or NaN
     * @param allocation  what the timed steps allocated, or null where the JVM does not count it
     */
    record Result(double[] nanos, int warmupSteps, double warmupSeconds, double loss, double peakRssMb, double heapLiveMb,
                  Allocation allocation) {
        double median() {
            return BenchCommand.median(nanos);
        }

        double min() {
            return Arrays.stream(nanos).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(nanos).max().orElse(Double.NaN);
        }
    }

    /**
     * Runs the benchmark without the {@code rnn4j} front end: {@code java --add-modules jdk.incubator.vector -cp
     * cli/target/rnn4j-cli.jar dev.rnn4j.cli.BenchCommand [options]}; the same as {@code rnn4j bench [options]}.
     */
    public static void main(String[] args) {
        String[] full = new String[args.length + 1];
        full[0] = NAME;
        System.arraycopy(args, 0, full, 1, args.length);
        Main.main(full);
    }

    /** Sets {@link Parallel#setThreads} for the run and restores it afterwards. */
    @Override
    public Integer call() {
        Config config = config();
        int savedThreads = Parallel.threads();
        Result result;
        try {
            Parallel.setThreads(config.threads());
            result = measure(config);
        } finally {
            Parallel.setThreads(savedThreads);
        }
        spec.commandLine().getOut().println(config.json() ? json(config, result) : sentence(config, result));
        return Main.OK;
    }

    /**
     * Heap bytes allocated over the timed steps, by all threads ({@link AllocationMeter}).
     *
     * @param bytes   the total
     * @param units   the timed units it is divided by: steps, or stream calls
     * @param scope   which threads were counted, {@link AllocationMeter#scope()}
     */
    record Allocation(long bytes, long units, String scope) {
        double bytesPerStep() {
            return (double) bytes / units;
        }
    }

    /** The timed part of a run: nanoseconds per unit of each step, and what the steps allocated. */
    record Timed(double[] nanos, Allocation allocation) {}

    // ---- checking

    Config config() {
        int timed = steps != null ? steps : mode == Mode.STREAM ? 10 : 20;
        Config config = new Config(cell, inRange("--input-size", inputSize, 1, 1 << 20), inRange("--hidden-size", hiddenSize, 1, 1 << 20),
                inRange("--seq-len", seqLen, 1, 1 << 24), inRange("--batch", batch, 1, 1 << 24), inRange("--layers", layers, 1, 64),
                dropout, inRange("--threads", threads, 1, 4096), mode, inRange("--steps", timed, 1, 1_000_000),
                inRange("--warmup-steps", warmupSteps, 0, Integer.MAX_VALUE), warmupSeconds, seed, json);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
            throw new ParameterException(spec.commandLine(), "--warmup-seconds must be between 0 and 3600, got " + warmupSeconds);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ParameterException(spec.commandLine(), "--dropout must be at least 0 and below 1, got " + dropout);
        }
        if (dropout > 0 && layers < 2) {
            throw new ParameterException(spec.commandLine(), "--dropout acts between stacked layers: it needs --layers 2 or more");
        }
        checkFits(config);
        return config;
    }

    private int inRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Rejects configurations whose arrays would not fit a Java array, with the sizes that do not. */
    private void checkFits(Config c) {
        long rows = c.stream() ? c.batch() : (long) c.seqLen() * c.batch();
        long gateRows = (long) c.gates() * c.hiddenSize();
        long[][] arrays = {
            {rows, c.inputSize()}, {rows, gateRows}, {rows + c.batch(), c.hiddenSize()}, {gateRows, c.inputSize()},
            {gateRows, c.hiddenSize()}, {c.layers(), (long) c.batch() * c.hiddenSize()},
        };
        for (long[] a : arrays) {
            if (a[0] * a[1] > MAX_ARRAY) {
                throw new ParameterException(spec.commandLine(), "this configuration needs an array of " + a[0] + " x " + a[1]
                        + " floats, more than a Java array holds; use a smaller --seq-len, --batch, --input-size or --hidden-size");
            }
        }
    }

    // ---- the work ----

    /** One unit of timed work: a training or inference step, or a repetition of streaming calls. */
    interface Step {
        void run();
    }

    /** The benchmarked network: --layers of the cell, with --dropout between them. */
    private static Recurrent network(Config c) {
        RecurrentBuilder<?> builder = switch (c.cell()) {
            case LSTM -> Lstm.builder();
            case GRU -> Gru.builder();
            case RNN -> SimpleRnn.builder();
        };
        return builder.inputSize(c.inputSize()).hiddenSize(c.hiddenSize()).layers(c.layers()).regularization(regularization(c))
                .seed(c.seed()).build();
    }

    private static Regularization regularization(Config c) {
        return c.dropout() > 0 ? Regularization.builder().layerDropout(c.dropout()).build() : Regularization.NONE;
    }

    /**
     * The served model: the same network under a dense head of one output on each sequence's last step, reading
     * features (the shape of a one-step forecaster's bundle, {@code ForecastModel}); in inference mode, as built.
     */
    private static SequenceModel servedModel(Config c) {
        return SequenceModel.builder().features(c.inputSize()).cell(c.cell()).hiddenSize(c.hiddenSize()).layers(c.layers())
                .regularization(regularization(c)).head(Head.LAST_STEP).outputs(1).seed(c.seed()).build();
    }

    static Result measure(Config c) {
        SplittableRandom random = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
        double[] loss = {Double.NaN};
        Object model; // kept alive until the end, for heap_live_mb
        Step step;
        if (c.mode() == Mode.SERVE) {
            SequenceModel served = servedModel(c);
            model = served;
            step = serveStep(c, served, random);
        } else {
            Recurrent network = network(c);
            model = network;
            step = switch (c.mode()) {
                case TRAIN -> trainStep(c, network, random, loss);
                case INFER -> inferStep(c, network, random);
                case STREAM -> streamStep(c, network, random);
                case SERVE -> throw new AssertionError();
            };
        }

        // warm-up
        long start = System.nanoTime();
        double[] recent = new double[10];
        int warmup = 0;
        long minNanos = (long) (c.warmupSeconds() * 1e9);
        long capNanos = Math.max(minNanos, (long) (Math.min(WARMUP_CAP_FACTOR * c.warmupSeconds(), Math.max(10, c.warmupSeconds())) * 1e9));
        while (true) {
            long elapsed = System.nanoTime() - start;
            boolean enough = warmup >= c.warmupSteps() && elapsed >= minNanos && stable(recent, warmup);
            boolean capped = elapsed >= capNanos && warmup >= Math.min(3, c.warmupSteps());
            if (enough || capped) break;
            long t0 = System.nanoTime();
            step.run();
            recent[warmup % recent.length] = System.nanoTime() - t0;
            warmup++;
        }
        double warmupSeconds = (System.nanoTime() - start) / 1e9;

        Timed timed = timeSteps(step, c.steps(), c.unitsPerStep(), AllocationMeter.create());
        double peakRss = peakRssMb();
        System.gc();
        double heapLive = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        java.lang.ref.Reference.reachabilityFence(model);
        return new Result(timed.nanos(), warmup, warmupSeconds, loss[0], peakRss, heapLive, timed.allocation());
    }

    /**
     * Runs {@code steps} timed steps: the nanoseconds of each divided by {@code unitsPerStep}, and the heap bytes all
     * threads allocated over them (null without a meter). The counters are read once before the first step and once
     * after the last, outside the timing; nothing in between allocates but the steps (and the JVM's own threads).
     */
    static Timed timeSteps(Step step, int steps, int unitsPerStep, AllocationMeter meter) {
        double[] nanos = new double[steps];
        long allocatedBefore = meter == null ? 0 : meter.allocatedBytes();
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            step.run();
            nanos[i] = (System.nanoTime() - t0) / (double) unitsPerStep;
        }
        long allocatedAfter = meter == null ? 0 : meter.allocatedBytes();
        Allocation allocation = meter == null ? null
                : new Allocation(Math.max(0, allocatedAfter - allocatedBefore), (long) steps * unitsPerStep, meter.scope());
        return new Timed(nanos, allocation);
    }

    /** Whether warm-up has levelled off: at least 10 steps, and the last five no more than 3% faster than the five before. */
    private static boolean stable(double[] recent, int count) {
        if (count < recent.length) return false;
        double[] older = new double[5], newer = new double[5];
        for (int i = 0; i < 5; i++) {
            older[i] = recent[(count - 10 + i) % recent.length];
            newer[i] = recent[(count - 5 + i) % recent.length];
        }
        return median(newer) >= 0.97 * median(older);
    }

    private static Step trainStep(Config c, Recurrent network, SplittableRandom random, double[] loss) {
        int rows = c.seqLen() * c.batch(), h = c.hiddenSize();
        float[] input = uniform(random, rows * c.inputSize());
        Targets targets = Targets.values(uniform(random, rows * h));
        float[] gradient = new float[rows * h];
        Matrix gradientView = Matrix.of(gradient, rows, h);
        SequenceBatch batch = SequenceBatch.of(input, c.seqLen(), c.batch());
        MeanSquaredError mse = new MeanSquaredError();
        Optimizer adam = Adam.builder().learningRate(1e-3).build();
        List<Parameter> parameters = network.parameters();
        network.setTraining(true); // dropout on, as PyTorch's module in train mode
        return () -> {
            network.zeroGrad();
            RecurrentOutput out = network.forward(batch);
            loss[0] = mse.lossAndGradient(Matrix.of(out.output(), rows, h), targets, gradientView);
            network.backward(gradient, null, null);
            adam.step(parameters);
        };
    }

    private static Step inferStep(Config c, Recurrent network, SplittableRandom random) {
        SequenceBatch batch = SequenceBatch.of(uniform(random, c.seqLen() * c.batch() * c.inputSize()), c.seqLen(), c.batch());
        return () -> network.forward(batch);
    }

    private static Step serveStep(Config c, SequenceModel model, SplittableRandom random) {
        ModelInput input = ModelInput.features(uniform(random, c.seqLen() * c.batch() * c.inputSize()), c.seqLen(), c.batch());
        return () -> model.forward(input);
    }

    private static Step streamStep(Config c, Recurrent network, SplittableRandom random) {
        RecurrentStream stream = new RecurrentStream(network, c.batch());
        float[][] inputs = new float[16][];
        for (int i = 0; i < inputs.length; i++) inputs[i] = uniform(random, c.batch() * c.inputSize());
        float[] sink = new float[1];
        return () -> {
            float[] h = null;
            for (int s = 0; s < STREAM_STEPS_PER_REPETITION; s++) h = stream.step(inputs[s & 15]);
            sink[0] += h[0]; // keeps the result alive
        };
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }

    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The process's peak resident set (VmHWM) in MiB, or NaN where /proc is not available. */
    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return Double.NaN;
    }

    // ---- output ----

    static String json(Config c, Result r) {
        boolean stream = c.stream();
        double scale = stream ? 1e3 : 1e6; // ns -> us or ms
        String unit = stream ? "us" : "ms";
        StringBuilder s = new StringBuilder("{");
        field(s, "impl", quote("rnn4j"));
        field(s, "cell", quote(c.cell().name().toLowerCase(Locale.ROOT)));
        field(s, "mode", quote(c.mode().id()));
        field(s, "input_size", Integer.toString(c.inputSize()));
        field(s, "hidden_size", Integer.toString(c.hiddenSize()));
        field(s, "seq_len", Integer.toString(c.seqLen()));
        field(s, "batch", Integer.toString(c.batch()));
        field(s, "layers", Integer.toString(c.layers()));
        field(s, "dropout", number(c.dropout()));
        field(s, "threads", Integer.toString(c.threads()));
        field(s, "steps", Integer.toString(c.steps()));
        if (stream) field(s, "steps_per_repetition", Integer.toString(STREAM_STEPS_PER_REPETITION));
        field(s, "warmup_steps", Integer.toString(r.warmupSteps()));
        field(s, "warmup_seconds", number(r.warmupSeconds()));
        field(s, unit + "_per_step", number(r.median() / scale));
        field(s, unit + "_min", number(r.min() / scale));
        field(s, unit + "_max", number(r.max() / scale));
        if (c.mode() == Mode.SERVE) {
            field(s, "ms_per_sequence", number(r.median() / scale / c.batch()));
            field(s, "ms_per_sequence_min", number(r.min() / scale / c.batch()));
        }
        field(s, "gflops", number(c.flopsPerStep() / r.median()));
        if (!Double.isNaN(r.loss())) field(s, "loss", number(r.loss()));
        field(s, "peak_rss_mb", number(r.peakRssMb()));
        field(s, "heap_live_mb", number(r.heapLiveMb()));
        if (r.allocation() != null) {
            field(s, "alloc_bytes_per_step", number(r.allocation().bytesPerStep()));
            field(s, "alloc_scope", quote(r.allocation().scope()));
        }
        field(s, "runtime", quote("Java " + Runtime.version()));
        s.setLength(s.length() - 2);
        return s.append('}').toString();
    }

    static String sentence(Config c, Result r) {
        boolean stream = c.stream();
        double scale = stream ? 1e3 : 1e6;
        String unit = stream ? "us per call" : "ms per step";
        String shape = stream
                ? String.format(Locale.ROOT, "I=%d H=%d B=%d", c.inputSize(), c.hiddenSize(), c.batch())
                : String.format(Locale.ROOT, "I=%d H=%d T=%d B=%d", c.inputSize(), c.hiddenSize(), c.seqLen(), c.batch());
        if (c.layers() > 1) shape += String.format(Locale.ROOT, " L=%d%s", c.layers(), c.dropout() > 0 ? " dropout=" + number(c.dropout()) : "");
        String sentence = String.format(Locale.ROOT, "rnn4j %s %s %s, %d thread%s: %.4g %s (median of %d%s; min %.4g, max %.4g), %.3g GFLOP/s",
                c.cell().name().toLowerCase(Locale.ROOT), c.mode().id(), shape, c.threads(), c.threads() == 1 ? "" : "s", r.median() / scale, unit, c.steps(),
                stream ? " repetitions of " + STREAM_STEPS_PER_REPETITION : "", r.min() / scale, r.max() / scale,
                c.flopsPerStep() / r.median());
        if (c.mode() == Mode.SERVE) sentence += String.format(Locale.ROOT, ", %.4g ms per sequence", r.median() / scale / c.batch());
        if (r.allocation() != null) {
            sentence += String.format(Locale.ROOT, ", %.4g bytes allocated per %s", r.allocation().bytesPerStep(), stream ? "call" : "step");
        }
        return sentence;
    }

    private static void field(StringBuilder s, String name, String value) {
        s.append('"').append(name).append("\": ").append(value).append(", ");
    }

    private static String quote(String value) {
        return Json.quote(value);
    }

    /** A JSON number: finite values with up to 6 significant digits, NaN and infinities as null. */
    private static String number(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
