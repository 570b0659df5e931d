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
 * The GEMMs of one LSTM layer (G = 4 gates) at the grid's shapes, as {@code Recurrence} calls them:
 * <ul>
 *   <li>{@link #inputProjection}: [T*B, I] x W_ih[4H, I]^T, once per forward pass;</li>
 *   <li>{@link #recurrentStep}: h_{t-1}[B, H] x W_hh[4H, H]^T, once per time step, W_hh packed on every call;</li>
 *   <li>{@link #recurrentStepPacked}: the same product with W_hh packed once ({@link Gemm#pack});</li>
 *   <li>{@link #hiddenGradient}: dG[B, 4H] x W_hh[4H, H] (dL/dh_{t-1}), once per time step of the backward pass;</li>
 *   <li>{@link #recurrentWeightGradient}: dG[T*B, 4H]^T x H[T*B, H] (dW_hh), once per backward pass;</li>
 *   <li>{@link #inputWeightGradient}: dG[T*B, 4H]^T x X[T*B, I] (dW_ih), once per backward pass.</li>
 * </ul>
 * Results are microseconds per call; FLOPs per call are 2 M N K.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {
    @Param({"S", "M", "L"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Matrix input;        // X [T*B, I]
    private Matrix weightIh;     // [4H, I]
    private Matrix weightHh;     // [4H, H]
    private Gemm.PackedMatrix packedHh; // W_hh^T packed
    private Matrix projection;   // [T*B, 4H]
    private Matrix state;        // h_{t-1} [B, H]
    private Matrix stepGates;    // [B, 4H]
    private Matrix stepGateGrad; // dG of one step [B, 4H]
    private Matrix hiddenGrad;   // [B, H]
    private Matrix allGateGrads; // dG [T*B, 4H]
    private Matrix allStates;    // [T*B, H]
    private Matrix gradHh;       // [4H, H]
    private Matrix gradIh;       // [4H, I]

    @Setup
    public void setUp() {
        Shape s = Shape.valueOf(shape);
        int rows = s.steps * s.batch, g = 4 * s.hidden;
        Parallel.setThreads(threads);
        input = Matrix.of(Shape.uniform(1, rows * s.input), rows, s.input);
        weightIh = Matrix.of(Shape.uniform(2, g * s.input), g, s.input);
        weightHh = Matrix.of(Shape.uniform(3, g * s.hidden), g, s.hidden);
        packedHh = Gemm.pack(weightHh, Op.T);
        projection = Matrix.of(new float[rows * g], rows, g);
        state = Matrix.of(Shape.uniform(4, s.batch * s.hidden), s.batch, s.hidden);
        stepGates = Matrix.of(new float[s.batch * g], s.batch, g);
        stepGateGrad = Matrix.of(Shape.uniform(5, s.batch * g), s.batch, g);
        hiddenGrad = Matrix.of(new float[s.batch * s.hidden], s.batch, s.hidden);
        allGateGrads = Matrix.of(Shape.uniform(6, rows * g), rows, g);
        allStates = Matrix.of(Shape.uniform(7, rows * s.hidden), rows, s.hidden);
        gradHh = Matrix.of(new float[g * s.hidden], g, s.hidden);
        gradIh = Matrix.of(new float[g * s.input], g, s.input);
    }

    @Benchmark
    public Matrix inputProjection() {
        Gemm.multiply(1f, input, Op.N, weightIh, Op.T, 0f, projection);
        return projection;
    }

    @Benchmark
    public Matrix recurrentStep() {
        Gemm.multiply(1f, state, Op.N, weightHh, Op.T, 0f, stepGates);
        return stepGates;
    }

    @Benchmark
    public Matrix recurrentStepPacked() {
        Gemm.multiply(1f, state, Op.N, packedHh, 0f, stepGates);
        return stepGates;
    }

    @Benchmark
    public Matrix hiddenGradient() {
        Gemm.multiply(1f, stepGateGrad, Op.N, weightHh, Op.N, 1f, hiddenGrad);
        return hiddenGrad;
    }

    @Benchmark
    public Matrix recurrentWeightGradient() {
        Gemm.multiply(1f, allGateGrads, Op.T, allStates, Op.N, 1f, gradHh);
        return gradHh;
    }

    @Benchmark
    public Matrix inputWeightGradient() {
        Gemm.multiply(1f, allGateGrads, Op.T, input, Op.N, 1f, gradIh);
        return gradIh;
    }
}
