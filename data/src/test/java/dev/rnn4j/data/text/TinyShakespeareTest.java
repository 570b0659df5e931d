package dev.rnn4j.data.text;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.ValidationMetrics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shortened version of the Tiny Shakespeare run (docs/results.md): the first 150,000 characters, the last 10% of
 * them validating, a small LSTM for three epochs. The validation loss must fall epoch after epoch and end well below
 * a uniform guess over the characters (ln 65 = 4.17 nats).
 */
class TinyShakespeareTest {

    static Path shared(String file) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data").resolve(file);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void validationLossFallsOnTheFirst150kCharacters() throws Exception {
        Path input = shared("tinyshakespeare/input.txt");
        Assumptions.assumeTrue(input != null, "the shared Tiny Shakespeare file");
        TextFile whole = TextFile.read(input, StandardCharsets.UTF_8);
        assertEquals(1_115_394, whole.text().length());
        assertEquals("86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", whole.sha256());
        TextFile start = TextFile.of(input + " (first 150000 characters)", whole.text().substring(0, 150_000));
        LanguageModeler m = LanguageModeler.prepare(new LmCorpus(start, null, null), LmSettings.builder().bptt(64).embeddingSize(32).build(),
                LanguageModeler.defaultTraining().hiddenSize(96).batchSize(16).epochs(3).learningRate(3e-3).threads(2).build(), null);
        assertEquals(135_000, m.trainingTokens());
        List<Double> validation = new ArrayList<>();
        TrainingRun run = m.newRun(null).listener(new TrainingListener() {
            @Override
            public void onValidation(ValidationMetrics v) {
                validation.add(v.loss());
            }
        });
        LmOutcome outcome = m.fit(run);
        assertEquals(3, validation.size());
        for (int i = 1; i < validation.size(); i++) assertTrue(validation.get(i) < validation.get(i - 1), "validation loss " + validation);
        assertTrue(outcome.validationLoss() < 2.3, "validation loss " + validation);
    }
}
