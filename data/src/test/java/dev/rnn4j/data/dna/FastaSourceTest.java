package dev.rnn4j.data.dna;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.train.Example;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FastaSource on small files that each carry one quirk or one error. */
class FastaSourceTest {
    private static final Pattern CLASS = Pattern.compile("class=(\\w+)");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private Path writeGzip(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve(name);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static SequencedMap<String, Path> classes(Object... classAndFile) {
        SequencedMap<String, Path> map = new LinkedHashMap<>();
        for (int i = 0; i < classAndFile.length; i += 2) map.put((String) classAndFile[i], (Path) classAndFile[i + 1]);
        return map;
    }

    private static void assertBases(String expected, LabelledSequence record) {
        assertArrayEquals(DnaEncoding.ONE_HOT.encode(expected).features(), record.input().features(), record.id());
    }

    /** Reads and expects a one-line DataFileException that starts with the file and contains every one of parts. */
    private static DataFileException failure(FastaSource source, Path file, String... parts) {
        DataFileException e = assertThrows(DataFileException.class, () -> source.read(null));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
        return e;
    }

    private static FastaSource byHeader(Path file) {
        return FastaSource.labelledByHeader(file, CLASS, DnaEncoding.ONE_HOT);
    }

    @Test
    void readsMultiLineRecordsWithCrlfBlankLinesAndLowerCase() throws IOException {
        Path file = write("all.fa", ">seq1 class=promoter from chr1\r\nACGT\r\nacgt\r\n\r\n>seq2 class=other\r\n\r\n"
                + "GGNN\r\n  tt  \r\n\r\n");
        LabelledData data = byHeader(file).read(null);
        assertEquals(2, data.records().size());
        LabelledSequence first = data.records().get(0);
        LabelledSequence second = data.records().get(1);
        assertEquals("seq1", first.id());
        assertEquals("promoter", first.label());
        assertBases("ACGTACGT", first);
        assertEquals("seq2", second.id());
        assertEquals("other", second.label());
        assertBases("GGNNTT", second);
        assertEquals(file + ": record 2 (line 5)", second.origin());
        assertEquals(1, first.views().size());
        assertNull(data.augmenter(), "no augmentation without the reverse complement");
        assertSame(DnaEncoding.ONE_HOT, data.encoding());
        assertEquals(file.toString(), data.source());
    }

    @Test
    void perClassFilesKeepTheOrderGivenAndTheRecordOrder() throws IOException {
        Path zeta = write("zeta.fa", ">z1\nAAAA\n>z2\nCCCC\n");
        Path alpha = write("alpha.fa", ">a1\nGGGG\n");
        LabelledData data = FastaSource.perClass(classes("zeta", zeta, "alpha", alpha), DnaEncoding.ONE_HOT).read(null);
        assertEquals(List.of("z1", "z2", "a1"), data.records().stream().map(LabelledSequence::id).toList());
        assertEquals(List.of("zeta", "zeta", "alpha"), data.records().stream().map(LabelledSequence::label).toList());
        assertBases("CCCC", data.records().get(1));
        assertEquals("zeta=" + zeta + ", alpha=" + alpha, data.source());
    }

    @Test
    void readsGzipByNameAndByMagicBytes() throws IOException {
        String text = ">r1 class=a\nACGTN\nRY\n>r2 class=b\nttgg\n";
        for (Path file : List.of(writeGzip("seqs.fa.gz", text), writeGzip("compressed-but-named.fa", text))) {
            LabelledData data = byHeader(file).read(null);
            assertEquals(2, data.records().size(), file.toString());
            assertBases("ACGTNRY", data.records().get(0));
            assertBases("TTGG", data.records().get(1));
            assertEquals("b", data.records().get(1).label());
        }
    }

    @Test
    void unlabelledRecordsHaveNoLabel() throws IOException {
        Path file = write("new.fa", ">q1\nACGT\n>q2\nTTTT\n");
        LabelledData data = FastaSource.unlabelled(List.of(file), DnaEncoding.ONE_HOT).read(null);
        assertEquals(2, data.records().size());
        assertNull(data.records().get(0).label());
        assertEquals("q2", data.records().get(1).id());
    }

    @Test
    void reverseComplementIsASecondViewAndTheAugmentation() throws IOException {
        Path file = write("rc.fa", ">r class=x\nAACG\n");
        LabelledData data = FastaSource.labelledByHeader(file, CLASS, new DnaEncoding(2, true)).read(null);
        LabelledSequence record = data.records().getFirst();
        assertEquals(2, record.views().size());
        // AACG: AA, AC, CG; its reverse complement CGTT: CG, GT, TT
        assertArrayEquals(new int[] {1, 2, 7}, record.views().get(0).tokens());
        assertArrayEquals(new int[] {7, 12, 16}, record.views().get(1).tokens());
        List<Example> extra = data.augmenter().augment(record, 42L);
        assertEquals(1, extra.size());
        assertArrayEquals(new int[] {7, 12, 16}, extra.getFirst().tokens());
    }

    @Test
    void aFittedEncodingWinsOverTheSourcesOwn() throws IOException {
        Path file = write("fit.fa", ">r class=x\nACGTA\n");
        DnaEncoding fitted = new DnaEncoding(2, false);
        LabelledData data = byHeader(file).read(fitted);
        assertSame(fitted, data.encoding());
        assertArrayEquals(new int[] {2, 7, 12, 13}, data.records().getFirst().input().tokens());
    }

    @Test
    void refusesAnEncodingOfAnotherDomain() throws IOException {
        Path file = write("fit.fa", ">r class=x\nACGTA\n");
        SequenceEncoding audio = new SequenceEncoding() {
            public String domain() {
                return "audio";
            }

            public int featuresPerStep() {
                return 13;
            }

            public int vocabulary() {
                return 0;
            }

            public Map<String, Object> toJson() {
                return Map.of("domain", "audio");
            }
        };
        DataFileException e = assertThrows(DataFileException.class, () -> byHeader(file).read(audio));
        assertTrue(e.getMessage().contains("'audio'") && e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.fa");
        failure(byHeader(file), file, "no such file");
    }

    @Test
    void emptyFileOrOnlyBlankLines() throws IOException {
        Path empty = write("empty.fa", "");
        failure(byHeader(empty), empty, "no FASTA record");
        Path blank = write("blank.fa", "\n\r\n  \n");
        failure(byHeader(blank), blank, "no FASTA record");
    }

    @Test
    void aClassWithNoRecordsIsNamed() throws IOException {
        Path good = write("good.fa", ">g\nACGT\n");
        Path empty = write("other.fa", "\n");
        failure(FastaSource.perClass(classes("promoter", good, "other", empty), DnaEncoding.ONE_HOT), empty,
                "no FASTA record for class 'other'");
    }

    @Test
    void aRecordWithoutSequenceNamesItsHeaderLine() throws IOException {
        Path middle = write("middle.fa", ">a class=x\nACGT\n>b class=x\n\n>c class=x\nAC\n");
        failure(byHeader(middle), middle, ": line 3: ", "record 2 ('b') has no sequence");
        Path last = write("last.fa", ">a class=x\nACGT\n>z class=x\n");
        failure(byHeader(last), last, ": line 3: ", "record 2 ('z') has no sequence");
    }

    @Test
    void aCharacterThatIsNotABaseIsNamedWithLineAndColumn() throws IOException {
        Path file = write("bad.fa", ">a class=x\nACGT\n>b class=x\nACGT\nAC-GT\n");
        failure(byHeader(file), file, ": line 5: ", "record 2 ('b')", "'-' is not a DNA base", "column 3");
        Path digit = write("digit.fa", ">a class=x\n  AC7\n");
        failure(byHeader(digit), digit, ": line 2: ", "'7'", "column 5");
    }

    @Test
    void sequenceDataBeforeTheFirstHeader() throws IOException {
        Path file = write("headless.fa", "\nACGT\n>a class=x\nACGT\n");
        failure(byHeader(file), file, ": line 2: ", "before the first '>' header");
    }

    @Test
    void aHeaderTheRegexDoesNotMatchShowsTheRegex() throws IOException {
        Path file = write("labels.fa", ">a class=promoter\nACGT\n>b kind=other\nACGT\n");
        failure(byHeader(file), file, ": line 3: ", "record 2 ('b')", "'class=(\\w+)' does not match",
                "'b kind=other'");
    }

    @Test
    void anEmptyHeader() throws IOException {
        Path file = write("noid.fa", ">a class=x\nACGT\n>  \nACGT\n");
        failure(byHeader(file), file, ": line 3: ", "record 2 has an empty header");
    }

    @Test
    void aSequenceShorterThanTheKmer() throws IOException {
        Path file = write("short.fa", ">a class=x\nACGT\n>b class=x\nAC\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> FastaSource.labelledByHeader(file, CLASS, new DnaEncoding(3, false)).read(null));
        assertTrue(e.getMessage().startsWith(file + ": line 3: record 2 ('b'): "), e.getMessage());
        assertTrue(e.getMessage().contains("fewer than the k-mer length 3"), e.getMessage());
    }

    @Test
    void aRegexWithoutAGroupIsRefusedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FastaSource.labelledByHeader(dir.resolve("x.fa"), Pattern.compile("class=\\w+"),
                        DnaEncoding.ONE_HOT));
        assertTrue(e.getMessage().contains("class=\\w+"), e.getMessage());
    }

    @Test
    void aTruncatedGzipFile() throws IOException {
        Path whole = writeGzip("whole.fa.gz", ">a class=x\n" + "ACGT".repeat(5000) + "\n");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.fa.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        failure(byHeader(cut), cut, "truncated");
    }
}
