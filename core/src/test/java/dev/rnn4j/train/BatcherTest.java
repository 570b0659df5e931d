package dev.rnn4j.train;

import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.ModelInput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatcherTest {

    /** Example i has i % 5 + 1 steps, features (i, step) and per-step values 10 i + step. */
    private static Dataset perStep(int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int steps = i % 5 + 1;
            float[] x = new float[steps * 2], y = new float[steps];
            for (int s = 0; s < steps; s++) {
                x[s * 2] = i;
                x[s * 2 + 1] = s;
                y[s] = 10 * i + s;
            }
            examples.add(Example.ofFeatures(x, steps).withStepValues(y));
        }
        return Dataset.of(examples);
    }

    @Test
    void padsTimeMajorWithLengthsAndMasksPerStepTargets() {
        Batcher batcher = Batcher.of(perStep(5), 3);
        Batch batch = batcher.collate(new int[] {1, 3, 0}); // 2, 4 and 1 steps
        ModelInput in = batch.input();
        assertEquals(4, in.steps());
        assertEquals(3, in.batch());
        assertArrayEquals(new int[] {2, 4, 1}, in.lengths());
        // step 1 of sequence 1 (example 3) sits at row 1 * 3 + 1
        assertEquals(3f, in.features()[(1 * 3 + 1) * 2]);
        assertEquals(1f, in.features()[(1 * 3 + 1) * 2 + 1]);
        // padding is zero: example 0 has one step
        assertEquals(0f, in.features()[(1 * 3 + 2) * 2]);
        Targets t = batch.targets();
        assertEquals(4 * 3, t.values().length);
        assertEquals(31f, t.values()[1 * 3 + 1]);
        assertArrayEquals(Targets.maskFromLengths(4, new int[] {2, 4, 1}), t.rowMask());
        assertEquals(0f, t.rowMask()[1 * 3 + 2]);
    }

    @Test
    void equalLengthsNeedNoLengthsOrMask() {
        Batch batch = Batcher.of(perStep(10), 2).collate(new int[] {2, 7}); // both 3 steps
        assertNull(batch.input().lengths());
        assertNull(batch.targets().rowMask());
    }

    @Test
    void perSequenceClassesAndTokens() {
        Dataset data = Dataset.of(List.of(Example.ofTokens(new int[] {4, 5, 6}).withClass(1),
                Example.ofTokens(new int[] {7}).withClass(0)));
        Batch batch = Batcher.of(data, 2).collate(new int[] {0, 1});
        assertArrayEquals(new int[] {4, 7, 5, 0, 6, 0}, batch.input().tokens());
        assertArrayEquals(new int[] {3, 1}, batch.input().lengths());
        assertArrayEquals(new int[] {1, 0}, batch.targets().classes());
        assertNull(batch.targets().rowMask());
    }

    @Test
    void everyExampleOncePerEpochInASeededOrder() {
        Batcher batcher = Batcher.of(perStep(23), 4);
        assertEquals(6, batcher.batchesPerEpoch());
        int[][] plan = batcher.plan(7, 0);
        int[] seen = Arrays.stream(plan).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), seen);
        assertTrue(Arrays.deepEquals(plan, batcher.plan(7, 0)), "same (seed, epoch), same order");
        assertFalse(Arrays.deepEquals(plan, batcher.plan(7, 1)), "another epoch, another order");
        assertFalse(Arrays.deepEquals(plan, batcher.plan(8, 0)), "another seed, another order");
        int[][] ordered = batcher.shuffled(false).plan(7, 3);
        assertArrayEquals(new int[] {0, 1, 2, 3}, ordered[0]);
        assertArrayEquals(new int[] {20, 21, 22}, ordered[5]);
        assertEquals(5, batcher.dropLast(true).batchesPerEpoch());
    }

    @Test
    void bucketingGroupsSimilarLengthsAndCutsPadding() {
        Dataset data = perStep(64);
        Batcher plain = Batcher.of(data, 4), bucketed = plain.bucketed(4);
        int[][] plan = bucketed.plan(3, 0);
        assertArrayEquals(java.util.stream.IntStream.range(0, 64).toArray(),
                Arrays.stream(plan).flatMapToInt(Arrays::stream).sorted().toArray());
        assertTrue(padding(data, bucketed.plan(3, 0)) < padding(data, plain.plan(3, 0)) / 2,
                "bucketed padding " + padding(data, plan) + " vs " + padding(data, plain.plan(3, 0)));
        // batches are shuffled after sorting: the first batches are not all the shortest
        int[] firstLengths = Arrays.stream(plan).limit(4).mapToInt(b -> data.get(b[0]).steps()).toArray();
        int[] sorted = firstLengths.clone();
        Arrays.sort(sorted);
        assertNotEquals(Arrays.toString(new int[] {1, 1, 1, 1}), Arrays.toString(firstLengths));
        assertFalse(Arrays.deepEquals(plan, bucketed.plan(3, 1)));
    }

    private static int padding(Dataset data, int[][] plan) {
        int pad = 0;
        for (int[] batch : plan) {
            int max = 0;
            for (int i : batch) max = Math.max(max, data.get(i).steps());
            for (int i : batch) pad += max - data.get(i).steps();
        }
        return pad;
    }

    @Test
    void datasetRejectsMixedExamples() {
        Example a = Example.ofFeatures(new float[6], 2).withClass(0);
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(List.of()));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(List.of(a, Example.ofFeatures(new float[4], 2).withClass(1)))).getMessage().contains("example 1"));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(List.of(a, Example.ofFeatures(new float[6], 2).withValues(new float[1]))));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(List.of(a, Example.ofTokens(new int[2]).withClass(1))));
        assertThrows(IllegalArgumentException.class, () -> Example.ofFeatures(new float[5], 2));
        assertThrows(IllegalArgumentException.class, () -> Example.ofFeatures(new float[6], 2).withStepClasses(new int[3]));
        assertThrows(IllegalArgumentException.class, () -> Batcher.of(Dataset.of(List.of(Example.ofFeatures(new float[6], 2))), 1));
    }

    @Test
    void fingerprintFollowsTheContents() {
        Dataset a = perStep(6);
        assertEquals(a.sha256(), perStep(6).sha256());
        assertEquals(64, a.sha256().length());
        assertNotEquals(a.sha256(), perStep(7).sha256());
        List<Example> changed = new ArrayList<>(a.examples());
        float[] x = changed.get(2).features().clone();
        x[0] = Math.nextUp(x[0]);
        changed.set(2, Example.ofFeatures(x, changed.get(2).steps()).withStepValues(changed.get(2).values()));
        assertNotEquals(a.sha256(), Dataset.of(changed).sha256());
    }

    @Test
    void splitIsSeededAndComplete() {
        Dataset data = perStep(10);
        List<Dataset> parts = data.split(7, 1);
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        assertEquals(parts.get(0).sha256(), data.split(7, 1).get(0).sha256());
        assertNotEquals(parts.get(0).sha256(), data.split(7, 2).get(0).sha256());
    }

    @Test
    void derivedSeedsAreFixedNumbers() {
        // frozen: a change would silently change every shuffle and every synthetic batch of a resumed run
        assertEquals(Seeds.derive(42, 0), Seeds.derive(42, 0));
        assertNotEquals(Seeds.derive(42, 0), Seeds.derive(42, 1));
        assertNotEquals(Seeds.derive(42, 0), Seeds.derive(43, 0));
        // derive(0, 0) is SplitMix64's first output for seed 0, 0xe220a8397b1dcdaf (Steele, Lea and Flood's reference)
        assertEquals(0xe220a8397b1dcdafL, Seeds.derive(0, 0));
    }
}
