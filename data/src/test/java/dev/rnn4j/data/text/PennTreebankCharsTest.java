package dev.rnn4j.data.text;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The character-level Penn Treebank derived from the word-level files (see ../shared/data/ptb/SOURCE.md): train against
 * the published sha256, valid and test byte for byte against the stored character files. Skipped, with the reason, where
 * the shared data is absent.
 */
class PennTreebankCharsTest {

    @Test
    void spellsWordsJoinsThemWithUnderscoresAndKeepsTheLineStructure() {
        assertEquals("a b _ c d \n e \n ", PennTreebankChars.fromWords(" ab cd \n e \n"));
        assertEquals("< u n k > _ N ", PennTreebankChars.fromWords("<unk> N"));
        assertEquals("x \n \n y ", PennTreebankChars.fromWords("x\n\ny"), "an empty line gets its prefix but no trailing space");
        assertEquals("", PennTreebankChars.fromWords(""));
    }

    @Test
    void derivesTheCharacterFilesOfSharedData(@TempDir Path dir) throws Exception {
        Path train = TinyShakespeareTest.shared("ptb/ptb.train.txt"), valid = TinyShakespeareTest.shared("ptb/ptb.valid.txt");
        Path test = TinyShakespeareTest.shared("ptb/ptb.test.txt");
        Path charValid = TinyShakespeareTest.shared("ptb/ptb.char.valid.txt"), charTest = TinyShakespeareTest.shared("ptb/ptb.char.test.txt");
        Assumptions.assumeTrue(train != null && valid != null && test != null && charValid != null && charTest != null,
                "the shared Penn Treebank files (shared/data/ptb: ptb.{train,valid,test}.txt and ptb.char.{valid,test}.txt) are not here");

        PennTreebankChars.Derived derivedTrain = PennTreebankChars.derive(train, dir.resolve("ptb.char.train.txt"));
        assertEquals(PennTreebankChars.TRAIN_SHA256, derivedTrain.sha256(), "ptb.char.train.txt as SOURCE.md gives it");
        assertEquals(10_034_964, derivedTrain.bytes());
        assertEquals(4_975_414, derivedTrain.symbols());

        PennTreebankChars.Derived derivedValid = PennTreebankChars.derive(valid, dir.resolve("ptb.char.valid.txt"));
        assertArrayEquals(Files.readAllBytes(charValid), Files.readAllBytes(derivedValid.file()), "ptb.char.valid.txt byte for byte");
        PennTreebankChars.Derived derivedTest = PennTreebankChars.derive(test, dir.resolve("ptb.char.test.txt"));
        assertArrayEquals(Files.readAllBytes(charTest), Files.readAllBytes(derivedTest.file()), "ptb.char.test.txt byte for byte");
    }
}
