package dev.rnn4j.bench;

import dev.rnn4j.tensor.Gemm;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Op;
import dev.rnn4j.tensor.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The recurrent step of an LSTM at small batches (streaming, B = 1..8): h[B, H] x W_hh[4H, H]^T, with W_hh packed on
 * every call ({@link #step}) or once ({@link #stepPacked}), and the backward product dG[B, 4H] x W_hh[4H, H]
 * ({@link #hiddenGradient}, B read in place); and packing W_hh again ({@link #repack}), as every forward pass does.
 * Packed products of few rows and repacking split over {@code threads} by the bytes of W_hh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SmallBatchBenchmark {
    @Param({"1", "2", "4", "8"})
    public int batch;

    @Param({"128", "256", "512"})
    public int hidden;

    /** Pool threads ({@link Parallel#setThreads}); a packed product of few rows splits by the bytes of W_hh. */
    @Param({"1"})
    public int threads;

    private Matrix state;       // [B, H]
    private Matrix weightHh;    // [4H, H]
    private Gemm.PackedMatrix packedHh;
    private Matrix gates;       // [B, 4H]
    private Matrix gateGrad;    // [B, 4H]
    private Matrix hiddenGrad;  // [B, H]

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        int g = 4 * hidden;
        state = Matrix.of(Shape.uniform(1, batch * hidden), batch, hidden);
        weightHh = Matrix.of(Shape.uniform(2, g * hidden), g, hidden);
        packedHh = Gemm.pack(weightHh, Op.T);
        gates = Matrix.of(new float[batch * g], batch, g);
        gateGrad = Matrix.of(Shape.uniform(3, batch * g), batch, g);
        hiddenGrad = Matrix.of(new float[batch * hidden], batch, hidden);
    }

    @Benchmark
    public Matrix step() {
        Gemm.multiply(1f, state, Op.N, weightHh, Op.T, 0f, gates);
        return gates;
    }

    @Benchmark
    public Matrix stepPacked() {
        Gemm.multiply(1f, state, Op.N, packedHh, 0f, gates);
        return gates;
    }

    @Benchmark
    public Gemm.PackedMatrix repack() {
        packedHh.repack(weightHh, Op.T);
        return packedHh;
    }

    @Benchmark
    public Matrix hiddenGradient() {
        Gemm.multiply(1f, gateGrad, Op.N, weightHh, Op.N, 0f, hiddenGrad);
        return hiddenGrad;
    }
}
