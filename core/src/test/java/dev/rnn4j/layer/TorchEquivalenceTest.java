package dev.rnn4j.layer;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.cell.GruVariant;
import dev.rnn4j.cell.Nonlinearity;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Recurrent} against PyTorch 1.13's {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN}: forward results and
 * every gradient, on the fixtures in {@code src/test/resources/torch/} written by {@code make_fixtures.py} there
 * (its docstring says what each file holds and how the references were computed: float64 math on float32
 * weights and inputs).
 *
 * <p>Tolerance, per tensor: max |got - PyTorch| &lt;= 1e-5 * (1 + max |PyTorch|). PyTorch's own float32 run
 * of every case stays within 3% of it (the generator checks).
 */
class TorchEquivalenceTest {
    static final double TOLERANCE = 1e-5;

    /** Tensors of a fixture that are not parameters of the network. */
    private static final Set<String> NON_PARAMETERS = Set.of("input", "lengths", "h0", "c0", "output", "h_n", "c_n",
            "r_output", "r_h_n", "r_c_n", "grad_input", "grad_h0", "grad_c0");

    static Path fixtureDirectory() throws URISyntaxException {
        URL url = TorchEquivalenceTest.class.getResource("/torch/make_fixtures.py");
        if (url == null) throw new IllegalStateException("no torch/ test resources on the class path");
        return Path.of(url.toURI()).getParent();
    }

    static Stream<Named<Path>> fixtures() throws IOException, URISyntaxException {
        List<Path> files;
        try (Stream<Path> s = Files.list(fixtureDirectory())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no fixtures in " + fixtureDirectory() + ": run /usr/bin/python3 make_fixtures.py there");
        }
        return files.stream().map(p -> Named.of(p.getFileName().toString().replace(".safetensors", ""), p));
    }

    // ------------------------------------------------------------------------------------------ the tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void forwardMatchesPyTorch(Path file) {
        TorchFixture f = TorchFixture.read(file);
        Recurrent network = network(f);
        RecurrentOutput out = network.forward(batch(f));

        Checks checks = new Checks(f);
        int steps = (int) f.shape("input")[0];
        int batch = (int) f.shape("input")[1];
        checks.equal("output steps", steps, out.steps());
        checks.equal("output batch", batch, out.batch());
        checks.equal("output width", network.config().outputSize(), out.outputSize());
        checks.compare("output", out.output());
        checks.compare("h_n", out.hN());
        if (f.has("c_n")) checks.compare("c_n", out.cN());
        checks.done();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void backwardMatchesPyTorch(Path file) {
        TorchFixture f = TorchFixture.read(file);
        Recurrent network = network(f);
        network.zeroGrad();
        network.forward(batch(f));
        RecurrentGradients g = network.backward(f.floats("r_output"), f.floats("r_h_n"),
                f.has("r_c_n") ? f.floats("r_c_n") : null);

        Checks checks = new Checks(f);
        checks.compare("grad_input", g.dInput());
        if (f.has("grad_h0")) checks.compare("grad_h0", g.dH0());
        if (f.has("grad_c0")) checks.compare("grad_c0", g.dC0());
        for (Parameter p : network.parameters()) {
            checks.compare("grad." + p.name(), p.grad());
        }
        checks.done();
    }

