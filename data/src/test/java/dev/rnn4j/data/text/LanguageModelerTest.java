package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.ValidationMetrics;
import dev.rnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanguageModelerTest {

    @Test
    void streamsAreConsecutivePiecesReadSideBySide() {
        int[] ids = new int[23];
        for (int i = 0; i < ids.length; i++) ids[i] = i;
        Batch b = LmStreams.batch(ids, 3); // 7 tokens per stream (2 dropped): 0..6, 7..13, 14..20; 6 steps
        assertEquals(6, b.input().steps());
        assertEquals(3, b.input().batch());
        int[] x = b.input().tokens(), y = b.targets().classes();
        assertArrayEquals(new int[] {0, 7, 14, 1, 8, 15}, java.util.Arrays.copyOf(x, 6), "time-major [T, B]");
        for (int i = 0; i < x.length; i++) assertEquals(x[i] + 1, y[i], "the target is the stream's next token");
        assertEquals(20, y[y.length - 1]);
        assertEquals(6, LmStreams.steps(23, 3));
        assertThrows(IllegalArgumentException.class, () -> LmStreams.batch(new int[5], 3));
    }

    @Test
    void lastTenPercentOfTheCharactersValidate() {
        TextFile text = TextFile.of("t.txt", "abcdefghij".repeat(10));
        TextFile[] parts = LmCorpus.splitLast(text, 0.1, TokenLevel.CHAR);
        assertEquals(90, parts[0].text().length());
        assertEquals("abcdefghij", parts[1].text());
        TextFile lines = TextFile.of("w.txt", "one two\nthree four\nfive six\n");
        TextFile[] wordParts = LmCorpus.splitLast(lines, 0.3, TokenLevel.WORD);
        assertEquals("one two\nthree four\n", wordParts[0].text(), "at word level the cut moves to the next line start");
        assertEquals("five six\n", wordParts[1].text());
    }

    static String corpus() {
        StringBuilder s = new StringBuilder();
        String[] lines = {"the cat sat on the mat", "a dog ate the bone", "the bird sang a song", "my cat and my dog"};
        for (int i = 0; i < 60; i++) s.append(lines[i % lines.length]).append('\n');
        return s.toString();
    }

    static TrainingSettings small(int epochs) {
        return LanguageModeler.defaultTraining().hiddenSize(24).batchSize(4).epochs(epochs).patience(epochs).learningRate(1e-2).threads(1).build();
    }

    @Test
    void prepareCutsStreamsAndChunksAndChecksTheLength() {
        LmSettings settings = LmSettings.builder().bptt(16).build();
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(TextFile.of("c.txt", corpus()), null, null), settings, small(1), null);
        int chars = corpus().length();
        assertEquals((int) (chars * 0.9), m.trainingTokens());
        assertEquals(chars - (int) (chars * 0.9), m.validationTokens());
        int steps = m.trainingTokens() / 4 - 1;
        assertEquals((steps + 15) / 16, m.stepsPerEpoch());
        assertTrue(m.vocabulary().contains("\n"));
        assertEquals("<unk>", m.vocabulary().token(0));

        DataFileException tooShort = assertThrows(DataFileException.class, () -> LanguageModeler.prepare(
                new LmCorpus(TextFile.of("tiny.txt", "hello world, a short text\n"), null, null), settings, small(1), null));
        assertTrue(tooShort.getMessage().startsWith("tiny.txt: 23 training tokens are too few for 4 streams (--batch) of 16 steps (--bptt)"),
                tooShort.getMessage());
        DataFileException empty = assertThrows(DataFileException.class, () -> LanguageModeler.prepare(
                new LmCorpus(TextFile.of("empty.txt", ""), null, null), settings, small(1), null));
        assertEquals("empty.txt: no text to train on (the file is empty)", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LanguageModeler.prepare(new LmCorpus(TextFile.of("c.txt", corpus()), null, null),
                LmSettings.builder().tieWeights(true).embeddingSize(8).build(), small(1), null));
    }

    @Test
    void characterModelLearnsAndItsLossFalls(@TempDir Path dir) {
        LmSettings settings = LmSettings.builder().bptt(20).build();
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(TextFile.of("c.txt", corpus()), null, TextFile.of("t.txt", corpus())),
                settings, small(6), null);
        List<Double> validation = new ArrayList<>();
        TrainingRun run = m.newRun(dir.resolve("run")).listener(new TrainingListener() {
            @Override
            public void onValidation(ValidationMetrics v) {
                validation.add(v.loss());
            }
        });
        LmOutcome outcome = m.fit(run);
        assertEquals(6, validation.size());
        assertTrue(validation.getLast() < validation.getFirst() - 0.5, "validation loss " + validation);
        assertTrue(outcome.validationLoss() < Math.log(m.vocabulary().size()) - 1, "below a uniform guess: " + outcome.validationLoss());
        assertTrue(Double.isFinite(outcome.testLoss()));
        var metrics = outcome.metricsJson();
        @SuppressWarnings("unchecked")
        var valid = (java.util.Map<String, Object>) metrics.get("valid");
        assertEquals(outcome.validationLoss() / Math.log(2), (double) valid.get("bpc"), 1e-12);
        assertEquals(Math.exp(outcome.validationLoss()), (double) valid.get("perplexity"), 1e-9);
        assertTrue(metrics.containsKey("test") && metrics.containsKey("tokens_per_second"));
        assertEquals(m.stepsPerEpoch() * 6, outcome.result().steps());
        assertTrue(java.nio.file.Files.isRegularFile(TrainingRun.checkpoint(dir.resolve("run"))));

        Path file = dir.resolve("lm.rnn4j");
        outcome.model().save(file, null, metrics);
        LanguageModel loaded = LanguageModel.load(file);
        assertEquals(outcome.model().vocabulary(), loaded.vocabulary());
        assertEquals(outcome.validationLoss(), loaded.evaluate(loaded.encode(TextFile.of("v", corpus().substring((int) (corpus().length() * 0.9)))),
                20, 4), 1e-6, "the loaded model scores the validation text as before");
    }

    @Test
    void wordModelWithTiedWeightsTrainsAndResumesToTheSameWeights(@TempDir Path dir) {
        LmSettings settings = LmSettings.builder().tokenization(Tokenization.words(Tokenizer.WHITESPACE)).bptt(5).tieWeights(true).build();
        LmCorpus corpus = new LmCorpus(TextFile.of("w.txt", corpus()), TextFile.of("v.txt", "the cat ate the song\n"), null);
        TrainingSettings training = small(3).toBuilder().batchSize(3).build();
        LanguageModeler m = LanguageModeler.prepare(corpus, settings, training, null);
        assertTrue(m.vocabulary().endOfLineId() >= 0);
        LmOutcome whole = m.fit(m.newRun(null));
        assertFalse(whole.interrupted());

        TrainingRun first = m.newRun(dir);
        first.listener(new TrainingListener() {
            @Override
            public void onStep(dev.rnn4j.train.StepMetrics s) {
                if (s.step() == 5) first.stop();
            }
        });
        assertTrue(m.fit(first).interrupted());
        LmOutcome resumed = m.fit(m.newRun(dir).resume());
        assertArrayEquals(whole.model().network().embedding().weight().value(), resumed.model().network().embedding().weight().value(),
                "a resumed run ends with the uninterrupted run's weights");
        assertEquals(whole.validationLoss(), resumed.validationLoss(), 0.0);
    }

    @Test
    void learningRateDecaysEveryEpoch() {
        LmSettings settings = LmSettings.builder().bptt(40).learningRateDecay(0.5).build();
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(TextFile.of("c.txt", corpus()), null, null), settings, small(3), null);
        java.util.Map<Integer, Double> rates = new java.util.TreeMap<>();
        TrainingRun run = m.newRun(null).listener(new TrainingListener() {
            @Override
            public void onStep(dev.rnn4j.train.StepMetrics s) {
                rates.put(s.epoch(), s.learningRate());
            }
        });
        m.fit(run);
        assertEquals(java.util.Map.of(0, 1e-2, 1, 5e-3, 2, 2.5e-3), rates);
        assertThrows(IllegalArgumentException.class, () -> LmSettings.builder().learningRateDecay(1.5).build());
    }

    @Test
    void frozenPretrainedEmbeddingStaysAsLoaded(@TempDir Path dir) throws Exception {
        Path vectors = dir.resolve("v.txt");
        java.nio.file.Files.writeString(vectors, "the 1 0 0 0 0 0 0 0\ncat 0 1 0 0 0 0 0 0\ndog 0 0 1 0 0 0 0 0\n");
        LmSettings settings = LmSettings.builder().tokenization(Tokenization.words(Tokenizer.WHITESPACE)).bptt(5).embeddingSize(8).build();
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(TextFile.of("w.txt", corpus()), null, null), settings, small(1),
                new LanguageModeler.Embeddings(PretrainedVectors.read(vectors, java.nio.charset.StandardCharsets.UTF_8, null), true));
        TrainingRun run = m.newRun(null);
        float[] before = run.trainer().model().embedding().weight().value().clone();
        assertEquals(1f, before[m.vocabulary().idOf("the") * 8]);
        LmOutcome outcome = m.fit(run);
        assertArrayEquals(before, outcome.model().network().embedding().weight().value());
        assertEquals(3, m.embeddingMatch().found());
    }
}
