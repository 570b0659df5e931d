package dev.rnn4j.data.text;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.GradientScaled;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Initialization;
import dev.rnn4j.optim.ExponentialDecay;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchSource;
import dev.rnn4j.train.TrainResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a language model on a text: the workflow behind {@code rnn4j train lm}, for Java users alike.
 *
 * <pre>{@code
 * LmCorpus corpus = LmCorpus.read(Path.of("input.txt"), null, null, StandardCharsets.UTF_8);
 * LmOutcome outcome = LanguageModeler.fit(corpus, LmSettings.builder().bptt(128).build(),
 *         LanguageModeler.defaultTraining().hiddenSize(512).layers(2).build());
 * outcome.validationLoss();                                  // nats per character
 * outcome.model().save(Path.of("shakespeare.rnn4j"), provenance, outcome.metricsJson());
 * }</pre>
 *
 * <p>The vocabulary is chosen on the training text alone; validation and test tokens outside it count as
 * {@code <unk>}. The training tokens are cut into B = batch parallel streams ({@link LmStreams}) and every epoch reads
 * them once, in chunks of bptt steps with the state carried from chunk to chunk (truncated BPTT); the loss is the
 * mean cross-entropy per token. Call order for a run the caller watches and may stop: {@link #prepare},
 * {@link #newRun} (add listeners, optionally {@link TrainingRun#resume()}), then {@link #fit(TrainingRun)}.
 */
public final class LanguageModeler {
    public static final int DEFAULT_BATCH = 64;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_PATIENCE = 3;
    public static final int DEFAULT_HIDDEN = 256;
    /** Validation streams at most: more only shortens the context each starts without. */
    static final int VALIDATION_STREAMS = 16;

    /**
     * Pretrained vectors for the embedding.
     *
     * @param freeze keep them as they are (the table is not trained), else fine-tune them
     */
    public record Embeddings(PretrainedVectors vectors, boolean freeze) {
        public Embeddings {
            Objects.requireNonNull(vectors, "vectors");
        }
    }

    private final LmCorpus corpus;
    private final LmSettings settings;
    private final TrainingSettings training;
    private final Embeddings embeddings;
    private final TextFile trainText;
    private final TextFile validationText;
    private final Vocabulary vocabulary;
    private final Vocabulary.Coverage trainCoverage;
    private final int[] trainIds;
    private final int[] validationIds;
    private final int[] testIds;
    private final Batch trainStreams;
    private final int validationStreams;
    private PretrainedVectors.Match embeddingMatch;

    private LanguageModeler(LmCorpus corpus, LmSettings settings, TrainingSettings training, Embeddings embeddings) {
        this.corpus = corpus;
        this.settings = settings;
        this.training = training;
        this.embeddings = embeddings;
        Tokenization tokenization = settings.tokenization();
        if (corpus.validation() != null) {
            this.trainText = corpus.train();
            this.validationText = corpus.validation();
        } else {
            TextFile[] parts = LmCorpus.splitLast(corpus.train(), settings.validationFraction(), tokenization.level());
            this.trainText = parts[0];
            this.validationText = parts[1];
        }
        TokenCounts counts = new TokenCounts();
        tokenization.forEachLmToken(trainText.text(), counts::add);
        if (counts.total() == 0) throw DataFileException.ofFile(corpus.train().source(), "no text to train on (the file is empty)");
        this.vocabulary = tokenization.level() == TokenLevel.WORD
                ? Vocabulary.of(counts, settings.limits(), Vocabulary.Special.END_OF_LINE)
                : Vocabulary.of(counts, settings.limits());
        this.trainCoverage = vocabulary.coverage(counts);
        this.trainIds = LanguageModel.encode(trainText, tokenization, vocabulary);
        int b = training.batchSize(), k = settings.bptt();
        if (trainIds.length < (long) b * (k + 1)) {
            throw DataFileException.ofFile(corpus.train().source(), String.format(java.util.Locale.ROOT,
                    "%d training tokens are too few for %d streams (--batch) of %d steps (--bptt): that needs at least %d; "
                            + "use a smaller --batch or --bptt, or more text", trainIds.length, b, k, (long) b * (k + 1)));
        }
        this.validationIds = LanguageModel.encode(validationText, tokenization, vocabulary);
        if (validationIds.length < 2) {
            throw DataFileException.ofFile(validationText.source(), validationIds.length + " tokens: validation needs at least 2");
        }
        this.validationStreams = LanguageModel.evaluationStreams(validationIds.length, Math.min(b, VALIDATION_STREAMS), k);
        this.testIds = corpus.test() == null ? null : LanguageModel.encode(corpus.test(), tokenization, vocabulary);
        if (testIds != null && testIds.length < 2) {
            throw DataFileException.ofFile(corpus.test().source(), testIds.length + " tokens: a test needs at least 2");
        }
        this.trainStreams = LmStreams.batch(trainIds, b);
        if (settings.normalization() == LmSettings.Normalization.BATCH && training.cell() != CellType.LSTM) {
            throw new IllegalArgumentException("--batch-norm needs --cell lstm: batch normalisation is implemented for the LSTM, not the "
                    + (training.cell() == CellType.GRU ? "GRU (--layer-norm works for it)" : "simple RNN"));
        }
        if (settings.normalization() == LmSettings.Normalization.LAYER && training.cell() == CellType.RNN) {
            throw new IllegalArgumentException("--layer-norm needs --cell lstm or gru: layer normalisation is not implemented for the simple RNN");
        }
        if (settings.tieWeights() && settings.embeddingSize(training.hiddenSize()) != training.hiddenSize()) {
            throw new IllegalArgumentException("--tie-weights needs the embedding size to equal --hidden (" + training.hiddenSize() + "), not "
                    + settings.embeddingSize());
        }
        if (embeddings != null) {
            if (embeddings.freeze() && settings.tieWeights()) {
                throw new IllegalArgumentException("--freeze-embeddings and --tie-weights do not go together: the tied table is the output layer too");
            }
            if (embeddings.vectors().dimension() != settings.embeddingSize(training.hiddenSize())) {
                throw new IllegalArgumentException(embeddings.vectors().source() + ": the vectors have " + embeddings.vectors().dimension()
                        + " values, the embedding " + settings.embeddingSize(training.hiddenSize()) + "; set --embedding-size "
                        + embeddings.vectors().dimension());
            }
        }
    }

    /**
     * Checks the text against the settings, chooses the vocabulary and cuts the streams.
     *
     * @param embeddings pretrained vectors for the embedding, or null
     * @throws DataFileException naming the file: no text, or too little for one chunk of every stream
     * @throws IllegalArgumentException for settings that contradict each other (tied weights with E != H, ...)
     */
    public static LanguageModeler prepare(LmCorpus corpus, LmSettings settings, TrainingSettings training, Embeddings embeddings) {
        return new LanguageModeler(Objects.requireNonNull(corpus, "corpus"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(training, "training"), embeddings);
    }

    /** Trains without a run directory and scores the validation (and test) text. */
    public static LmOutcome fit(LmCorpus corpus, LmSettings settings, TrainingSettings training) {
        LanguageModeler modeler = prepare(corpus, settings, training, null);
        return modeler.fit(modeler.newRun(null));
    }

    /** The training defaults for language models: LSTM 256 x 1, batch 64 streams, 10 epochs with patience 3, Adam 2e-3, clip 1. */
    public static TrainingSettings.Builder defaultTraining() {
        return TrainingSettings.builder().hiddenSize(DEFAULT_HIDDEN).batchSize(DEFAULT_BATCH).epochs(DEFAULT_EPOCHS).patience(DEFAULT_PATIENCE)
                .learningRate(2e-3);
    }

    // ---- training

    /**
     * The network: an embedding of the vocabulary, the settings' recurrent network (with its normalisation, if any), a
     * head over the vocabulary at every step (tied to the embedding if asked); the pretrained vectors in the table,
     * frozen if asked.
     */
    public SequenceModel newNetwork() {
        SequenceModel network = training.modelBuilder().regularization(settings.regularization(training.regularization()))
                .vocabulary(vocabulary.size()).embeddingSize(settings.embeddingSize(training.hiddenSize()))
                .head(Head.EVERY_STEP).outputs(vocabulary.size()).tiedWeights(settings.tieWeights()).build();
        if (settings.initScale() > 0) Initialization.uniformEverywhere(network, settings.initScale(), training.seed());
        if (embeddings != null) {
            embeddingMatch = embeddings.vectors().initialize(vocabulary, network.embedding().weight(), training.seed());
            network.embedding().weight().setTrainable(!embeddings.freeze());
        }
        return network;
    }

    public Loss loss() {
        Loss perToken = new SoftmaxCrossEntropy();
        return settings.sumOverSteps() ? new GradientScaled(perToken, settings.bptt()) : perToken;
    }

    /** Chunks of bptt steps per epoch. */
    public long stepsPerEpoch() {
        int steps = trainStreams.input().steps(), k = settings.bptt();
        return (steps + k - 1) / k;
    }

    /** A run over the training streams, checkpointing to {@code runDirectory} (null for none) after every epoch. */
    public TrainingRun newRun(Path runDirectory) {
        String fingerprint = "lm(" + settings.tokenization().level().name().toLowerCase(java.util.Locale.ROOT) + ", " + trainIds.length
                + " tokens, " + vocabulary.size() + " ids, " + training.batchSize() + " streams)" + (corpus.train().sha256() == null ? ""
                : " sha256:" + corpus.train().sha256());
        BatchSource source = BatchSource.named(fingerprint, index -> trainStreams);
        var schedule = settings.learningRateDecay() < 1 ? new ExponentialDecay(settings.learningRateDecay(), settings.decayAfter()) : null;
        return new TrainingRun(newNetwork(), loss(), training, new TrainingRun.Streams(source, stepsPerEpoch(), settings.bptt(), schedule),
                runDirectory);
    }

    /** The text that validates: the validation file, or the end of the training text. */
    public TextFile validationText() {
        return validationText;
    }

    /** The validation text as the trainer validates on it: up to {@value #VALIDATION_STREAMS} streams. */
    public List<Batch> validationBatches() {
        return List.of(LmStreams.batch(validationIds, validationStreams));
    }

    /** Trains; unless the run was interrupted or stopped by a NaN, scores the validation and the test text with the best weights. */
    public LmOutcome fit(TrainingRun run) {
        long start = System.nanoTime(), stepsBefore = run.trainer().step(); // a resumed run trained some before
        TrainResult result = run.fit(validationBatches());
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        LanguageModel model = new LanguageModel(run.trainer().model(), settings.tokenization(), vocabulary);
        double validation = Double.NaN, test = Double.NaN;
        if (result.finished()) {
            validation = model.evaluate(validationIds, settings.bptt(), validationStreams);
            if (testIds != null) test = model.evaluate(testIds, settings.bptt(), VALIDATION_STREAMS);
        }
        long tokensNow = tokensTrained(result.steps()) - tokensTrained(stepsBefore);
        return new LmOutcome(model, result, validation, test, (System.nanoTime() - start) / 1e9, trainSeconds, tokensTrained(result.steps()),
                tokensNow > 0 && trainSeconds > 0 ? tokensNow / trainSeconds : Double.NaN, this);
    }

    /** Tokens read by the first {@code steps} training steps (the last chunk of an epoch may be short). */
    long tokensTrained(long steps) {
        long perEpoch = stepsPerEpoch(), full = steps / perEpoch, rest = steps % perEpoch;
        int b = training.batchSize();
        return (full * trainStreams.input().steps() + rest * settings.bptt()) * b;
    }

    // ---- what was chosen

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public LmSettings settings() {
        return settings;
    }

    public TrainingSettings training() {
        return training;
    }

    public LmCorpus corpus() {
        return corpus;
    }

    public int trainingTokens() {
        return trainIds.length;
    }

    public int validationTokens() {
        return validationIds.length;
    }

    /** Test tokens, 0 without a test text. */
    public int testTokens() {
        return testIds == null ? 0 : testIds.length;
    }

    /** The training text's coverage by the vocabulary (below 1 with --min-count or --max-vocab). */
    public Vocabulary.Coverage trainingCoverage() {
        return trainCoverage;
    }

    /** How many vocabulary tokens had a pretrained vector; null without pretrained vectors or before {@link #newNetwork()}. */
    public PretrainedVectors.Match embeddingMatch() {
        return embeddingMatch;
    }

    /** The training and validation text and what became of them, as the metrics file records it. */
    public Map<String, Object> dataJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", corpus.train().source());
        json.put("sha256", corpus.train().sha256());
        json.put("validation_file", corpus.validation() == null ? null : corpus.validation().source());
        json.put("test_file", corpus.test() == null ? null : corpus.test().source());
        json.put("validation", corpus.validation() == null ? "last " + settings.validationFraction() + " of the characters" : "file");
        json.put("training_tokens", trainIds.length);
        json.put("validation_tokens", validationIds.length);
        if (testIds != null) json.put("test_tokens", testIds.length);
        json.put("vocabulary", vocabulary.size());
        json.put("training_coverage", trainCoverage.toJson());
        json.put("streams", training.batchSize());
        json.put("steps_per_epoch", stepsPerEpoch());
        if (embeddingMatch != null) {
            Map<String, Object> e = new LinkedHashMap<>(embeddingMatch.toJson());
            e.put("file", embeddings.vectors().source());
            e.put("frozen", embeddings.freeze());
            json.put("embeddings", e);
        }
        return json;
    }

    public Map<String, Object> settingsJson() {
        Map<String, Object> json = new LinkedHashMap<>(settings.toJson());
        json.put("embedding_size", settings.embeddingSize(training.hiddenSize()));
        json.putAll(training.toJson());
        return json;
    }
}
