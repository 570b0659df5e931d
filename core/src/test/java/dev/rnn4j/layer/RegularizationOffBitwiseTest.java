package dev.rnn4j.layer;

import dev.rnn4j.layer.ReferenceFixtures.Cell;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With all regularisation off, results are bit for bit those of rnn4j before regularisation existed: the
 * fingerprints below (a hash over the raw bits of every output and gradient of one forward + backward pass, and of
 * a short stream) were recorded on the code of commit 3c52e56, before any regularisation code was written. A
 * network built with {@link Regularization#NONE} explicitly, or with dropout probabilities in inference mode, or in
 * training mode with every probability 0, must reproduce them.
 *
 * <p>The production arithmetic does not depend on the vector width (GEMM sums each element over k in order, the
 * activations are lanewise from IEEE add, multiply and fma), so the fingerprints hold on any machine; they assume
 * one kernel thread, the default.
 */
class RegularizationOffBitwiseTest {

    /** Recorded on commit 3c52e56 (pre-regularisation) with {@link #fingerprint}, one per cell in enum order. */
    private static final long[] PASS_FINGERPRINTS = {
            -1135324635516264603L, 5200388704044550481L, 5910244751007287665L, -5816597307326919682L, -5201904820283019182L};
    private static final long[] STREAM_FINGERPRINTS = {
            -7297720119753600394L, -7228979441939432818L, -2896493851502067209L, 7076219364098440960L, 1095987117419743292L};

    static List<Arguments> cellsAndVariants() {
        List<Arguments> args = new ArrayList<>();
        for (Cell cell : Cell.values()) for (NetworkVariant v : NetworkVariant.values()) args.add(Arguments.of(cell, v));
        return args;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cellsAndVariants")
    void noRegularizationReproducesThePreRegularizationBits(Cell cell, NetworkVariant variant) {
        assertEquals(PASS_FINGERPRINTS[cell.ordinal()], fingerprint(cell, variant),
                cell + ": forward + backward fingerprint of a " + variant + " network");
        assertEquals(STREAM_FINGERPRINTS[cell.ordinal()], streamFingerprint(cell, variant),
                cell + ": streaming fingerprint of a " + variant + " network");
    }

    /** How the network under test is set up; every variant must compute exactly what PLAIN computes. */
    enum NetworkVariant {
        /** Built as before regularisation existed. */
        PLAIN,
        /** Built with {@code .regularization(Regularization.NONE)}. */
        NONE_EXPLICIT,
        /** Input, layer and recurrent dropout 0.5, in inference mode (the default). */
        DROPOUT_AT_INFERENCE,
        /** In training mode, with every probability 0 (nothing is random, so nothing may change). */
        TRAINING_WITHOUT_REGULARIZATION,
        /** Dropout set, then training on, then off again and the regularisation reset to NONE. */
        SWITCHED_BACK
    }

    static Recurrent network(Cell cell, NetworkVariant variant, int layers, boolean bidirectional) {
        Regularization dropout = Regularization.builder().inputDropout(0.5).layerDropout(0.5).recurrentDropout(0.5).build();
        Recurrent net = switch (variant) {
            case PLAIN, TRAINING_WITHOUT_REGULARIZATION, SWITCHED_BACK -> cell.build(3, 5, layers, bidirectional, true);
            case NONE_EXPLICIT -> cell.build(3, 5, layers, bidirectional, true, Regularization.NONE);
            case DROPOUT_AT_INFERENCE -> cell.build(3, 5, layers, bidirectional, true, dropout);
        };
        ReferenceFixtures.randomize(net, new SplittableRandom(4242 + cell.ordinal()));
        if (variant == NetworkVariant.TRAINING_WITHOUT_REGULARIZATION) net.setTraining(true);
        if (variant == NetworkVariant.SWITCHED_BACK) {
            net.setRegularization(dropout);
            net.setTraining(true);
            net.forward(SequenceBatch.of(new float[2 * 3 * 3], 2, 3)); // a pass that drops out
            net.setTraining(false);
            net.setRegularization(Regularization.NONE);
        }
        return net;
    }

    /** Forward + backward of a 2-layer bidirectional network over a batch with lengths and an initial state. */
    static long fingerprint(Cell cell, NetworkVariant variant) {
        Recurrent net = network(cell, variant, 2, true);
        RecurrentConfig c = net.config();
        int steps = 6, batch = 4, states = c.layers() * c.directions() * batch * c.hiddenSize();
        SplittableRandom random = new SplittableRandom(99 + cell.ordinal());
        float[] x = ReferenceFixtures.uniform(random, steps * batch * c.inputSize(), 1);
        float[] h0 = ReferenceFixtures.uniform(random, states, 0.8);
        float[] c0 = cell.lstm() ? ReferenceFixtures.uniform(random, states, 0.8) : null;
        float[] r = ReferenceFixtures.uniform(random, steps * batch * c.outputSize(), 1);
        float[] rh = ReferenceFixtures.uniform(random, states, 1);
        float[] rc = cell.lstm() ? ReferenceFixtures.uniform(random, states, 1) : null;
        SequenceBatch data = new SequenceBatch(x, steps, batch, new int[] {4, 6, 1, 5}, h0, c0);
        ReferenceFixtures.Run run = ReferenceFixtures.run(net, data, r, rh, rc);
        long hash = 17;
        hash = mix(hash, run.output());
        hash = mix(hash, run.hN());
        hash = mix(hash, run.cN());
        hash = mix(hash, run.dInput());
        hash = mix(hash, run.dH0());
        hash = mix(hash, run.dC0());
        for (Parameter p : net.parameters()) hash = mix(hash, run.grads().get(p.name()));
        return hash;
    }

    /** Seven streaming steps of a 2-layer unidirectional network. */
    static long streamFingerprint(Cell cell, NetworkVariant variant) {
        Recurrent net = network(cell, variant, 2, false);
        int batch = 2, in = net.config().inputSize();
        RecurrentStream stream = new RecurrentStream(net, batch);
        SplittableRandom random = new SplittableRandom(7 + cell.ordinal());
        long hash = 31;
        for (int step = 0; step < 7; step++) hash = mix(hash, stream.step(ReferenceFixtures.uniform(random, batch * in, 1)));
        hash = mix(hash, stream.hiddenState());
        hash = mix(hash, stream.cellState());
        return hash;
    }

    static long mix(long hash, float[] values) {
        if (values == null) return hash * 0x9E3779B97F4A7C15L + 1;
        for (float v : values) hash = (hash ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
        return hash * 0x9E3779B97F4A7C15L + values.length;
    }
}
