package dev.rnn4j.cli;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.app.JsonlLog;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.text.LanguageModeler;
import dev.rnn4j.data.text.LmCorpus;
import dev.rnn4j.data.text.LmOutcome;
import dev.rnn4j.data.text.LmSettings;
import dev.rnn4j.data.text.PretrainedVectors;
import dev.rnn4j.data.text.TokenLevel;
import dev.rnn4j.data.text.Tokenization;
import dev.rnn4j.data.text.Tokenizer;
import dev.rnn4j.data.text.Vocabulary;
import dev.rnn4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j train lm}: maps the options to {@link LmSettings} and {@link TrainingSettings}, runs the
 * {@link LanguageModeler} with progress, Ctrl-C and resume, prints the validation and test scores and writes the files.
 */
@Command(name = "lm", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false,
        description = {"Trains a language model on a text: predicts each character or word from the ones before it.",
            "%nThe training tokens are cut into --batch parallel streams, read in chunks of --bptt steps with the state carried from "
            + "chunk to chunk (truncated backpropagation through time). Without --valid, the last 10% of the text's characters "
            + "validate (nanoGPT's split). The vocabulary comes from the training text; other tokens become <unk>; at word level "
            + "each line ends with <eos>. Scores: loss in nats per token, perplexity, and bits per character at character level. "
            + "With --out, checkpoints go to --run-dir (default MODEL.run) every epoch; Ctrl-C stops after the current step, writes "
            + "a checkpoint and the best model so far, and prints the command that resumes.", ""})
