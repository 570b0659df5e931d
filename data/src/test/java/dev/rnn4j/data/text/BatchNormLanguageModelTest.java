package dev.rnn4j.data.text;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.model.NamedBuffer;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shortened version of examples/char-ptb.sh's BN-LSTM: a few dozen truncated-BPTT steps on a slice of the
 * character-level Penn Treebank (the stored ptb.char.valid.txt when shared/data is here, else the same transform of a
 * built-in text). The training loss must fall, and the saved bundle must evaluate (with its population statistics)
 * to exactly the loss of the model in memory.
 */
class BatchNormLanguageModelTest {

    /** About 6,000 symbols of character-level PTB. */
    static String charSlice() throws Exception {
        Path stored = TinyShakespeareTest.shared("ptb/ptb.char.valid.txt");
        if (stored != null) {
            String text = TextFile.read(stored, StandardCharsets.UTF_8).text();
            return text.substring(0, text.indexOf('\n', 12_000) + 1);
        }
        String words = """
                 the company said it expects to report a loss for the third quarter
                 investors were n't sure whether the market would recover before the end of the year
                 the bank 's chairman said the plan would be announced next week
                 analysts expect the fed to cut interest rates again in N
                """;
        return PennTreebankChars.fromWords(words.repeat(20));
    }

    @Test
    void trainingLowersTheLossAndTheSavedBundleEvaluatesAsInMemory(@TempDir Path dir) throws Exception {
        String text = charSlice();
        LmSettings settings = LmSettings.builder().tokenization(Tokenization.words(Tokenizer.WHITESPACE)).bptt(20).embeddingSize(16)
                .normalization(LmSettings.Normalization.BATCH).build();
        assertEquals(20, settings.effectiveBatchNormSteps(), "T_max defaults to --bptt");
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(TextFile.of("char slice", text), null, null), settings,
                LanguageModeler.defaultTraining().hiddenSize(32).batchSize(8).epochs(2).learningRate(5e-3).threads(2).build(), null);
        List<Double> losses = new ArrayList<>();
        TrainingRun run = m.newRun(null).listener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
                losses.add(s.loss());
            }
        });
        LmOutcome outcome = m.fit(run);
        assertTrue(losses.size() >= 24 && losses.size() <= 120, "a few dozen steps: " + losses.size());
        double first = mean(losses.subList(0, 5)), last = mean(losses.subList(losses.size() - 5, losses.size()));
        assertTrue(last < first - 0.5, "the training loss falls: first steps " + first + ", last steps " + last);
        assertTrue(outcome.validationLoss() < Math.log(m.vocabulary().size()) - 0.5,
                "validation " + outcome.validationLoss() + " below a uniform guess over " + m.vocabulary().size() + " symbols");

        LanguageModel inMemory = outcome.model();
        int[] ids = inMemory.encode(m.validationText());
        double expected = inMemory.evaluate(ids, settings.bptt(), 4);
        Path file = dir.resolve("bn-lm.rnn4j");
        inMemory.save(file, null, outcome.metricsJson());
        LanguageModel loaded = LanguageModel.load(file);
        assertEquals(20, loaded.network().spec().recurrent().regularization().batchNormSteps());
        assertEquals(expected, loaded.evaluate(ids, settings.bptt(), 4), 0.0, "save, load, evaluate: the same loss");

        // that loss is the population statistics' (training moved them from mean 0, variance 1)
        for (NamedBuffer b : loaded.network().namedBuffers()) Arrays.fill(b.buffer().value(), b.name().contains("_var") ? 1f : 0f);
        assertTrue(Math.abs(expected - loaded.evaluate(ids, settings.bptt(), 4)) > 1e-3, "evaluation reads the population statistics");

        // and generation, one step at a time, runs on them
        TextGenerator g = inMemory.generator(new Sampling(0.8, 0, 1), 3);
        StringBuilder sample = new StringBuilder();
        for (int i = 0; i < 40; i++) sample.append(g.text(g.next()));
        assertTrue(sample.length() >= 40, sample.toString());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
