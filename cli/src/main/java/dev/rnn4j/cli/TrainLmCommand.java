package dev.rnn4j.cli;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.text.LanguageModeler;
import dev.rnn4j.data.report.LanguageModelView;
import dev.rnn4j.data.text.LmCorpus;
import dev.rnn4j.data.text.LmOutcome;
import dev.rnn4j.data.text.LmSettings;
import dev.rnn4j.data.text.PretrainedVectors;
import dev.rnn4j.data.text.TokenLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j train lm}: maps the options to {@link LmSettings} and {@link TrainingSettings}, runs the
 * {@link LanguageModeler} with progress, Ctrl-C and resume, prints the validation and test scores and writes the files.
 */
@Command(name = "lm", defaultValueProvider = TaskDefaults.Lm.class, mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false,
        description = {"Trains a language model on a text: predicts each character or word from the ones before it.",
            "%nThe training tokens are cut into --batch parallel streams, read in chunks of --bptt steps with the state carried from "
            + "chunk to chunk (truncated backpropagation through time). Without --valid, the last 10%% of the text's characters "
            + "validate (nanoGPT's split). The vocabulary comes from the training text; other tokens become <unk>; at word level "
            + "each line ends with <eos>. Scores: loss in nats per token, perplexity, and bits per character at character level. "
            + "With --out, checkpoints go to --run-dir (default MODEL.run) every epoch; Ctrl-C stops after the current step, writes "
            + "a checkpoint and the best model so far, and prints the command that resumes.", ""})
