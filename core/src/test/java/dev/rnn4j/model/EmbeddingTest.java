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
import static dev.rnn4j.model.ModelTestSupport.dot;
import static dev.rnn4j.model.ModelTestSupport.embeddingForward;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingTest {

    private static Embedding randomEmbedding(int v, int e, SplittableRandom random) {
        Embedding embedding = new Embedding("embedding", v, e);
        embedding.weight().set(uniform(random, v * e, 1.0));
        return embedding;
    }

    @Test
    void namesAndShapesFollowNnEmbedding() {
        Embedding embedding = new Embedding("embedding", 7, 3);
        assertEquals("embedding.weight", embedding.weight().name());
        assertArrayEquals(new int[] {7, 3}, embedding.weight().shape());
        assertEquals(List.of(embedding.weight()), embedding.parameters());
        assertEquals("weight", new Embedding("", 2, 2).weight().name());
    }

    @Test
    void forwardReturnsTheTableRowsOfTheIds() {
        SplittableRandom random = new SplittableRandom(1);
        int v = 6, e = 4;
        Embedding embedding = randomEmbedding(v, e, random);
        int[] ids = {5, 0, 3, 3, 1};
        Matrix rows = embedding.forward(ids);
        assertEquals(ids.length, rows.rows());
        assertEquals(e, rows.cols());
        assertEquals(ids.length * e, rows.data().length);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < e; j++) assertEquals(embedding.weight().value()[ids[i] * e + j], rows.get(i, j));
        }
    }

    /** L = sum(rows * R) with repeated ids: the scatter-add against the hand sum and central differences. */
    @Test
    void backwardScatterAddsAndMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(2);
        int v = 5, e = 3;
        Embedding embedding = randomEmbedding(v, e, random);
        int[] ids = {4, 1, 4, 0, 2, 4, 3, 1};
        float[] r = uniform(random, ids.length * e, 1.0);
        embedding.zeroGrad();
        embedding.forward(ids);
        embedding.backward(Matrix.of(r, ids.length, e));

        float[] expected = new float[v * e];
        for (int i = 0; i < ids.length; i++) for (int j = 0; j < e; j++) expected[ids[i] * e + j] += r[i * e + j];
        assertArrayEquals(expected, embedding.weight().grad(), 1e-6f);

        double[] table = toDouble(embedding.weight().value()), rd = toDouble(r);
        DoubleSupplier loss = () -> dot(embeddingForward(ids, table, e), rd);
        List<String> failures = new ArrayList<>();
        check(failures, "embedding.weight", table, embedding.weight().grad(), loss, new SplittableRandom(3));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void idsAreCopiedAndGradientsAccumulate() {
        SplittableRandom random = new SplittableRandom(4);
        Embedding embedding = randomEmbedding(4, 2, random);
        int[] ids = {0, 3};
        float[] r = {1, 2, 3, 4};
        embedding.zeroGrad();
        embedding.forward(ids);
        ids[0] = 1; // the caller reuses its array: backward still scatters into row 0
        embedding.backward(Matrix.of(r, 2, 2));
        embedding.backward(Matrix.of(r, 2, 2));
        assertArrayEquals(new float[] {2, 4, 0, 0, 0, 0, 6, 8}, embedding.weight().grad());
        embedding.zeroGrad();
        assertArrayEquals(new float[8], embedding.weight().grad());
    }

    @Test
    void stridedGradientView() {
        Embedding embedding = randomEmbedding(3, 2, new SplittableRandom(5));
        embedding.zeroGrad();
        embedding.forward(new int[] {2, 2});
        float[] wide = {9, 1, 2, 9, 9, 3, 4, 9};
        embedding.backward(Matrix.of(wide, 2, 4).cols(1, 2));
        assertArrayEquals(new float[] {0, 0, 0, 0, 4, 6}, embedding.weight().grad());
    }

    @Test
    void workspaceIsReusedWhileTheLengthRepeats() {
        Embedding embedding = randomEmbedding(3, 2, new SplittableRandom(6));
        float[] first = embedding.forward(new int[] {0, 1, 2}).data();
        assertSame(first, embedding.forward(new int[] {2, 1, 0}).data());
    }

    @Test
    void outOfRangeIdsNameThePositionAndTheId() {
        Embedding embedding = new Embedding("embedding", 5, 2);
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> embedding.forward(new int[] {0, 1, 4, 5, 2}));
        assertTrue(high.getMessage().contains("token id 5 at position 3"), high.getMessage());
        assertTrue(high.getMessage().contains("0..4"), high.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> embedding.forward(new int[] {-1}));
        assertTrue(negative.getMessage().contains("token id -1 at position 0"), negative.getMessage());
        assertThrows(IllegalStateException.class, () -> new Embedding("e", 2, 2).backward(Matrix.of(new float[2], 1, 2)));
        embedding.forward(new int[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> embedding.backward(Matrix.of(new float[6], 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding("e", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Embedding("e", 2, 0));
    }
}
