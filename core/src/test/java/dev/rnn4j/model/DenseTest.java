package dev.rnn4j.model;

import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static dev.rnn4j.layer.GradientAssertions.check;
import static dev.rnn4j.layer.ReferenceFixtures.toDouble;
import static dev.rnn4j.layer.ReferenceFixtures.uniform;
import static dev.rnn4j.model.ModelTestSupport.denseForward;
import static dev.rnn4j.model.ModelTestSupport.dot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseTest {

    private static Dense randomDense(int f, int k, SplittableRandom random) {
        Dense dense = new Dense("head", f, k);
        dense.weight().set(uniform(random, k * f, 0.8));
        dense.bias().set(uniform(random, k, 0.8));
        return dense;
    }

    private static float[] copy(Matrix m) {
        float[] out = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) for (int c = 0; c < m.cols(); c++) out[r * m.cols() + c] = m.get(r, c);
        return out;
    }

    @Test
    void namesShapesAndLayoutFollowNnLinear() {
        Dense dense = new Dense("head", 5, 3);
        assertEquals("head.weight", dense.weight().name());
        assertEquals("head.bias", dense.bias().name());
        assertArrayEquals(new int[] {3, 5}, dense.weight().shape());
        assertArrayEquals(new int[] {3}, dense.bias().shape());
        assertEquals(List.of(dense.weight(), dense.bias()), dense.parameters());
        Dense bare = new Dense("", 2, 2);
        assertEquals("weight", bare.weight().name());
        assertEquals("bias", bare.bias().name());
    }

    @Test
    void forwardMatchesDoubleReference() {
        // small, and large enough for the blocked and ragged GEMM paths
        int[][] shapes = {{7, 5, 3}, {1, 1, 1}, {300, 70, 41}};
        SplittableRandom random = new SplittableRandom(1);
        for (int[] s : shapes) {
            int n = s[0], f = s[1], k = s[2];
            Dense dense = randomDense(f, k, random);
            float[] x = uniform(random, n * f, 1.0);
            Matrix y = dense.forward(Matrix.of(x, n, f));
            assertEquals(n, y.rows());
            assertEquals(k, y.cols());
            assertEquals(n * k, y.data().length, "the workspace is exactly N * K");
            double[] expected = denseForward(toDouble(x), n, f, toDouble(dense.weight().value()), toDouble(dense.bias().value()), k);
            float[] actual = copy(y);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), "y flat " + i + " for " + n + "x" + f + "->" + k);
            }
        }
    }

    /** L = sum(y * R): dW, db and dX against central differences of the double reference. */
    @Test
    void backwardMatchesFiniteDifferences() {
        int n = 9, f = 6, k = 4;
        SplittableRandom random = new SplittableRandom(2);
        Dense dense = randomDense(f, k, random);
        float[] x = uniform(random, n * f, 1.0);
        float[] r = uniform(random, n * k, 1.0);
        dense.zeroGrad();
        dense.forward(Matrix.of(x, n, f));
        float[] dX = copy(dense.backward(Matrix.of(r, n, k)));

        double[] xd = toDouble(x), wd = toDouble(dense.weight().value()), bd = toDouble(dense.bias().value()), rd = toDouble(r);
        DoubleSupplier loss = () -> dot(denseForward(xd, n, f, wd, bd, k), rd);
        List<String> failures = new ArrayList<>();
        SplittableRandom sampler = new SplittableRandom(3);
        check(failures, "weight", wd, dense.weight().grad(), loss, sampler);
        check(failures, "bias", bd, dense.bias().grad(), loss, sampler);
        check(failures, "x", xd, dX, loss, sampler);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void gradientsAccumulateUntilZeroGrad() {
        int n = 4, f = 3, k = 2;
        SplittableRandom random = new SplittableRandom(4);
        Dense dense = randomDense(f, k, random);
        float[] x = uniform(random, n * f, 1.0);
        float[] r = uniform(random, n * k, 1.0);
        dense.zeroGrad();
        dense.forward(Matrix.of(x, n, f));
        dense.backward(Matrix.of(r, n, k));
        float[] w1 = dense.weight().grad().clone(), b1 = dense.bias().grad().clone();
        dense.forward(Matrix.of(x, n, f));
        dense.backward(Matrix.of(r, n, k));
        for (int i = 0; i < w1.length; i++) assertEquals(2 * w1[i], dense.weight().grad()[i], 1e-6f);
        for (int i = 0; i < b1.length; i++) assertEquals(2 * b1[i], dense.bias().grad()[i], 1e-6f);
        dense.zeroGrad();
        for (float g : dense.weight().grad()) assertEquals(0f, g);
        for (float g : dense.bias().grad()) assertEquals(0f, g);
    }

    @Test
    void stridedInputViewGivesTheSameResultsAsADenseCopy() {
        int n = 5, f = 4, k = 3, wide = 9, from = 2;
        SplittableRandom random = new SplittableRandom(5);
        Dense dense = randomDense(f, k, random);
        float[] big = uniform(random, n * wide, 1.0);
        float[] x = new float[n * f];
        for (int row = 0; row < n; row++) System.arraycopy(big, row * wide + from, x, row * f, f);
        float[] r = uniform(random, n * k, 1.0);

        dense.zeroGrad();
        float[] yDense = copy(dense.forward(Matrix.of(x, n, f)));
        float[] dxDense = copy(dense.backward(Matrix.of(r, n, k)));
        float[] gDense = dense.weight().grad().clone();
        dense.zeroGrad();
        float[] yView = copy(dense.forward(Matrix.of(big, n, wide).cols(from, f)));
        float[] dxView = copy(dense.backward(Matrix.of(r, n, k)));
        assertArrayEquals(yDense, yView);
        assertArrayEquals(dxDense, dxView);
        assertArrayEquals(gDense, dense.weight().grad());
    }

    @Test
    void workspacesAreReusedWhileTheShapeRepeats() {
        SplittableRandom random = new SplittableRandom(6);
        Dense dense = randomDense(3, 2, random);
        float[] x = uniform(random, 4 * 3, 1.0);
        float[] r = uniform(random, 4 * 2, 1.0);
        Matrix y1 = dense.forward(Matrix.of(x, 4, 3));
        Matrix d1 = dense.backward(Matrix.of(r, 4, 2));
        Matrix y2 = dense.forward(Matrix.of(x, 4, 3));
        Matrix d2 = dense.backward(Matrix.of(r, 4, 2));
        assertSame(y1.data(), y2.data());
        assertSame(d1.data(), d2.data());
        Matrix y3 = dense.forward(Matrix.of(x, 2, 3));
        assertEquals(2 * 2, y3.data().length);
    }

    @Test
    void badShapesAndOrderAreRejected() {
        Dense dense = new Dense("d", 3, 2);
        assertThrows(IllegalStateException.class, () -> dense.backward(Matrix.of(new float[2], 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> dense.forward(Matrix.of(new float[8], 2, 4)));
        dense.forward(Matrix.of(new float[6], 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dense.backward(Matrix.of(new float[6], 3, 2)));
        assertTrue(e.getMessage().contains("3x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense("d", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dense("d", 2, 0));
    }
}
