package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextSourcesTest {
    @TempDir
    Path dir;

    static final TextEncoding.Settings WORDS = new TextEncoding.Settings(Tokenization.words(Tokenizer.WHITESPACE), Vocabulary.Limits.none());

    @Test
    void linesWithARegexLabelLikeTrec() throws Exception {
        Path f = dir.resolve("trec.label");
        Files.writeString(f, "DESC:manner How did it go ?\nNUM:count How many ?\n\nDESC:def What is it ?\n");
        LabelledData data = new TextLinesSource(f, Pattern.compile("^([A-Z]+):\\S+"), StandardCharsets.ISO_8859_1, WORDS).read(null);
        assertEquals(3, data.records().size());
        assertEquals(List.of("DESC", "NUM", "DESC"), data.records().stream().map(r -> r.label()).toList());
        assertEquals(f + ": line 4", data.records().get(2).origin());
        TextEncoding e = (TextEncoding) data.encoding();
        assertEquals("text", e.domain());
        assertEquals(0, e.featuresPerStep());
        assertEquals(0, e.tokens().paddingId());
        int[] ids = data.records().get(0).input().tokens();
        assertEquals(5, ids.length);
        assertEquals(e.tokens().idOf("How"), ids[0]);
        assertEquals(e.tokens().idOf("How"), data.records().get(1).input().tokens()[0]);
    }

    @Test
    void aLineWithoutALabelIsAnErrorNamingIt() throws Exception {
        Path f = dir.resolve("bad.label");
        Files.writeString(f, "DESC:manner How ?\nno label here\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> new TextLinesSource(f, Pattern.compile("^([A-Z]+):\\S+"), StandardCharsets.UTF_8, WORDS).read(null));
        assertEquals(f + ": line 2: no label: the line does not match --label-regex '^([A-Z]+):\\S+'", e.getMessage());
    }

    @Test
    void realTrecTrainingFileReadsAsLatin1() {
        Path trec = Path.of("../../shared/data/trec/train_5500.label");
        if (!Files.isRegularFile(trec)) trec = Path.of("../shared/data/trec/train_5500.label");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(trec), "the shared TREC file");
        Path file = trec;
        DataFileException strict = assertThrows(DataFileException.class,
                () -> new TextLinesSource(file, Pattern.compile("^([A-Z]+):\\S+"), StandardCharsets.UTF_8, WORDS).read(null));
        assertEquals(66, strict.line());
        LabelledData data = new TextLinesSource(file, Pattern.compile("^([A-Z]+):\\S+"), StandardCharsets.ISO_8859_1, WORDS).read(null);
        assertEquals(5452, data.records().size());
        assertEquals(6, data.records().stream().map(r -> r.label()).distinct().count());
    }

    @Test
    void csvAndTsvByExtensionWithTheFittedEncodingReused() throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "id,text,label\n1,\"Good, very good!\",pos\n2,\"bad\nmovie\",neg\n3,,neg\n");
        TextEncoding.Settings unicode = TextEncoding.Settings.defaults();
        LabelledData train = new TextCsvSource(csv, "text", "label", null, StandardCharsets.UTF_8, unicode).read(null);
        assertEquals(List.of("pos", "neg", "neg"), train.records().stream().map(r -> r.label()).toList());
        assertEquals(csv + ": line 3", train.records().get(1).origin(), "a quoted field over two lines: the record starts at line 3");
        TextEncoding e = (TextEncoding) train.encoding();
        assertEquals(List.of("<pad>", "<unk>", "good", "Good", ",", "very", "!", "bad", "movie").size(), e.vocabulary());
        assertArrayEquals(new int[] {e.tokens().unknownId()}, train.records().get(2).input().tokens(), "an empty text is one <unk>");

        Path tsv = dir.resolve("t.tsv");
        Files.writeString(tsv, "text\tlabel\nvery bad movie\tneg\n");
        LabelledData test = new TextCsvSource(tsv, "text", "label", null, StandardCharsets.UTF_8, unicode).read(e);
        assertSame(e, test.encoding());
        int[] ids = test.records().getFirst().input().tokens();
        assertArrayEquals(new int[] {e.tokens().idOf("very"), e.tokens().idOf("bad"), e.tokens().idOf("movie")}, ids);

        DataFileException missing = assertThrows(DataFileException.class,
                () -> new TextCsvSource(csv, "sentence", "label", null, StandardCharsets.UTF_8, unicode).read(null));
        assertEquals(csv + ": line 1, column 'sentence': no such column; the header has [id, text, label]", missing.getMessage());
        LabelledData unlabelled = new TextCsvSource(tsv, "text", null, null, StandardCharsets.UTF_8, unicode).read(e);
        assertNull(unlabelled.records().getFirst().label());
    }

    @Test
    void directoryOfClassFoldersInSortedOrder() throws Exception {
        for (String[] f : new String[][] {{"pos", "b.txt", "great fun"}, {"neg", "z.txt", "dull"}, {"pos", "a.txt", "fun fun"},
                {"neg", "notes.md", "skipped"}}) {
            Files.createDirectories(dir.resolve("d").resolve(f[0]));
            Files.writeString(dir.resolve("d").resolve(f[0]).resolve(f[1]), f[2]);
        }
        LabelledData data = new TextDirectorySource(dir.resolve("d"), StandardCharsets.UTF_8, WORDS).read(null);
        assertEquals(List.of("neg/z.txt", "pos/a.txt", "pos/b.txt"), data.records().stream().map(r -> r.id()).toList());
        assertEquals(List.of("neg", "pos", "pos"), data.records().stream().map(r -> r.label()).toList());
        Files.createDirectories(dir.resolve("empty"));
        assertThrows(DataFileException.class, () -> new TextDirectorySource(dir.resolve("empty"), StandardCharsets.UTF_8, WORDS).read(null));
    }

    @Test
    void encodingJsonRoundTrip() {
        TextEncoding e = TextEncoding.fit(List.of("a b b", "c"), WORDS);
        TextEncoding back = TextEncoding.fromJson(Json.parseObject(Json.write(e.toJson())));
        assertEquals(e, back);
        assertArrayEquals(e.encode("b a z"), back.encode("b a z"));
        assertEquals("text", e.toJson().get("domain"));
        assertThrows(IllegalArgumentException.class, () -> TextEncoding.fromJson(Json.parseObject("{\"domain\":\"dna\"}")));
        assertTrue(e.coverage(List.of("a z")).share() == 0.5);
    }
}
