package dev.rnn4j.bench;

import dev.rnn4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The floors under a streaming step (docs/benchmarks.md, goal 5): what one core takes to read the weights of an
 * LSTM step at I = 32, H = 128 from its cache, and what handing work to the pool's other thread and waiting for it
 * costs. No rnn4j kernel can beat these.
 * <ul>
 *   <li>{@link #readFloats}: the 320 KB of fp32 W_ih and W_hh summed with four accumulators, nothing else;</li>
 *   <li>{@link #readBf16Pairs}: the same weights as bf16 (160 KB), two to an int, widened by a shift and a mask;</li>
 *   <li>{@link #emptyTwoThreadLoop}: {@link Parallel#forRange} with two chunks that do nothing.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class MachineLimitsBenchmark {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
    /** Floats of W_ih and W_hh at I = 32, H = 128: 4H x (I + H). */
    private static final int WEIGHTS = 4 * 128 * (32 + 128);

    private float[] weights;    // [4H * (I + H)] fp32
    private int[] bf16Pairs;    // [4H * (I + H) / 2] two bf16 per int: low half one weight, high half the next
    private Parallel.RangeBody nothing;

    @Setup
    public void setUp() {
        weights = Shape.uniform(5, WEIGHTS);
        bf16Pairs = new int[WEIGHTS / 2];
        for (int i = 0; i < bf16Pairs.length; i++) {
            int low = Float.floatToRawIntBits(weights[2 * i]) >>> 16, high = Float.floatToRawIntBits(weights[2 * i + 1]) >>> 16;
            bf16Pairs[i] = low | high << 16;
        }
        Parallel.setThreads(2);
        nothing = (from, to) -> { };
    }

    @Benchmark
    public float readFloats() {
        FloatVector s0 = FloatVector.zero(FLOATS), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < weights.length; i += 4 * FLOATS.length()) {
            s0 = s0.add(FloatVector.fromArray(FLOATS, weights, i));
            s1 = s1.add(FloatVector.fromArray(FLOATS, weights, i + FLOATS.length()));
            s2 = s2.add(FloatVector.fromArray(FLOATS, weights, i + 2 * FLOATS.length()));
            s3 = s3.add(FloatVector.fromArray(FLOATS, weights, i + 3 * FLOATS.length()));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float readBf16Pairs() {
        FloatVector s0 = FloatVector.zero(FLOATS), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < bf16Pairs.length; i += 2 * INTS.length()) {
            IntVector v0 = IntVector.fromArray(INTS, bf16Pairs, i), v1 = IntVector.fromArray(INTS, bf16Pairs, i + INTS.length());
            // low half: shift it up; high half: clear the low one (two shifts: and() with a constant boxed here)
            s0 = s0.add(v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats());
            s1 = s1.add(v0.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats());
            s2 = s2.add(v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats());
            s3 = s3.add(v1.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats());
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public void emptyTwoThreadLoop() {
        Parallel.forRange(2, 1, nothing);
    }
}