final class TrainLmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "the training text")
    Path text;

    @Option(names = "--valid", paramLabel = "FILE", description = "the validation text (default: the last 10% of --text)")
    Path valid;

    @Option(names = "--test", paramLabel = "FILE", description = "a test text, scored at the end")
    Path test;

    @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "CHARSET",
            description = "the texts' encoding; bytes invalid in it are an error naming the line (TREC: ISO-8859-1)")
    Charset encoding;

    @Option(names = "--level", defaultValue = "char", paramLabel = "L", completionCandidates = LevelNames.class,
            description = "${COMPLETION-CANDIDATES}: what a token is")
    TokenLevel level;

    @Option(names = "--tokenizer", defaultValue = "unicode", paramLabel = "T", completionCandidates = TokenizerNames.class,
            description = "${COMPLETION-CANDIDATES}: how words are cut (whitespace for tokenised text such as PTB)")
    Tokenizer tokenizer;

    @Option(names = "--lowercase", description = "lower-case the text first")
    boolean lowercase;

    @Option(names = "--min-count", defaultValue = "1", paramLabel = "N", description = "rarer tokens become <unk>")
    int minCount;

    @Option(names = "--max-vocab", defaultValue = "0", paramLabel = "V", description = "at most V ids, specials included; 0 = no limit")
    int maxVocab;

    @Option(names = "--bptt", defaultValue = "" + LmSettings.DEFAULT_BPTT, paramLabel = "K", description = "steps per truncated-BPTT chunk")
    int bptt;

    @Option(names = "--embedding-size", defaultValue = "0", paramLabel = "E", description = "values per embedded token; 0 = --hidden")
    int embeddingSize;

    @Option(names = "--tie-weights", description = "the output layer is the embedding table (Press & Wolf 2017); needs E = --hidden")
    boolean tieWeights;

    @Option(names = "--embeddings", paramLabel = "FILE", description = "pretrained word vectors (GloVe or word2vec text) for the embedding")
    Path embeddings;

    @Option(names = "--freeze-embeddings", description = "keep the pretrained vectors fixed instead of fine-tuning them")
    boolean freezeEmbeddings;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "CELL", completionCandidates = MemoryTaskCommand.CellNames.class,
            description = "${COMPLETION-CANDIDATES}")
    CellType cell;

    @Option(names = {"--hidden", "--hidden-size"}, defaultValue = "" + LanguageModeler.DEFAULT_HIDDEN, paramLabel = "H",
            description = "hidden units per layer")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N", description = "stacked layers")
    int layers;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P", description = "dropout between layers and on the recurrent state")
    double dropout;

    @Option(names = "--epochs", defaultValue = "" + LanguageModeler.DEFAULT_EPOCHS, paramLabel = "N", description = "passes over the text")
    int epochs;

    @Option(names = "--patience", defaultValue = "" + LanguageModeler.DEFAULT_PATIENCE, paramLabel = "N",
            description = "stop after N epochs without a better validation loss; the best model is kept")
    int patience;

    @Option(names = "--batch", defaultValue = "" + LanguageModeler.DEFAULT_BATCH, paramLabel = "B", description = "parallel streams")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "0.002", paramLabel = "LR", description = "Adam's learning rate")
    double learningRate;

    @Option(names = "--lr-decay", defaultValue = "1.0", paramLabel = "F", description = "the learning rate is multiplied by F after every epoch")
    double learningRateDecay;

    @Option(names = "--clip-norm", defaultValue = "1.0", paramLabel = "N", description = "the gradient's global norm is clipped to N")
    double clipNorm;

    @Mixin
    TrainOptions train;

    @Option(names = "--out", paramLabel = "MODEL", description = "writes the model bundle")
    Path out;

    @Option(names = "--log-jsonl", paramLabel = "F", description = "writes one JSON line per step and per epoch")
    Path logJsonl;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "checkpoints go here (default: MODEL.run beside --out; none without --out)")
    Path runDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "continues the interrupted run in DIR bit for bit (same text and options)")
    Path resume;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        for (Path p : new Path[] {out, train.metricsOut(), logJsonl}) AtomicFiles.checkWritable(p);
        if (resume != null && !Files.isDirectory(resume)) throw new UsageException(resume + ": no such run directory to resume");
        if (freezeEmbeddings && embeddings == null) throw new UsageException("--freeze-embeddings needs --embeddings FILE");
        Path checkpoints = resume != null ? resume : runDir != null ? runDir : out == null ? null : Path.of(out + ".run");
        LmSettings settings = lmSettings();
        TrainingSettings training = trainingSettings();

        LmCorpus corpus = LmCorpus.read(text, valid, test, encoding);
        LanguageModeler.Embeddings vectors = null;
        if (embeddings != null) {
            vectors = new LanguageModeler.Embeddings(PretrainedVectors.read(embeddings, encoding, null), freezeEmbeddings);
        }
        LanguageModeler modeler;
        try {
            modeler = LanguageModeler.prepare(corpus, settings, training, vectors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainingRun run = modeler.newRun(checkpoints);
        printPlan(err, modeler);
        if (resume != null) run.resume();
        LmOutcome outcome;
        try (TrainingProgress progress = new TrainingProgress(train.display(), err);
             JsonlLog log = logJsonl == null ? null : new JsonlLog(logJsonl, resume != null);
             Interrupts interrupts = Interrupts.install(run::stop, err)) {
            run.listener(progress);
            if (log != null) run.listener(log);
            outcome = modeler.fit(run);
        }
        if (outcome.interrupted()) return interrupted(err, run, outcome);

        printScores(stdout, outcome);
        Map<String, Object> metrics = metrics(outcome);
        if (out != null) {
            outcome.model().save(out, run.provenance(CommandLines.commandLine(spec), fingerprint(corpus)), metrics);
            stdout.println("model written to " + out);
        }
        if (train.metricsOut() != null) {
            AtomicFiles.writeString(train.metricsOut(), Json.writePretty(metrics) + "\n");
            stdout.println("metrics written to " + train.metricsOut());
        }
        return Main.OK;
    }

    private LmSettings lmSettings() {
        try {
            return LmSettings.builder().tokenization(new Tokenization(level, tokenizer, lowercase))
                    .limits(new Vocabulary.Limits(minCount, maxVocab)).bptt(bptt).embeddingSize(embeddingSize).tieWeights(tieWeights)
                    .learningRateDecay(learningRateDecay).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private TrainingSettings trainingSettings() {
        try {
            return LanguageModeler.defaultTraining().cell(cell).hiddenSize(hidden).layers(layers).dropout(dropout).epochs(epochs)
                    .patience(patience).batchSize(batch).learningRate(learningRate).clipNorm(clipNorm).seed(train.seed())
                    .threads(train.threads()).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String fingerprint(LmCorpus corpus) {
        return corpus.train().sha256() == null ? null : "sha256:" + corpus.train().sha256();
    }

    private Map<String, Object> metrics(LmOutcome outcome) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("command", CommandLines.commandLine(spec));
        metrics.putAll(outcome.metricsJson());
        return metrics;
    }

    /** The choices made, once, before training. */
    private static void printPlan(PrintWriter err, LanguageModeler m) {
        LmSettings s = m.settings();
        TrainingSettings t = m.training();
        err.printf(Locale.ROOT, "%s: %s; %d training, %d validation%s tokens; vocabulary %d (covers %.2f%% of the training tokens)%n",
                m.corpus().train().source(), s, m.trainingTokens(), m.validationTokens(),
                m.testTokens() > 0 ? ", " + m.testTokens() + " test" : "", m.vocabulary().size(), 100 * m.trainingCoverage().share());
        if (m.embeddingMatch() != null) {
            err.printf(Locale.ROOT, "embeddings: %d of %d tokens (%.1f%%) have a pretrained vector, the others a random one%n",
                    m.embeddingMatch().found(), m.embeddingMatch().tokens(), 100 * m.embeddingMatch().share());
        }
        err.printf(Locale.ROOT, "model: %s %d x %d, embedding %d%s%s; up to %d epochs of %d steps (patience %d), %d streams, Adam %s, "
                        + "clip %s, seed %d, %d threads%n",
                t.cell().name().toLowerCase(Locale.ROOT), t.hiddenSize(), t.layers(), s.embeddingSize(t.hiddenSize()),
                s.tieWeights() ? ", tied" : "", t.dropout() > 0 ? ", dropout " + t.dropout() : "", t.epochs(), m.stepsPerEpoch(), t.patience(),
                t.batchSize(), t.learningRate(), t.clipNorm(), t.seed(), t.threads());
        err.flush();
    }

    private static void printScores(PrintWriter out, LmOutcome o) {
        out.println(score("validation", o, o.validationLoss()));
        if (Double.isFinite(o.testLoss())) out.println(score("test", o, o.testLoss()));
        if (Double.isFinite(o.tokensPerSecond())) {
            out.printf(Locale.ROOT, "trained to step %d; %.1f s, %.0f tokens/s%n", o.result().steps(), o.trainSeconds(), o.tokensPerSecond());
        }
    }

    private static String score(String part, LmOutcome o, double loss) {
        boolean chars = o.model().tokenization().level() == TokenLevel.CHAR;
        return String.format(Locale.ROOT, "%s: loss %.4f nats/%s, perplexity %.3f%s", part, loss, chars ? "char" : "token", Math.exp(loss),
                chars ? String.format(Locale.ROOT, ", %.4f bits/char", loss / Math.log(2)) : "");
    }

    private int interrupted(PrintWriter err, TrainingRun run, LmOutcome outcome) {
        StringBuilder message = new StringBuilder("interrupted after step " + outcome.result().steps());
        if (run.runDirectory() != null) message.append("; checkpoint written to ").append(TrainingRun.checkpoint(run.runDirectory()));
        if (out != null && run.restoreBest()) {
            outcome.model().save(out, run.provenance(CommandLines.commandLine(spec), fingerprint(outcome.modeler().corpus())), metrics(outcome));
            message.append("; the best model so far is in ").append(out);
        }
        err.println(message);
        if (run.runDirectory() != null) err.println("resume with: " + CommandLines.resumeCommand(spec, run.runDirectory()));
        return Main.INTERRUPTED;
    }

    static final class LevelNames extends LowerCaseNames<TokenLevel> {
        LevelNames() {
            super(TokenLevel.class);
        }
    }

    static final class TokenizerNames extends LowerCaseNames<Tokenizer> {
        TokenizerNames() {
            super(Tokenizer.class);
        }
    }
}
