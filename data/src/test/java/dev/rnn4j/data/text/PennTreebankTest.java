package dev.rnn4j.data.text;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.loss.GradientScaled;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.ValidationMetrics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shortened version of examples/ptb-small.sh (Zaremba et al.'s small model, docs/results.md): their recipe (SGD at
 * rate 1 decaying after the first epochs, the gradient summed over the unrolled steps, weights uniform in +-0.1, clip
 * 5) on the first 2,000 lines of the training text (its 2,000 commonest words) with a smaller network, for three epochs. The validation
 * perplexity must end below where it began and far below a uniform guess over the vocabulary.
 */
class PennTreebankTest {

    @Test
    void zarembaRecipeLowersTheValidationPerplexityOnASlice() throws Exception {
        Path train = TinyShakespeareTest.shared("ptb/ptb.train.txt"), valid = TinyShakespeareTest.shared("ptb/ptb.valid.txt");
        Assumptions.assumeTrue(train != null && valid != null, "the shared Penn Treebank files");
        TextFile whole = TextFile.read(train, StandardCharsets.UTF_8);
        assertEquals("fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf", whole.sha256(), "ptb.train.txt as SOURCE.md describes");
        TextFile slice = TextFile.of(train + " (first 2000 lines)", firstLines(whole.text(), 2000));
        TextFile validSlice = TextFile.of(valid + " (first 300 lines)", firstLines(TextFile.read(valid, StandardCharsets.UTF_8).text(), 300));
        LmSettings settings = LmSettings.builder().tokenization(Tokenization.words(Tokenizer.WHITESPACE)).limits(new Vocabulary.Limits(1, 2000))
                .bptt(20).embeddingSize(64)
                .learningRateDecay(0.5).decayAfter(2).initScale(0.1).sumOverSteps(true).build();
        TrainingSettings training = LanguageModeler.defaultTraining().hiddenSize(64).layers(2).batchSize(20).epochs(3).patience(3)
                .optimizer(TrainingSettings.Optimizer.SGD).learningRate(1).clipNorm(5).threads(2).build();
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(slice, validSlice, null), settings, training, null);
        assertInstanceOf(GradientScaled.class, m.loss());
        List<Double> validation = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        TrainingRun run = m.newRun(null).listener(new TrainingListener() {
            @Override
            public void onValidation(ValidationMetrics v) {
                validation.add(v.loss());
                rates.add(v.learningRate());
            }
        });
        LmOutcome outcome = m.fit(run);
        assertEquals(3, validation.size());
        // at rate 1 on a small slice the second epoch may wobble; once the rate halves it must end below where it began
        assertTrue(validation.get(2) < validation.get(0) && validation.get(2) < validation.get(1), "validation loss " + validation);
        double uniform = Math.log(m.vocabulary().size());
        assertTrue(outcome.validationLoss() < uniform - 2, "validation loss " + validation + " against ln V = " + uniform);
        assertTrue(rates.get(0) == 1.0 && rates.get(2) == 0.5, "learning rates " + rates);
    }

    private static String firstLines(String text, int lines) {
        int at = 0;
        for (int i = 0; i < lines && at >= 0; i++) at = text.indexOf('\n', at) + 1;
        return at <= 0 ? text : text.substring(0, at);
    }
}
