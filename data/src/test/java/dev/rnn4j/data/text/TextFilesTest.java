package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strict decoding of text files and the pretrained-vector reader's errors. */
class TextFilesTest {
    @TempDir
    Path dir;

    Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void invalidUtf8IsAnErrorNamingLineAndByte() throws Exception {
        Path f = write("bad.txt", "one\ntwo sister\u0000city\n".replace('\u0000', '#').getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = Files.readAllBytes(f);
        bytes[14] = (byte) 0xF0; // TREC's stray byte, in line 2
        Files.write(f, bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> TextFile.read(f, StandardCharsets.UTF_8));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(f + ": line 2: invalid UTF-8 at byte offset 14 (byte 0xF0)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        TextFile latin = TextFile.read(f, StandardCharsets.ISO_8859_1);
        assertEquals("two sister\u00F0city", latin.lines().get(1));
    }

    @Test
    void linesAndHash() throws Exception {
        TextFile t = TextFile.read(write("a.txt", "\uFEFFa\r\nb\n\nc".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertEquals(List.of("a", "b", "", "c"), t.lines());
        assertEquals(64, t.sha256().length());
        assertEquals(List.of("x"), TextFile.of("s", "x\n").lines(), "a final line end starts no line");
        DataFileException missing = assertThrows(DataFileException.class, () -> TextFile.read(dir.resolve("none.txt"), StandardCharsets.UTF_8));
        assertTrue(missing.getMessage().endsWith(": no such file"));
    }

    @Test
    void gloveAndWord2vecFormats() throws Exception {
        Path glove = write("g.txt", "the 0.1 0.2 0.3\ncat -1 0 1e-2\n".getBytes(StandardCharsets.UTF_8));
        PretrainedVectors g = PretrainedVectors.read(glove, StandardCharsets.UTF_8, null);
        assertEquals(3, g.dimension());
        assertEquals(2, g.size());
        assertArrayEquals(new float[] {-1, 0, 0.01f}, g.vector("cat"));
        Path w2v = write("w.txt", "2 3\nthe 0.1 0.2 0.3\ncat -1 0 1e-2\n".getBytes(StandardCharsets.UTF_8));
        Predicate<String> onlyCat = "cat"::equals;
        PretrainedVectors w = PretrainedVectors.read(w2v, StandardCharsets.UTF_8, onlyCat);
        assertEquals(1, w.size());
        assertNull(w.vector("the"));
    }

    @Test
    void rowsOfDifferentWidthsAreAnErrorNamingTheLine() throws Exception {
        Path f = write("v.txt", "a 1 2 3\nb 1 2 3\nc 1 2\n".getBytes(StandardCharsets.UTF_8));
        DataFileException e = assertThrows(DataFileException.class, () -> PretrainedVectors.read(f, StandardCharsets.UTF_8, null));
        assertEquals(f + ": line 3: 'c' has 2 values, but line 1 has 3; every vector must have the same width", e.getMessage());
        Path nan = write("n.txt", "a 1 2\nb 1 x\n".getBytes(StandardCharsets.UTF_8));
        DataFileException n = assertThrows(DataFileException.class, () -> PretrainedVectors.read(nan, StandardCharsets.UTF_8, null));
        assertEquals(2, n.line());
        assertTrue(n.getMessage().contains("'x', is not a number"), n.getMessage());
        Path empty = write("e.txt", new byte[0]);
        assertThrows(DataFileException.class, () -> PretrainedVectors.read(empty, StandardCharsets.UTF_8, null));
    }

    @Test
    void vectorsFillTheTableAndMissingWordsGetSeededRandomOnes() throws Exception {
        Path f = write("v.txt", "the 0.5 -0.5\ncat 1 2\n".getBytes(StandardCharsets.UTF_8));
        PretrainedVectors vectors = PretrainedVectors.read(f, StandardCharsets.UTF_8, null);
        TokenCounts counts = new TokenCounts();
        counts.addAll(List.of("the", "the", "cat", "dog"));
        Vocabulary v = Vocabulary.of(counts, Vocabulary.Limits.none(), Vocabulary.Special.PADDING);
        dev.rnn4j.tensor.Parameter table = new dev.rnn4j.tensor.Parameter("t", v.size(), 2);
        java.util.Arrays.fill(table.value(), 9f);
        PretrainedVectors.Match match = vectors.initialize(v, table, 7);
        assertEquals(3, match.tokens());
        assertEquals(2, match.found());
        float[] t = table.value();
        assertEquals(0f, t[0]);
        assertEquals(0f, t[1], "padding is a zero row");
        int the = v.idOf("the"), dog = v.idOf("dog");
        assertEquals(0.5f, t[2 * the]);
        assertTrue(t[2 * dog] != 9f && Math.abs(t[2 * dog]) < 5, "dog gets a random vector of the vectors' scale");
        dev.rnn4j.tensor.Parameter again = new dev.rnn4j.tensor.Parameter("t", v.size(), 2);
        vectors.initialize(v, again, 7);
        assertArrayEquals(t, again.value(), "the same seed gives the same random vectors");
        assertThrows(IllegalArgumentException.class, () -> vectors.initialize(v, new dev.rnn4j.tensor.Parameter("t", v.size(), 3), 7));
    }
}