    /** A swapped gate block or a transposed weight must not be able to pass: every fixture tensor is spread out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureWeightsAreNotDegenerate(Path file) {
        TorchFixture f = TorchFixture.read(file);
        List<String> problems = new ArrayList<>();
        Recurrent network = network(f);
        for (Parameter p : network.parameters()) {
            spread(f.name() + ": " + p.name(), p.value(), problems);
        }
        spread(f.name() + ": input", f.floats("input"), problems);
        for (String state : List.of("h0", "c0")) {
            if (f.has(state)) spread(f.name() + ": " + state, f.floats(state), problems);
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    /** The generator's cases are all there: deleting a fixture must not quietly shrink the coverage. */
    @Test
    void fixturesCoverEveryCellAndEdgeCase() throws IOException, URISyntaxException {
        Set<String> seen = new HashSet<>();
        for (Named<Path> named : fixtures().toList()) {
            TorchFixture f = TorchFixture.read(named.getPayload());
            String mode = f.meta("mode");
            long[] in = f.shape("input");
            long[] h = f.shape("h_n");
            int hidden = f.metaInt("hidden_size");
            int layers = f.metaInt("num_layers");
            boolean bi = f.metaBoolean("bidirectional");
            seen.add(mode);
            if (bi && layers >= 2 && f.has("lengths") && f.has("h0")) seen.add(mode + " bidirectional stacked with lengths and h0");
            if (!f.metaBoolean("bias")) seen.add(mode + " without bias");
            if (mode.equals("LSTM") && layers >= 3 && f.has("c0")) seen.add("LSTM 3 layers with h0 and c0");
            if (in[0] == 1) seen.add("T=1");
            if (in[1] == 1) seen.add("B=1");
            if (hidden == 1) seen.add("H=1");
            assertEquals(h[2], hidden, f.name() + ": h_n width");
        }
        List<String> expected = new ArrayList<>(List.of("T=1", "B=1", "H=1", "LSTM 3 layers with h0 and c0"));
        for (String mode : List.of("LSTM", "GRU", "RNN_TANH", "RNN_RELU")) {
            expected.addAll(List.of(mode, mode + " bidirectional stacked with lengths and h0", mode + " without bias"));
        }
        List<String> missing = expected.stream().filter(e -> !seen.contains(e)).toList();
        assertTrue(missing.isEmpty(), "no fixture for " + missing + " in " + fixtureDirectory());
    }

    /** examples/torch at the repository's root: the bundled demo's PyTorch goldens (F32) hold too. */
    @Test
    void bundledExampleMatchesItsGoldens() {
        Path dir = Path.of(System.getProperty("basedir", "."), "..", "examples", "torch").normalize();
        assertTrue(Files.isRegularFile(dir.resolve("lstm-2x16-bi.safetensors")), "no bundled example in " + dir);
        TorchFixture weights = TorchFixture.read(dir.resolve("lstm-2x16-bi.safetensors"));
        TorchFixture golden = TorchFixture.read(dir.resolve("lstm-2x16-bi-golden.safetensors"));
        Recurrent network = network(weights);
        RecurrentOutput out = network.forward(batch(golden));
        Checks checks = new Checks(golden);
        checks.compare("output", out.output());
        checks.compare("h_n", out.hN());
        checks.compare("c_n", out.cN());
        checks.done();
    }

    // ------------------------------------------------------------------------------------------ building

    /** The network a fixture describes, with its PyTorch weights copied in (exactly: they are F32). */
    static Recurrent network(TorchFixture f) {
        String mode = f.meta("mode");
        CellType type = switch (mode) {
            case "LSTM" -> CellType.LSTM;
            case "GRU" -> CellType.GRU;
            case "RNN_TANH", "RNN_RELU" -> CellType.RNN;
            default -> throw new IllegalStateException(f.name() + ": unknown mode " + mode);
        };
        Nonlinearity nonlinearity = mode.equals("RNN_RELU") ? Nonlinearity.RELU : Nonlinearity.TANH;
        RecurrentConfig config = new RecurrentConfig(type, f.metaInt("input_size"), f.metaInt("hidden_size"),
                f.metaInt("num_layers"), f.metaBoolean("bidirectional"), f.metaBoolean("bias"), nonlinearity,
                GruVariant.RESET_AFTER);
        Recurrent network = new Recurrent(config);
        Set<String> names = new HashSet<>();
        for (Parameter p : network.parameters()) {
            names.add(p.name());
            if (!f.has(p.name())) fail(f.name() + ": the fixture has no " + p.name() + "; it has " + f.names());
            long[] expected = Arrays.stream(p.shape()).asLongStream().toArray();
            if (!Arrays.equals(expected, f.shape(p.name()))) {
                fail(f.name() + ": " + p.name() + " is " + Arrays.toString(f.shape(p.name())) + " in the fixture, "
                        + Arrays.toString(expected) + " in rnn4j");
            }
            p.set(f.floats(p.name()));
        }
        for (String name : f.names()) {
            if (NON_PARAMETERS.contains(name)) continue;
            String parameter = name.startsWith("grad.") ? name.substring("grad.".length()) : name;
            if (!names.contains(parameter)) fail(f.name() + ": the fixture's " + name + " is no parameter of rnn4j's " + names);
        }
        return network;
    }

