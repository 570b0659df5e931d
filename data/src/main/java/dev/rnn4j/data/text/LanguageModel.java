package dev.rnn4j.data.text;

import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.Trainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained language model: the network (embedding, recurrent layers, a head over the vocabulary at every step),
 * its {@link Tokenization} and {@link Vocabulary}. Saved as one bundle of task {@value #TASK}.
 *
 * <pre>{@code
 * LanguageModel lm = LanguageModel.load(Path.of("shakespeare.rnn4j"));
 * double loss = lm.evaluate(lm.encode(TextFile.read(Path.of("test.txt"), UTF_8)), 128, 16); // nats per token
 * TextGenerator g = lm.generator(new Sampling(0.8, 0, 1), 42);
 * }</pre>
 */
public final class LanguageModel {
    /** The bundle's task name. */
    public static final String TASK = "lm";

    private final SequenceModel network;
    private final Tokenization tokenization;
    private final Vocabulary vocabulary;

    public LanguageModel(SequenceModel network, Tokenization tokenization, Vocabulary vocabulary) {
        this.network = Objects.requireNonNull(network, "network");
        this.tokenization = Objects.requireNonNull(tokenization, "tokenization");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        var spec = network.spec();
        if (spec.vocabulary() != vocabulary.size() || spec.outputs() != vocabulary.size() || spec.head() != Head.EVERY_STEP
                || spec.recurrent().bidirectional()) {
            throw new IllegalArgumentException("a language model needs a unidirectional network that reads and predicts the "
                    + vocabulary.size() + " tokens at every step, not " + spec.toJson());
        }
    }

    public SequenceModel network() {
        return network;
    }

    public Tokenization tokenization() {
        return tokenization;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The token ids of a text, as the model was trained on them (tokens outside the vocabulary as {@code <unk>}). */
    public int[] encode(TextFile text) {
        return encode(text, tokenization, vocabulary);
    }

    static int[] encode(TextFile text, Tokenization tokenization, Vocabulary vocabulary) {
        IntList ids = new IntList();
        tokenization.forEachLmToken(text.text(), t -> ids.add(vocabulary.idOf(t)));
        return ids.toArray();
    }

    /**
     * The mean loss in nats per predicted token over a token sequence, read as {@code streams} parallel streams in
     * chunks of {@code bptt} steps with the state carried (as in training), in inference mode.
     *
     * @param streams at most this many streams: fewer when the text is short, so that each has a step
     * @throws IllegalArgumentException for fewer than 2 tokens
     */
    public double evaluate(int[] ids, int bptt, int streams) {
        if (ids.length < 2) throw new IllegalArgumentException("evaluating needs at least 2 tokens, got " + ids.length);
        int b = evaluationStreams(ids.length, streams, bptt);
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.sgd(1e-3)).loss(new SoftmaxCrossEntropy()).epochs(1)
                .truncatedBptt(bptt).build();
        return new Trainer(network, config).evaluate(List.of(LmStreams.batch(ids, b)));
    }

    /** B for evaluating {@code tokens} tokens: up to {@code streams}, fewer so that each stream has a chunk's steps if it can. */
    static int evaluationStreams(int tokens, int streams, int bptt) {
        return Math.max(1, Math.min(streams, Math.min(tokens / 2, tokens / (bptt + 1))));
    }

    /** A generator at the start of a line; see {@link TextGenerator}. */
    public TextGenerator generator(Sampling sampling, long seed) {
        return new TextGenerator(this, sampling, seed);
    }

    // ---- files

    public Map<String, Object> preprocessingJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tokenization", tokenization.toJson());
        json.put("vocabulary", vocabulary.toJson());
        return json;
    }

    /** Writes the bundle: weights, tokenization and vocabulary, the given metrics and provenance. */
    public void save(Path file, TrainingProvenance provenance, Map<String, Object> metrics) {
        BundleFile.save(new ModelBundle(network, TASK, preprocessingJson(), metrics, provenance), file);
    }

    /**
     * Reads a language-model bundle.
     *
     * @throws ModelFileException naming the file when it is not a language model or is damaged
     */
    public static LanguageModel load(Path file) {
        ModelBundle bundle = BundleFile.read(file);
        if (!TASK.equals(bundle.task())) {
            throw new ModelFileException(file + ": a model for the '" + bundle.task() + "' task, not a language model");
        }
        try {
            Map<String, Object> p = bundle.preprocessing();
            return new LanguageModel(bundle.model(), Tokenization.fromJson(JsonValues.object(p, "tokenization")),
                    Vocabulary.fromJson(JsonValues.object(p, "vocabulary")));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": metadata 'bundle': " + e.getMessage(), e);
        }
    }

    /** A growable int array, so that a long text's ids are not boxed. */
    static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, 2 * size);
            values[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
