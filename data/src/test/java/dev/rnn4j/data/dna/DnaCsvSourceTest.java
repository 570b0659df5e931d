package dev.rnn4j.data.dna;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DnaCsvSource on small files in the shape of the UCI splice file, each carrying one quirk or one error. */
class DnaCsvSourceTest {
    /** Three rows as in splice.csv: every field after the first padded with spaces. */
    private static final String SLICE = """
            label,instance_name,sequence
            EI,    ATRINS-DONOR-521,               CCAGCTGCAT
            IE,    HUMSPRO-ACCEPTOR-2841,          ttgcRagcNa
            N,     HUMGCB-NEG-2281,                GGGGAAAACC
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static DnaCsvSource splice(Path file) {
        return DnaCsvSource.labelled(file, "sequence", "label", DnaEncoding.ONE_HOT).withIdColumn("instance_name");
    }

    /** Reads and expects a one-line DataFileException that starts with the file and contains every one of parts. */
    private static DataFileException failure(DnaCsvSource source, String... parts) {
        DataFileException e = assertThrows(DataFileException.class, () -> source.read(null));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertTrue(e.getMessage().startsWith(source.file() + ": "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void readsASpliceSliceTrimmingTheFields() throws IOException {
        Path file = write("slice.csv", SLICE);
        LabelledData data = splice(file).read(null);
        assertEquals(List.of("ATRINS-DONOR-521", "HUMSPRO-ACCEPTOR-2841", "HUMGCB-NEG-2281"),
                data.records().stream().map(LabelledSequence::id).toList());
        assertEquals(List.of("EI", "IE", "N"), data.records().stream().map(LabelledSequence::label).toList());
        LabelledSequence second = data.records().get(1);
        assertEquals(10, second.input().steps(), "the padding is not part of the sequence");
        assertArrayEquals(DnaEncoding.ONE_HOT.encode("TTGCRAGCNA").features(), second.input().features());
        assertEquals(file + ": line 3", second.origin());
        assertEquals(file.toString(), data.source());
        assertNull(data.augmenter());
    }

    @Test
    void idsAreLineNumbersWithoutAnIdColumnAndCountBlankLinesAndCrlf() throws IOException {
        Path file = write("lines.csv", "sequence,label\r\nACGT,a\r\n\r\nTTTT,b\r\n");
        LabelledData data = DnaCsvSource.labelled(file, "sequence", "label", DnaEncoding.ONE_HOT).read(null);
        assertEquals(List.of("2", "4"), data.records().stream().map(LabelledSequence::id).toList());
        assertEquals(List.of("a", "b"), data.records().stream().map(LabelledSequence::label).toList());
    }

    @Test
    void withoutALabelColumnRecordsAreUnlabelled() throws IOException {
        Path file = write("predict.csv", "sequence\nACGT\nGGCC\n");
        LabelledData data = new DnaCsvSource(file, "sequence", null, null, new DnaEncoding(2, true)).read(null);
        assertEquals(2, data.records().size());
        assertNull(data.records().get(1).label());
        // GGCC: GG, GC, CC; reverse complement GGCC again
        assertArrayEquals(new int[] {11, 10, 6}, data.records().get(1).input().tokens());
        assertArrayEquals(new int[] {11, 10, 6}, data.augmenter().augment(data.records().get(1), 7L).getFirst().tokens());
    }

    @Test
    void aFittedEncodingWinsOverTheSourcesOwn() throws IOException {
        Path file = write("slice.csv", SLICE);
        LabelledData data = splice(file).read(new DnaEncoding(3, false));
        assertEquals(8, data.records().getFirst().input().steps());
        assertEquals(65, data.encoding().vocabulary());
    }

    @Test
    void missingFileAndEmptyFile() throws IOException {
        failure(splice(dir.resolve("absent.csv")), "no such file");
        failure(splice(write("empty.csv", "\n\n")), "the file is empty");
        failure(splice(write("header.csv", "label,instance_name,sequence\n")), "has a header but no rows");
    }

    @Test
    void aMissingColumnListsTheColumns() throws IOException {
        Path file = write("slice.csv", SLICE);
        failure(DnaCsvSource.labelled(file, "seq", "label", DnaEncoding.ONE_HOT),
                ": line 1: ", "no column 'seq' (the sequence column)", "label, instance_name, sequence");
        failure(DnaCsvSource.labelled(file, "sequence", "class", DnaEncoding.ONE_HOT), "no column 'class' (the label column)");
    }

    @Test
    void aCharacterThatIsNotABaseNamesLineColumnAndPosition() throws IOException {
        Path file = write("bad.csv", SLICE + "EI,  X-DONOR-1,   ACGTACZT\n");
        failure(splice(file), ": line 5, column 'sequence': ", "'Z' is not a DNA base", "position 7");
    }

    @Test
    void emptyCellsAndWrongFieldCounts() throws IOException {
        failure(splice(write("noseq.csv", SLICE + "EI,  X-DONOR-1,   \n")), ": line 5, column 'sequence': the sequence is empty");
        failure(splice(write("nolabel.csv", SLICE + " ,  X-DONOR-1, ACGT\n")), ": line 5, column 'label': the label is empty");
        failure(splice(write("short.csv", SLICE + "EI,ACGT\n")), ": line 5: ", "the line has 2 fields, the header has 3");
    }

    @Test
    void anUnclosedQuote() throws IOException {
        failure(splice(write("quote.csv", SLICE + "EI,\"X-DONOR-1,ACGT\n")), "no closing quote");
    }

    @Test
    void aSequenceShorterThanTheKmer() throws IOException {
        Path file = write("kmer.csv", "sequence\nACGTACGT\nAC\n");
        failure(new DnaCsvSource(file, "sequence", null, null, new DnaEncoding(4, false)),
                ": line 3, column 'sequence': ", "fewer than the k-mer length 4");
    }
}
