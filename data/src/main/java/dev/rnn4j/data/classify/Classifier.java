package dev.rnn4j.data.classify;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.Seeds;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Trains a many-to-one classifier on labelled sequences of any domain: the workflow behind
 * {@code rnn4j train classify}, for Java users and Spark alike.
 *
 * <p>Call order: {@link #prepare} (orders the classes, splits the records stratified by class with a recorded seed
 * unless a test source is given, holds out a stratified validation part of the training records for early stopping,
 * augments the training records), {@link #newRun} (add listeners, optionally resume), {@link #fit}; or
 * {@link #crossValidate} instead of one split.
 */
public final class Classifier {
    /** Stream of the split's shuffle, so the split is a function of the seed alone. */
    private static final long SPLIT_STREAM = 0x5350_4C49_54L;
    private static final long AUGMENT_STREAM = 0x4155_474DL;

    public static final int DEFAULT_EPOCHS = 60;
    public static final int DEFAULT_PATIENCE = 8;

    private final LabelledData data;
    private final ClassifySettings settings;
    private final TrainingSettings training;
    private final List<String> classes;
    private final List<LabelledSequence> trainRecords, validationRecords, testRecords;
    private final int[] trainLabels, validationLabels, testLabels;

    /**
     * @param classes the class names in index order ({@link #classesOf})
     * @param labels  the class id of each record of {@code data}
     */
    private Classifier(LabelledData data, List<String> classes, int[] labels, List<Integer> trainIdx, List<Integer> testIdx,
                       LabelledData test, ClassifySettings settings, TrainingSettings training) {
        this.data = data;
        this.settings = settings;
        this.training = training;
        this.classes = classes;
        List<Integer> fit = new ArrayList<>(), valid = new ArrayList<>();
        stratified(trainIdx, labels, settings.validationFraction(), Seeds.derive(training.seed(), SPLIT_STREAM, 1), fit, valid);
        this.trainRecords = pick(data.records(), fit);
        this.trainLabels = pickLabels(labels, fit);
        this.validationRecords = pick(data.records(), valid);
        this.validationLabels = pickLabels(labels, valid);
        if (test != null) {
            this.testRecords = test.records();
            this.testLabels = ids(test.records(), classes, test.source());
        } else {
            this.testRecords = pick(data.records(), testIdx);
            this.testLabels = pickLabels(labels, testIdx);
        }
        if (trainRecords.isEmpty() || validationRecords.isEmpty() || testRecords.isEmpty()) {
            throw new DataFileException(data.source(), 0, null, "too few records to split: " + data.records().size() + " records give "
                    + trainRecords.size() + " for training, " + validationRecords.size() + " for validation and " + testRecords.size()
                    + " for the test");
        }
    }

    /**
     * @param test the test records (encoded with {@code data.encoding()}), or null for a stratified split of {@code data}
     * @throws DataFileException for a single class, a test label never seen in training, or too few records
     */
    public static Classifier prepare(LabelledData data, LabelledData test, ClassifySettings settings, TrainingSettings training) {
        List<String> classes = classesOf(data);
        int[] labels = ids(data.records(), classes, data.source());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) all.add(i);
        if (test != null) return new Classifier(data, classes, labels, all, List.of(), test, settings, training);
        List<Integer> train = new ArrayList<>(), held = new ArrayList<>();
        stratified(all, labels, settings.testFraction(), Seeds.derive(training.seed(), SPLIT_STREAM, 0), train, held);
        return new Classifier(data, classes, labels, train, held, null, settings, training);
    }

    private static List<String> classesOf(LabelledData data) {
        List<String> seen = new ArrayList<>();
        for (LabelledSequence r : data.records()) {
            if (r.label() == null) throw new DataFileException(r.origin(), 0, null, "the record has no label; training needs one on every record");
            seen.add(r.label());
        }
        if (seen.isEmpty()) throw new DataFileException(data.source(), 0, null, "no records to train on");
        List<String> classes = ClassNames.order(seen);
        if (classes.size() < 2) {
            throw new DataFileException(data.source(), 0, null, "every record has the label '" + classes.getFirst()
                    + "': a classifier needs at least 2 classes");
        }
        return classes;
    }

    private static int[] ids(List<LabelledSequence> records, List<String> classes, String source) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) byName.put(classes.get(c), c);
        int[] ids = new int[records.size()];
        for (int i = 0; i < ids.length; i++) {
            LabelledSequence r = records.get(i);
            Integer id = r.label() == null ? null : byName.get(r.label());
            if (id == null) {
                throw new DataFileException(r.origin(), 0, null, r.label() == null ? "the record has no label"
                        : "label '" + r.label() + "' was never seen in training (" + source + " has " + classes + ")");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Splits {@code indices} per class: a seeded shuffle of each class, its first round(n_k f) go to {@code held}. */
    private static void stratified(List<Integer> indices, int[] labels, double fraction, long seed, List<Integer> kept, List<Integer> held) {
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i : indices) byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c <= max(labels); c++) {
            List<Integer> members = byClass.getOrDefault(c, List.of());
            List<Integer> shuffled = new ArrayList<>(members);
            for (int i = shuffled.size() - 1; i > 0; i--) java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
            int h = (int) Math.round(shuffled.size() * fraction);
            if (shuffled.size() >= 2) h = Math.clamp(h, 1, shuffled.size() - 1);
            held.addAll(shuffled.subList(0, h));
            kept.addAll(shuffled.subList(h, shuffled.size()));
        }
        java.util.Collections.sort(held);
        java.util.Collections.sort(kept);
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) m = Math.max(m, x);
        return m;
    }

    private static List<LabelledSequence> pick(List<LabelledSequence> records, List<Integer> idx) {
        List<LabelledSequence> out = new ArrayList<>();
        for (int i : idx) out.add(records.get(i));
        return out;
    }

    private static int[] pickLabels(int[] labels, List<Integer> idx) {
        return idx.stream().mapToInt(i -> labels[i]).toArray();
    }

    /** Dropout between layers and on the recurrent state: without it, the networks memorise small labelled sets in a few epochs. */
    public static final double DEFAULT_DROPOUT = 0.3;

    /** The training defaults for classification: LSTM 64, dropout 0.3, batch 32, up to 60 epochs with patience 8, Adam 3e-3, clip 1. */
    public static TrainingSettings.Builder defaultTraining() {
        return TrainingSettings.builder().epochs(DEFAULT_EPOCHS).patience(DEFAULT_PATIENCE).dropout(DEFAULT_DROPOUT);
    }

    // ---- training

    private Dataset trainingSet() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < trainRecords.size(); i++) {
            LabelledSequence r = trainRecords.get(i);
            examples.add(r.input().withClass(trainLabels[i]));
            if (data.augmenter() != null) {
                for (Example extra : data.augmenter().augment(r, Seeds.derive(training.seed(), AUGMENT_STREAM, i))) {
                    examples.add(extra.withClass(trainLabels[i]));
                }
            }
        }
        return Dataset.of(examples);
    }

    private Dataset validationSet() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < validationRecords.size(); i++) examples.add(validationRecords.get(i).input().withClass(validationLabels[i]));
        return Dataset.of(examples);
    }

    /**
     * The network: the settings' recurrent network over the encoding's input (token input through an embedding, with
     * the dropout on the embedded tokens too), the pooling, a dense layer to K logits.
     */
    public SequenceModel newNetwork() {
        return newNetwork(trainingSet());
    }

    /** {@link #newNetwork()} for the training examples {@code train}, which decide the embedding rows that start at zero. */
    private SequenceModel newNetwork(Dataset train) {
        SequenceModel.Builder b = training.modelBuilder().bidirectional(settings.bidirectional()).head(settings.pooling()).outputs(classes.size());
        SequenceEncoding e = data.encoding();
        if (e.vocabulary() > 0) {
            b.vocabulary(e.vocabulary()).embeddingSize(settings.embeddingSize());
            // dropout on the embedded tokens as well: with words, the embedding table is where a small set overfits
            b.regularization(b.spec().recurrent().regularization().toBuilder().inputDropout(training.dropout())
                    .wordDropout(settings.wordDropout()).build());
        } else {
            b.features(e.featuresPerStep());
        }
        SequenceModel network = b.build();
        if (e.vocabulary() > 0) zeroRowsOfUnseenTokens(network.embedding().weight(), train);
        return network;
    }

    /**
     * Zeroes the embedding rows of the tokens that no training example holds ({@code <unk>} when every training word
     * is in the vocabulary, words seen only in validation): no gradient ever reaches them, so they would keep their
     * random initial values, and every unknown word at test time would add that noise. A zero row reads as "no
     * word", which word dropout also trains the network for.
     */
    static void zeroRowsOfUnseenTokens(Parameter table, Dataset training) {
        int vocabulary = table.shape()[0], width = table.shape()[1];
        boolean[] seen = new boolean[vocabulary];
        for (int i = 0; i < training.size(); i++) {
            Example example = training.get(i);
            for (int t = 0; t < example.steps(); t++) seen[example.tokens()[t]] = true;
        }
        float[] values = table.value();
        for (int id = 0; id < vocabulary; id++) if (!seen[id]) Arrays.fill(values, id * width, (id + 1) * width, 0f);
    }

    /** Softmax cross-entropy, weighted n / (K n_k) per class with balanced class weights. */
    public SoftmaxCrossEntropy loss() {
        if (settings.classWeights() == ClassifySettings.ClassWeights.NONE) return new SoftmaxCrossEntropy();
        int k = classes.size();
        long[] counts = new long[k];
        for (int c : trainLabels) counts[c]++;
        float[] w = new float[k];
        for (int c = 0; c < k; c++) w[c] = counts[c] == 0 ? 0f : (float) (trainLabels.length / ((double) k * counts[c]));
        return new SoftmaxCrossEntropy(w);
    }

    public TrainingRun newRun(Path runDirectory) {
        Dataset train = trainingSet(); // built once: it decides the network's zeroed embedding rows and is what it trains on
        return new TrainingRun(newNetwork(train), loss(), training, train, runDirectory);
    }

    /** The test records the outcome is scored on, and their class ids. */
    public List<LabelledSequence> testRecordList() {
        return testRecords;
    }

    public int[] testLabels() {
        return testLabels.clone();
    }

    /** Trains; unless interrupted, scores the test records (averaging over each record's views). */
    public ClassifyOutcome fit(TrainingRun run) {
        long start = System.nanoTime();
        TrainResult result = run.fit(validationSet());
        ClassifierModel model = new ClassifierModel(run.trainer().model(), classes, data.encoding(), settings);
        ClassificationMetrics test = !result.finished() ? null
                : ClassificationMetrics.of(classes, testLabels, model.probabilities(testRecords));
        return new ClassifyOutcome(model, result, test, this, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Stratified K-fold cross-validation of {@code data}: fold k's test records are every K-th record of each class
     * (after a seeded shuffle), and a model trained on the rest, from scratch, scores them.
     *
     * @param listeners a listener for fold k (1-based), or null
     */
    public static List<ClassificationMetrics> crossValidate(LabelledData data, ClassifySettings settings, TrainingSettings training,
                                                            IntFunction<TrainingListener> listeners) {
        int folds = settings.folds();
        List<String> classes = classesOf(data);
        int[] labels = ids(data.records(), classes, data.source());
        int[] foldOf = new int[labels.length];
        SplittableRandom random = new SplittableRandom(Seeds.derive(training.seed(), SPLIT_STREAM, 2));
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) members.add(i);
            for (int i = members.size() - 1; i > 0; i--) java.util.Collections.swap(members, i, random.nextInt(i + 1));
            for (int i = 0; i < members.size(); i++) foldOf[members.get(i)] = i % folds;
        }
        List<ClassificationMetrics> results = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) (foldOf[i] == k ? test : train).add(i);
            Classifier fold = new Classifier(data, classes, labels, train, test, null, settings, training);
            TrainingRun run = fold.newRun(null);
            TrainingListener l = listeners == null ? null : listeners.apply(k + 1);
            if (l != null) run.listener(l);
            results.add(fold.fit(run).test());
        }
        return results;
    }

    // ---- what was chosen

    public List<String> classes() {
        return classes;
    }

    public LabelledData data() {
        return data;
    }

    public TrainingSettings training() {
        return training;
    }

    public ClassifySettings settings() {
        return settings;
    }

    /** Records per class in each part, for the metrics file and the start-up line. */
    public Map<String, Object> dataJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", data.source());
        json.put("domain", data.encoding().domain());
        json.put("records", data.records().size());
        json.put("classes", classes);
        json.put("training", counts(trainLabels));
        json.put("validation", counts(validationLabels));
        json.put("test", counts(testLabels));
        json.put("split_seed", training.seed());
        return json;
    }

    private Map<String, Object> counts(int[] ids) {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] n = new long[classes.size()];
        for (int c : ids) n[c]++;
        for (int c = 0; c < n.length; c++) m.put(classes.get(c), n[c]);
        return m;
    }

    public int trainingRecords() {
        return trainRecords.size();
    }

    public int validationRecords() {
        return validationRecords.size();
    }

    public int testRecords() {
        return testRecords.size();
    }
}
