package dev.rnn4j.data;

import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.audio.AudioEncoding;
import dev.rnn4j.data.classify.ClassifySettings;
import dev.rnn4j.data.classify.Classifier;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.model.Head;
import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.data.text.TextEncoding;

import java.util.Map;

/** Rebuilds a domain's {@link SequenceEncoding} from a bundle: the one place that knows every domain. */
public final class Domains {
    private Domains() {}

    /**
     * @param json what {@link SequenceEncoding#toJson()} wrote, with its {@code "domain"}
     * @throws IllegalArgumentException for an unknown domain or malformed settings
     */
    public static SequenceEncoding encoding(Map<String, Object> json) {
        Object domain = json.get("domain");
        return switch (String.valueOf(domain)) {
            case DnaEncoding.DOMAIN -> DnaEncoding.fromJson(json);
            case AudioEncoding.DOMAIN -> AudioEncoding.fromJson(json);
            case TextEncoding.DOMAIN -> TextEncoding.fromJson(json);
            default -> throw new IllegalArgumentException("unknown data domain '" + domain + "' in the bundle's encoding");
        };
    }

    /**
     * A classifier's shape for records of {@code domain} ({@link SequenceEncoding#domain()}): {@link ClassifySettings#defaults()},
     * except for text: attention pooling (a question's type sits in a few words, such as "how many"), E = 100, word
     * dropout 0.4, and 5% of the training records for validation, as small labelled sets of sentences need every
     * example (measured on TREC, docs/results.md).
     */
    public static ClassifySettings classifySettings(String domain) {
        if (!TextEncoding.DOMAIN.equals(domain)) return ClassifySettings.defaults();
        return ClassifySettings.defaults().withPooling(Head.ATTENTION).withEmbeddingSize(100).withWordDropout(0.4).withValidationFraction(0.05);
    }

    /**
     * A classifier's training for records of {@code domain}: {@link Classifier#defaultTraining()}, except for text, where
     * a small labelled set of short sentences over a large vocabulary overfits sooner and learns slower: LSTM 100,
     * dropout 0.5, Adam 1e-3, patience 15 (measured on TREC, docs/results.md).
     */
    public static TrainingSettings.Builder classifyTraining(String domain) {
        if (!TextEncoding.DOMAIN.equals(domain)) return Classifier.defaultTraining();
        return Classifier.defaultTraining().hiddenSize(100).dropout(0.5).learningRate(1e-3).patience(15);
    }
}
