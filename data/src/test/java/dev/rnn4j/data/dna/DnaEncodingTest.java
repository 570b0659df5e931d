package dev.rnn4j.data.dna;

import dev.rnn4j.io.Json;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DnaEncoding: values worked out by hand. */
class DnaEncodingTest {
    private static final DnaEncoding K2 = new DnaEncoding(2, false);
    private static final DnaEncoding K3 = new DnaEncoding(3, false);

    private static float[] row(Example example, int step) {
        float[] out = new float[4];
        System.arraycopy(example.features(), step * 4, out, 0, 4);
        return out;
    }

    @Test
    void basesOfReadsOneHotStepsBack() {
        assertEquals(List.of("G", "A", "T", "N", "C"), DnaEncoding.ONE_HOT.basesOf(DnaEncoding.ONE_HOT.encode("gatRc")), "R is a mixture: N");
        assertNull(K2.basesOf(K2.encode("GATC")), "k-mer tokens are not bases");
    }

    @Test
    void oneHotBasesAreUnitRowsInACGTOrder() {
        Example example = DnaEncoding.ONE_HOT.encode("ACGT");
        assertEquals(4, example.steps());
        assertEquals(4, example.featureSize());
        assertNull(example.tokens());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, example.features());
    }

    @Test
    void ambiguityCodesAreTheUniformMixOfTheirBases() {
        Example example = DnaEncoding.ONE_HOT.encode("NRYSWKMBDHVU");
        float third = 1f / 3;
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, row(example, 0), "N");
        assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0}, row(example, 1), "R = A/G");
        assertArrayEquals(new float[] {0, 0.5f, 0, 0.5f}, row(example, 2), "Y = C/T");
        assertArrayEquals(new float[] {0, 0.5f, 0.5f, 0}, row(example, 3), "S = C/G");
        assertArrayEquals(new float[] {0.5f, 0, 0, 0.5f}, row(example, 4), "W = A/T");
        assertArrayEquals(new float[] {0, 0, 0.5f, 0.5f}, row(example, 5), "K = G/T");
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0}, row(example, 6), "M = A/C");
        assertArrayEquals(new float[] {0, third, third, third}, row(example, 7), "B = C/G/T");
        assertArrayEquals(new float[] {third, 0, third, third}, row(example, 8), "D = A/G/T");
        assertArrayEquals(new float[] {third, third, 0, third}, row(example, 9), "H = A/C/T");
        assertArrayEquals(new float[] {third, third, third, 0}, row(example, 10), "V = A/C/G");
        assertArrayEquals(new float[] {0, 0, 0, 1}, row(example, 11), "U = T");
    }

    @Test
    void lowerCaseEncodesAsUpperCase() {
        assertArrayEquals(DnaEncoding.ONE_HOT.encode("GATTACANRY").features(),
                DnaEncoding.ONE_HOT.encode("gattacanry").features());
        assertArrayEquals(K3.encode("GATTACANRY").tokens(), K3.encode("gattacanry").tokens());
    }

    @Test
    void kmerIdsCountFromOneInLexicographicOrder() {
        // AC = 1 + 0*4 + 1, CG = 1 + 1*4 + 2, GT = 1 + 2*4 + 3, TA = 1 + 3*4 + 0
        assertArrayEquals(new int[] {2, 7, 12, 13}, K2.encode("ACGTA").tokens());
        // AA is the first id, AT = 1 + 0*4 + 3, TT the last
        assertArrayEquals(new int[] {1, 4, 16}, K2.encode("AATT").tokens());
        // ACG = 1 + 0*16 + 1*4 + 2, CGT = 1 + 1*16 + 2*4 + 3, GTA = 1 + 2*16 + 3*4 + 0
        assertArrayEquals(new int[] {7, 28, 45}, K3.encode("ACGTA").tokens());
        assertArrayEquals(new int[] {1, 2, 3, 4, 4}, new DnaEncoding(1, false).encode("ACGTU").tokens());
    }

    @Test
    void aKmerWithAnAmbiguousBaseIsIdZero() {
        assertArrayEquals(new int[] {2, 0, 0, 12}, K2.encode("ACNGT").tokens());
        // GAT = 1 + 2*16 + 0*4 + 3, ATT = 1 + 0 + 3*4 + 3, then three windows over N, CAT = 1 + 16 + 0 + 3
        assertArrayEquals(new int[] {36, 16, 0, 0, 0, 20}, K3.encode("GATTNCAT").tokens());
        assertArrayEquals(new int[] {0, 7, 0}, K3.encode("RACGY").tokens(), "R spoils RAC, Y spoils CGY; ACG = 7");
    }

    @Test
    void sizesFollowTheKind() {
        assertEquals(4, DnaEncoding.ONE_HOT.featuresPerStep());
        assertEquals(0, DnaEncoding.ONE_HOT.vocabulary());
        assertEquals(0, K2.featuresPerStep());
        assertEquals(17, K2.vocabulary());
        assertEquals(65, K3.vocabulary());
        assertEquals(4, K3.encode("ACGTAC").steps(), "T - K + 1");
        assertEquals("dna", K3.domain());
    }

    @Test
    void reverseComplementComplementsIupacCodesAndKeepsCase() {
        assertEquals("NWSDHBVKMRYACGT", DnaEncoding.reverseComplementOf("ACGTRYKMBVDHSWN"));
        assertEquals("acgt", DnaEncoding.reverseComplementOf("acgu"));
        assertEquals("aTGc", DnaEncoding.reverseComplementOf("gCAt"));
        // AAC -> GTT: G, T, T one-hot
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1},
                DnaEncoding.ONE_HOT.reverseComplement("AAC").features());
        // ACGTT -> AACGT: AA, AC, CG, GT
        assertArrayEquals(new int[] {1, 2, 7, 12}, K2.reverseComplement("ACGTT").tokens());
    }

    @Test
    void viewsAddTheReverseComplementWhenAsked() {
        assertEquals(1, DnaEncoding.ONE_HOT.views("ACG").size());
        List<Example> both = new DnaEncoding(2, true).views("ACGTT");
        assertEquals(2, both.size());
        assertArrayEquals(new int[] {2, 7, 12, 16}, both.get(0).tokens());
        assertArrayEquals(new int[] {1, 2, 7, 12}, both.get(1).tokens());
    }

    @Test
    void refusesCharactersThatAreNotBasesNamingThemAndTheirPosition() {
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.ONE_HOT.encode("ACG-T"));
        assertTrue(gap.getMessage().contains("'-'") && gap.getMessage().contains("position 4"), gap.getMessage());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> K2.encode("xACGT"));
        assertTrue(x.getMessage().contains("'x'") && x.getMessage().contains("position 1"), x.getMessage());
        IllegalArgumentException reverse = assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.reverseComplementOf("ACGTE"));
        assertTrue(reverse.getMessage().contains("'E'") && reverse.getMessage().contains("position 5"));
        assertEquals(2, DnaEncoding.firstInvalid("AC GT"));
        assertEquals(-1, DnaEncoding.firstInvalid("ACGTNacgtn"));
    }

    @Test
    void refusesEmptySequencesAndOnesShorterThanK() {
        assertThrows(IllegalArgumentException.class, () -> DnaEncoding.ONE_HOT.encode(""));
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class, () -> K3.encode("AC"));
        assertTrue(shortOne.getMessage().contains("2 bases") && shortOne.getMessage().contains("3"));
        assertThrows(IllegalArgumentException.class, () -> new DnaEncoding(-1, false));
        assertThrows(IllegalArgumentException.class, () -> new DnaEncoding(DnaEncoding.MAX_KMER + 1, false));
    }

    @Test
    void jsonRoundTripsThroughText() {
        for (DnaEncoding encoding : List.of(DnaEncoding.ONE_HOT, new DnaEncoding(3, true), new DnaEncoding(1, false))) {
            String text = Json.write(encoding.toJson());
            assertTrue(text.contains("\"domain\":\"dna\""), text);
            assertEquals(encoding, DnaEncoding.fromJson(Json.parseObject(text)), text);
        }
    }

    @Test
    void fromJsonAcceptsAnyWholeNumberAndRefusesTheRest() {
        assertEquals(new DnaEncoding(3, true),
                DnaEncoding.fromJson(Map.of("domain", "dna", "kmer", 3.0, "reverse_complement", true)));
        assertEquals(new DnaEncoding(2, false),
                DnaEncoding.fromJson(Map.of("domain", "dna", "kmer", 2L, "reverse_complement", false)));
        assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.fromJson(Map.of("domain", "dna", "kmer", 2.5, "reverse_complement", false)));
        assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.fromJson(Map.of("domain", "dna", "kmer", 99L, "reverse_complement", false)));
        assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.fromJson(Map.of("domain", "audio", "kmer", 0, "reverse_complement", false)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DnaEncoding.fromJson(Map.of("domain", "dna", "kmer", 0)));
        assertTrue(missing.getMessage().contains("reverse_complement"), missing.getMessage());
    }
}
