package dev.rnn4j.data.dna;

import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The UCI splice-junction file (shared/data/uci-splice-junction), read as a user would; skipped where it is absent. */
class SpliceRealDataTest {

    private static Path spliceFile() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path shared = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(shared)) {
                Path file = shared.resolve("uci-splice-junction").resolve("splice.csv");
                assumeTrue(Files.isRegularFile(file), "missing " + file);
                return file;
            }
        }
        assumeTrue(false, "no shared/data folder above " + System.getProperty("user.dir"));
        return null;
    }

    private static LabelledData read(DnaEncoding encoding) {
        return DnaCsvSource.labelled(spliceFile(), "sequence", "label", encoding).withIdColumn("instance_name").read(null);
    }

    private static LabelledSequence byId(LabelledData data, String id) {
        return data.records().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void recordsClassesAndLengthsAsSourceMdSays() {
        LabelledData data = read(DnaEncoding.ONE_HOT);
        assertEquals(3190, data.records().size());
        Map<String, Integer> counts = new TreeMap<>();
        for (LabelledSequence r : data.records()) counts.merge(r.label(), 1, Integer::sum);
        assertEquals(Map.of("EI", 767, "IE", 768, "N", 1655), counts);
        assertTrue(data.records().stream().allMatch(r -> r.input().steps() == 60), "every sequence is 60 nt");
        LabelledSequence first = data.records().getFirst();
        assertEquals("ATRINS-DONOR-521", first.id());
        assertEquals("EI", first.label());
        assertArrayEquals(DnaEncoding.ONE_HOT.encode("CCAGCTGCATCACAGGAGGCCAGCGAGCAGGTCTGTTCCAAGGGCCTTCGAGCCAGTCTG")
                .features(), first.input().features());
    }

    @Test
    void theAmbiguityCodesEncodeAsMixes() {
        LabelledData data = read(DnaEncoding.ONE_HOT);
        // found in the file: D at base 1 of HUMMHB27B-ACCEPTOR-1202, R at 35 of HUMSPRO-ACCEPTOR-2841,
        // S at 36 of HUMSPRO-ACCEPTOR-3195; N in 12 further records
        float third = 1f / 3;
        assertArrayEquals(new float[] {third, 0, third, third}, step(byId(data, "HUMMHB27B-ACCEPTOR-1202"), 1), "D");
        assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0}, step(byId(data, "HUMSPRO-ACCEPTOR-2841"), 35), "R");
        assertArrayEquals(new float[] {0, 0.5f, 0.5f, 0}, step(byId(data, "HUMSPRO-ACCEPTOR-3195"), 36), "S");
        long ambiguous = data.records().stream().filter(SpliceRealDataTest::hasAmbiguity).count();
        assertEquals(15, ambiguous, "SOURCE.md: 15 records contain ambiguity codes");
    }

    @Test
    void kmerTokensWithTheReverseComplement() {
        LabelledData data = read(new DnaEncoding(3, true));
        assertEquals(3190, data.records().size());
        LabelledSequence first = data.records().getFirst();
        assertEquals(58, first.input().steps());
        assertEquals(2, first.views().size());
        // CCA = 1 + 1*16 + 1*4 + 0
        assertEquals(21, first.input().tokens()[0]);
        long windowsWithCodes = data.records().stream()
                .flatMapToInt(r -> java.util.Arrays.stream(r.input().tokens())).filter(id -> id == 0).count();
        assertEquals(89, windowsWithCodes, "3-mer windows over an ambiguity code, counted with a script over the file");
    }

    private static float[] step(LabelledSequence record, int base) {
        float[] out = new float[4];
        System.arraycopy(record.input().features(), (base - 1) * 4, out, 0, 4);
        return out;
    }

    private static boolean hasAmbiguity(LabelledSequence record) {
        for (float value : record.input().features()) if (value != 0 && value != 1) return true;
        return false;
    }
}
