package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {
    static final int N = 5;
    static final int K = 3;

    static float[] random(Random rnd, int size, double scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    static Targets valueTargets(Random rnd) {
        float[] t = new float[N * K];
        for (int i = 0; i < t.length; i++) t[i] = rnd.nextFloat();   // in [0, 1): valid for BCE too
        return Targets.values(t);
    }

    static Targets classTargets() {
        return Targets.classes(new int[]{2, 0, SoftmaxCrossEntropy.IGNORE, 1, 2});
    }

    /** Every loss with targets that suit it. */
    record Case(Loss loss, Targets targets) {}

    static List<Case> cases(Random rnd) {
        return List.of(new Case(new MeanSquaredError(), valueTargets(rnd)), new Case(new MeanAbsoluteError(), valueTargets(rnd)),
                new Case(new Huber(0.5), valueTargets(rnd)), new Case(new BinaryCrossEntropy(), valueTargets(rnd)),
                new Case(new SoftmaxCrossEntropy(), classTargets()));
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        Random rnd = new Random(11);
        float[] mask = {1, 1, 0, 1, 1};
        for (Case c : cases(rnd)) {
            for (Targets targets : List.of(c.targets(), c.targets().withMask(mask))) {
                float[] x = random(rnd, N * K, 1.5);
                float[] g = new float[N * K];
                c.loss().lossAndGradient(Matrix.of(x, N, K), targets, Matrix.of(g, N, K));
                int checked = 0;
                for (int i = 0; i < x.length; i++) {
                    float saved = x[i];
                    float up = saved + 1e-3f;
                    float down = saved - 1e-3f;
                    x[i] = up;
                    double lossUp = c.loss().loss(Matrix.of(x, N, K), targets);
                    x[i] = down;
                    double lossDown = c.loss().loss(Matrix.of(x, N, K), targets);
                    x[i] = saved;
                    if (isNearKink(c, targets, x, i)) continue;
                    double numeric = (lossUp - lossDown) / ((double) up - down);
                    // softmax takes exp in float lanes (as PyTorch does), so its loss carries float rounding into the difference
                    double tolerance = c.loss() instanceof SoftmaxCrossEntropy ? 1e-5 : 2e-6;
                    assertEquals(numeric, g[i], tolerance, c.loss() + " element " + i + (targets.rowMask() != null ? " masked" : ""));
                    checked++;
                }
                assertTrue(checked >= x.length - 2, c.loss() + ": only " + checked + " elements checked");
            }
        }
    }

    /** MAE and Huber have kinks where a central difference is wrong; skip elements within 2e-3 of one. */
    private static boolean isNearKink(Case c, Targets targets, float[] x, int i) {
        if (targets.values() == null) return false;
        double d = x[i] - targets.values()[i];
        if (c.loss() instanceof MeanAbsoluteError) return Math.abs(d) < 2e-3;
        if (c.loss() instanceof Huber h) return Math.abs(Math.abs(d) - h.delta()) < 2e-3;
        return false;
    }

    @Test
    void maskedRowsAreNeitherReadNorCountedAndGetZeroGradient() {
        Random rnd = new Random(5);
        for (Case c : cases(rnd)) {
            float[] x = random(rnd, N * K, 1);
            float[] mask = {1, 0, 1, 1, 0};
            float[] g = new float[N * K];
            double masked = c.loss().lossAndGradient(Matrix.of(x, N, K), c.targets().withMask(mask), Matrix.of(g, N, K));

            // the same loss on the counted rows alone
            int[] rows = {0, 2, 3};
            float[] xs = new float[rows.length * K];
            float[] gs = new float[rows.length * K];
            for (int r = 0; r < rows.length; r++) System.arraycopy(x, rows[r] * K, xs, r * K, K);
            Targets sub;
            if (c.targets().hasClasses()) {
                int[] cls = new int[rows.length];
                for (int r = 0; r < rows.length; r++) cls[r] = c.targets().classes()[rows[r]];
                sub = Targets.classes(cls);
            } else {
                float[] v = new float[rows.length * K];
                for (int r = 0; r < rows.length; r++) System.arraycopy(c.targets().values(), rows[r] * K, v, r * K, K);
                sub = Targets.values(v);
            }
            double selected = c.loss().lossAndGradient(Matrix.of(xs, rows.length, K), sub, Matrix.of(gs, rows.length, K));
            assertEquals(selected, masked, 1e-12, c.loss().toString());
            for (int r = 0; r < rows.length; r++) {
                assertArrayEquals(Arrays.copyOfRange(gs, r * K, r * K + K), Arrays.copyOfRange(g, rows[r] * K, rows[r] * K + K),
                        c.loss() + " row " + rows[r]);
            }
            for (int r : new int[]{1, 4}) {
                assertArrayEquals(new float[K], Arrays.copyOfRange(g, r * K, r * K + K), c.loss() + " masked row " + r);
            }

            // padding may hold anything, NaN included
            for (int c2 = 0; c2 < K; c2++) x[K + c2] = Float.NaN;
            if (!c.targets().hasClasses()) c.targets().values()[4 * K] = Float.NaN;
            double withNaN = c.loss().lossAndGradient(Matrix.of(x, N, K), c.targets().withMask(mask), Matrix.of(g, N, K));
            assertEquals(masked, withNaN, 0.0, c.loss() + " read a masked row");
        }
    }

    @Test
    void allRowsMaskedGivesZeroLossAndZeroGradientNotNaN() {
        Random rnd = new Random(3);
        for (Case c : cases(rnd)) {
            float[] g = new float[N * K];
            Arrays.fill(g, 7f);
            double loss = c.loss().lossAndGradient(Matrix.of(random(rnd, N * K, 1), N, K),
                    c.targets().withMask(new float[N]), Matrix.of(g, N, K));
            assertEquals(0.0, loss, 0.0, c.loss().toString());
            assertArrayEquals(new float[N * K], g, c.loss().toString());
        }
        float[] g = new float[2 * K];
        Arrays.fill(g, 7f);
        double loss = new SoftmaxCrossEntropy().lossAndGradient(Matrix.of(new float[2 * K], 2, K),
                Targets.classes(new int[]{SoftmaxCrossEntropy.IGNORE, SoftmaxCrossEntropy.IGNORE}), Matrix.of(g, 2, K));
        assertEquals(0.0, loss, 0.0, "every row ignored");
        assertArrayEquals(new float[2 * K], g);
    }

    @Test
    void extremeLogitsGiveFiniteLossesAndGradients() {
        float[] x = {100, -100, 0, -100, -100, 100, 100, 100, 100};
        float[] g = new float[9];
        double ce = new SoftmaxCrossEntropy().lossAndGradient(Matrix.of(x, 3, 3), Targets.classes(new int[]{1, 0, 2}), Matrix.of(g, 3, 3));
        // row 0: logsumexp ~ 100 and the target's logit -100: 200; row 1: 200; row 2: log 3
        assertEquals((200 + 200 + Math.log(3)) / 3, ce, 1e-9);
        for (float v : g) assertTrue(Float.isFinite(v));
        assertEquals(-1.0 / 3, g[1], 1e-7);

        float[] t = {0, 1, 0, 1, 0, 1, 1, 1, 1};
        double bce = new BinaryCrossEntropy().lossAndGradient(Matrix.of(x, 3, 3), Targets.values(t), Matrix.of(g, 3, 3));
        double expected = (100 + 100 + Math.log(2) + 100 + 0 + 0 + 0 + 0 + 0) / 9;   // up to exp(-100) terms
        assertEquals(expected, bce, 1e-9);
        for (float v : g) assertTrue(Float.isFinite(v));
    }

    @Test
    void worksOnStridedViews() {
        Random rnd = new Random(9);
        float[] dense = random(rnd, N * K, 1);
        float[] wide = new float[1 + N * (K + 2)];
        for (int r = 0; r < N; r++) System.arraycopy(dense, r * K, wide, 1 + r * (K + 2), K);
        float[] gDense = new float[N * K];
        float[] gWide = new float[N * (K + 4)];
        Arrays.fill(gWide, 5f);
        for (Case c : cases(rnd)) {
            double a = c.loss().lossAndGradient(Matrix.of(dense, N, K), c.targets(), Matrix.of(gDense, N, K));
            double b = c.loss().lossAndGradient(new Matrix(wide, 1, N, K, K + 2), c.targets(), new Matrix(gWide, 2, N, K, K + 4));
            assertEquals(a, b, 0.0, c.loss().toString());
            for (int r = 0; r < N; r++) {
                for (int col = 0; col < K; col++) assertEquals(gDense[r * K + col], gWide[2 + r * (K + 4) + col]);
                assertEquals(5f, gWide[r * (K + 4)], "outside the view");
            }
        }
    }

    @Test
    void knownValues() {
        float[] p = {1, 2, 3, 4};
        Targets t = Targets.values(new float[]{1, 0, 5, 4.25f});
        float[] g = new float[4];
        assertEquals((0 + 4 + 4 + 0.0625) / 4, new MeanSquaredError().lossAndGradient(Matrix.of(p, 2, 2), t, Matrix.of(g, 2, 2)), 1e-12);
        assertArrayEquals(new float[]{0, 1, -1, -0.125f}, g);
        assertEquals((0 + 2 + 2 + 0.25) / 4, new MeanAbsoluteError().lossAndGradient(Matrix.of(p, 2, 2), t, Matrix.of(g, 2, 2)), 1e-12);
        assertArrayEquals(new float[]{0, 0.25f, -0.25f, -0.25f}, g, "sign, 0 where equal");
        // Huber(1): 0, 1*(2-0.5), 1.5, 0.5*0.25^2
        assertEquals((0 + 1.5 + 1.5 + 0.03125) / 4, new Huber(1).lossAndGradient(Matrix.of(p, 2, 2), t, Matrix.of(g, 2, 2)), 1e-12);
        assertArrayEquals(new float[]{0, 0.25f, -0.25f, -0.0625f}, g);
        assertEquals(Math.log(2), new BinaryCrossEntropy().loss(Matrix.of(new float[]{0}, 1, 1), Targets.values(new float[]{1})), 1e-15);
        assertEquals(Math.log(4), new SoftmaxCrossEntropy().loss(Matrix.of(new float[4], 1, 4), Targets.classes(new int[]{3})), 1e-15);
    }

    @Test
    void rejectsBadShapesClassIdsAndMasksWithClearMessages() {
        Matrix x = Matrix.of(new float[N * K], N, K);
        Matrix g = Matrix.of(new float[N * K], N, K);
        Loss mse = new MeanSquaredError();
        Loss ce = new SoftmaxCrossEntropy();
        assertMessage(IllegalArgumentException.class, "14", () -> mse.lossAndGradient(x, Targets.values(new float[14]), g));
        assertMessage(IllegalArgumentException.class, "class ids", () -> mse.lossAndGradient(x, classTargets(), g));
        assertMessage(IllegalArgumentException.class, "needs class ids", () -> ce.lossAndGradient(x, Targets.values(new float[N * K]), g));
        assertMessage(IllegalArgumentException.class, "class id 3 at row 4",
                () -> ce.lossAndGradient(x, Targets.classes(new int[]{0, 1, 2, 0, 3}), g));
        assertMessage(IllegalArgumentException.class, "class id -1 at row 0",
                () -> ce.lossAndGradient(x, Targets.classes(new int[]{-1, 1, 2, 0, 1}), g));
        assertMessage(IllegalArgumentException.class, "4 entries",
                () -> ce.lossAndGradient(x, Targets.classes(new int[]{0, 1, 2, 0}), g));
        assertMessage(IllegalArgumentException.class, "gradient is 5 x 2",
                () -> mse.lossAndGradient(x, Targets.values(new float[N * K]), Matrix.of(new float[10], N, 2)));
        assertMessage(IllegalArgumentException.class, "row mask has 4",
                () -> mse.lossAndGradient(x, Targets.values(new float[N * K]).withMask(new float[4]), g));
        assertMessage(IllegalArgumentException.class, "rowMask[1] is 0.5",
                () -> Targets.values(new float[1]).withMask(new float[]{1, 0.5f}));
        assertMessage(IllegalArgumentException.class, "exactly one", () -> new Targets(new float[1], new int[1], null));
        assertMessage(IllegalArgumentException.class, "delta", () -> new Huber(0));
        // a masked row's class id is not read
        assertEquals(Math.log(K), ce.loss(x, Targets.classes(new int[]{0, 1, 2, 0, 99}).withMask(new float[]{1, 1, 1, 1, 0})), 1e-12);
    }

    @Test
    void maskFromLengthsIsTimeMajor() {
        // 3 steps, batch of 2 with lengths 3 and 1: rows (t=0,b=0) (0,1) (1,0) (1,1) (2,0) (2,1)
        assertArrayEquals(new float[]{1, 1, 1, 0, 1, 0}, Targets.maskFromLengths(3, new int[]{3, 1}));
        assertMessage(IllegalArgumentException.class, "lengths[1] is 4", () -> Targets.maskFromLengths(3, new int[]{1, 4}));
    }

    static void assertMessage(Class<? extends Throwable> type, String part, org.junit.jupiter.api.function.Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