final class TrainLmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "the training text")
    Path text;

    @Option(names = "--valid", paramLabel = "FILE", description = "the validation text (default: the last 10%% of --text)")
    Path valid;

    @Option(names = "--test", paramLabel = "FILE", description = "a test text, scored at the end")
    Path test;

    @Mixin
    TokenOptions tokens;

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

    @Mixin
    NetworkOptions network;

    @Option(names = "--layer-norm", description = "layer normalisation inside the cells (Ba et al. 2016): LSTM or GRU")
    boolean layerNorm;

    @Option(names = "--batch-norm", description = "batch normalisation inside the LSTM (Cooijmans et al. 2016): W_ih x, W_hh h and the cell, "
            + "each over the batch per time step, gains from 0.1; evaluation and generation use the population statistics kept per step")
    boolean batchNorm;

    @Option(names = "--batch-norm-steps", defaultValue = "0", paramLabel = "N", description = "time steps with their own population statistics "
            + "(T_max; later steps share the last); 0 = --bptt")
    int batchNormSteps;

    @Option(names = "--lr-decay", defaultValue = "1.0", paramLabel = "F", description = "the learning rate is multiplied by F after every epoch "
            + "past --lr-decay-after")
    double learningRateDecay;

    @Option(names = "--lr-decay-after", defaultValue = "1", paramLabel = "N", description = "epochs at the full learning rate before --lr-decay "
            + "starts (Zaremba et al.: 4, then halved every epoch)")
    int decayAfter;

    @Option(names = "--init-scale", defaultValue = "0", paramLabel = "S", description = "every weight starts uniform in [-S, S] (Zaremba et al.: "
            + "0.1); 0 = Xavier/orthogonal")
    double initScale;

    @Option(names = "--sum-over-steps", description = "train on the gradient of the batch-mean loss summed over the --bptt steps, as Zaremba "
            + "et al.'s reference code, instead of the per-token mean (scores stay per token)")
    boolean sumOverSteps;

    @Mixin
    TrainOptions train;

    @Mixin
    RunOptions files;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RunSupport support = new RunSupport(spec, train);
        support.checkOutputs(files);
        if (freezeEmbeddings && embeddings == null) throw new UsageException("--freeze-embeddings needs --embeddings FILE");
        if (layerNorm && batchNorm) throw new UsageException("--layer-norm and --batch-norm do not go together: choose one");
        if (batchNormSteps != 0 && !batchNorm) throw new UsageException("--batch-norm-steps needs --batch-norm");
        Path checkpoints = files.checkpoints();
        LmSettings settings = support.fromOptions(this::lmSettings);
        TrainingSettings training = support.fromOptions(() -> network.settings(LanguageModeler.defaultTraining(), train, spec.commandLine().getParseResult()));

        LmCorpus corpus = LmCorpus.read(text, valid, test, tokens.charset());
        LanguageModeler.Embeddings vectors = null;
        if (embeddings != null) {
            vectors = new LanguageModeler.Embeddings(PretrainedVectors.read(embeddings, tokens.charset(), null), freezeEmbeddings);
        }
        LanguageModeler.Embeddings pretrained = vectors;
        LanguageModeler modeler = support.fromOptions(() -> LanguageModeler.prepare(corpus, settings, training, pretrained));
        TrainingRun run = support.fromOptions(() -> modeler.newRun(checkpoints));
        printPlan(err, modeler);
        Integer example = files.report.inspectExample();
        if (example != null && example >= modeler.validationTokens()) {
            throw new UsageException("--inspect-example " + example + ": the validation text has " + modeler.validationTokens() + " tokens");
        }
        if (files.resuming()) run.resume();
        LmOutcome outcome = support.train(run, files, () -> modeler.fit(run));
        if (!outcome.result().finished()) {
            support.writeReport("language model, " + corpus.train().source() + " (unfinished)", List::of);
            return support.unfinished(run, outcome.result(), files.out, () -> outcome.model().save(files.out,
                    run.provenance(support.commandLine(), fingerprint(corpus)), support.metrics(outcome.metricsJson(), Double.NaN)));
        }

        printScores(stdout, outcome);
        support.writeReport("language model, " + corpus.train().source(), () -> {
            List<Map<String, Object>> views = new ArrayList<>(List.of(LanguageModelView.record(outcome.model(), modeler.validationText(),
                    train.seed())));
            if (example != null) views.add(LanguageModelView.exampleRecord(outcome.model(), modeler.validationText(), example));
            return views;
        });
        Map<String, Object> metrics = support.metrics(outcome.metricsJson(), Double.NaN);
        if (files.out != null) {
            outcome.model().save(files.out, run.provenance(support.commandLine(), fingerprint(corpus)), metrics);
            stdout.println("model written to " + files.out);
        }
        support.writeMetrics(metrics);
        return Main.OK;
    }

    private LmSettings lmSettings() {
        return LmSettings.builder().tokenization(tokens.tokenization()).limits(tokens.limits()).bptt(bptt).embeddingSize(embeddingSize)
                .tieWeights(tieWeights).learningRateDecay(learningRateDecay).decayAfter(decayAfter).initScale(initScale).sumOverSteps(sumOverSteps)
                .normalization(normalization()).batchNormSteps(batchNormSteps).build();
    }

    private LmSettings.Normalization normalization() {
        if (batchNorm) return LmSettings.Normalization.BATCH;
        return layerNorm ? LmSettings.Normalization.LAYER : LmSettings.Normalization.NONE;
    }

    private static String fingerprint(LmCorpus corpus) {
        return corpus.train().sha256() == null ? null : "sha256:" + corpus.train().sha256();
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
        err.printf(Locale.ROOT, "model: %s %d x %d, embedding %d%s%s; up to %d epochs of %d steps (patience %d), %d streams, %s %s, "
                        + "clip %s, seed %d, %d threads%n",
                t.cell().name().toLowerCase(Locale.ROOT), t.hiddenSize(), t.layers(), s.embeddingSize(t.hiddenSize()),
                s.tieWeights() ? ", tied" : "", t.dropout() > 0 ? ", dropout " + t.dropout() : "", t.epochs(), m.stepsPerEpoch(), t.patience(),
                t.batchSize(), t.optimizer() == TrainingSettings.Optimizer.ADAM ? "Adam" : "SGD", t.learningRate(), t.clipNorm(), t.seed(), t.threads());
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
}