    /** The fixture's input, lengths, h0 and c0. */
    static SequenceBatch batch(TorchFixture f) {
        long[] shape = f.shape("input");
        int steps = (int) shape[0];
        int batch = (int) shape[1];
        int[] lengths = null;
        if (f.has("lengths")) {
            long[] l = f.longs("lengths");
            lengths = new int[l.length];
            for (int b = 0; b < l.length; b++) lengths[b] = Math.toIntExact(l[b]);
        }
        return new SequenceBatch(f.floats("input"), steps, batch, lengths,
                f.has("h0") ? f.floats("h0") : null, f.has("c0") ? f.floats("c0") : null);
    }

    private static void spread(String what, float[] v, List<String> problems) {
        long distinct = 0;
        Set<Float> values = new HashSet<>();
        double sum = 0;
        for (float x : v) {
            if (values.add(x)) distinct++;
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) sq += (x - mean) * (x - mean);
        double std = Math.sqrt(sq / v.length);
        if (distinct < 0.9 * v.length) problems.add(what + ": only " + distinct + " distinct values of " + v.length);
        if (v.length >= 4 && std <= 0.2) problems.add(what + ": standard deviation " + std + " <= 0.2");
    }

    // ------------------------------------------------------------------------------------------ comparing

    /** Collects every mismatch of one case, so that one failure lists all the tensors that are off. */
    static final class Checks {
        private final TorchFixture fixture;
        private final List<String> failures = new ArrayList<>();

        Checks(TorchFixture fixture) {
            this.fixture = fixture;
        }

        void equal(String what, long expected, long actual) {
            if (expected != actual) failures.add(what + ": expected " + expected + ", got " + actual);
        }

        /** actual against the fixture's tensor of that name. */
        void compare(String tensor, float[] actual) {
            double[] expected = fixture.doubles(tensor);
            long[] shape = fixture.shape(tensor);
            if (actual == null) {
                failures.add(tensor + ": rnn4j returned null, PyTorch has " + Arrays.toString(shape));
                return;
            }
            if (actual.length != expected.length) {
                failures.add(tensor + ": rnn4j has " + actual.length + " values, PyTorch " + expected.length
                        + " " + Arrays.toString(shape));
                return;
            }
            double maxRef = 0;
            for (double e : expected) maxRef = Math.max(maxRef, Math.abs(e));
            double bound = TOLERANCE * (1 + maxRef);
            double worst = -1;
            int at = -1;
            for (int i = 0; i < actual.length; i++) {
                double err = Math.abs(actual[i] - expected[i]);
                if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
                if (err > worst) {
                    worst = err;
                    at = i;
                }
            }
            if (worst > bound) {
                failures.add(String.format(Locale.ROOT,
                        "%s: max |error| %.3g at %s of %s (flat %d): rnn4j %.9g, PyTorch %.9g; tolerance %.3g (max |PyTorch| %.4g)",
                        tensor, worst, index(at, shape), Arrays.toString(shape), at, actual[at], expected[at], bound, maxRef));
            }
        }

        void done() {
            if (!failures.isEmpty()) {
                fail(fixture.name() + " " + fixture.metadata() + " differs from PyTorch:\n  " + String.join("\n  ", failures));
            }
        }

        private static String index(int flat, long[] shape) {
            long[] idx = new long[shape.length];
            long rest = flat;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
            return Arrays.toString(idx);
        }
    }
}
