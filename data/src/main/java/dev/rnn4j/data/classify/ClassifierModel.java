package dev.rnn4j.data.classify;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.Domains;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.layer.AttentionPooling;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.Examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained sequence classifier: the network, the class names in index order and the domain's encoding, which
 * together go from raw records (FASTA, WAV, text) to class probabilities. Saved as one bundle file.
 *
 * <pre>{@code
 * ClassifierModel model = ClassifierModel.load(Path.of("splice.rnn4j"));
 * LabelledData data = new DnaCsvSource(...).read(model.encoding());   // encoded exactly as in training
 * double[][] p = model.probabilities(data.records());                // [n][K], classes in model.classes() order
 * }</pre>
 */
public final class ClassifierModel {
    /** The bundle's task name. */
    public static final String TASK = "classify";
    /** Sequences per forward pass, to bound memory. */
    private static final int SEQUENCES_PER_PASS = 256;

    private final SequenceModel network;
    private final List<String> classes;
    private final SequenceEncoding encoding;
    private final ClassifySettings settings;

    public ClassifierModel(SequenceModel network, List<String> classes, SequenceEncoding encoding, ClassifySettings settings) {
        this.network = Objects.requireNonNull(network, "network");
        this.classes = List.copyOf(classes);
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (network.spec().outputs() != classes.size()) {
            throw new IllegalArgumentException("the network has " + network.spec().outputs() + " outputs for " + classes.size() + " classes");
        }
    }

    public SequenceModel network() {
        return network;
    }

    /** The class names in index order: column c of {@link #probabilities} is class {@code classes().get(c)}. */
    public List<String> classes() {
        return classes;
    }

    public SequenceEncoding encoding() {
        return encoding;
    }

    public ClassifySettings settings() {
        return settings;
    }

    // ---- predictions

    /**
     * Class probabilities (softmax of the network's outputs) for each record, averaged over its views (both strands
     * of DNA with --revcomp). Records are run in batches of similar length; the result is in the records' order.
     */
    public double[][] probabilities(List<LabelledSequence> records) {
        int n = records.size(), k = classes.size();
        double[][] p = new double[n][k];
        List<int[]> views = new ArrayList<>(); // (record, view)
        for (int r = 0; r < n; r++) for (int v = 0; v < records.get(r).views().size(); v++) views.add(new int[] {r, v});
        views.sort(Comparator.comparingInt(rv -> records.get(rv[0]).views().get(rv[1]).steps()));
        for (int from = 0; from < views.size(); from += SEQUENCES_PER_PASS) {
            int b = Math.min(SEQUENCES_PER_PASS, views.size() - from);
            Example[] batch = new Example[b];
            for (int i = 0; i < b; i++) {
                int[] rv = views.get(from + i);
                batch[i] = records.get(rv[0]).views().get(rv[1]);
            }
            Matrix logits = network.forward(Examples.input(batch)); // [B, K]
            for (int i = 0; i < b; i++) {
                LabelledSequence record = records.get(views.get(from + i)[0]);
                double[] softmax = softmax(logits, i, k);
                for (int c = 0; c < k; c++) p[views.get(from + i)[0]][c] += softmax[c] / record.views().size();
            }
        }
        return p;
    }

    private static double[] softmax(Matrix logits, int row, int k) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        double[] p = new double[k];
        for (int c = 0; c < k; c++) max = Math.max(max, logits.get(row, c));
        for (int c = 0; c < k; c++) sum += p[c] = Math.exp(logits.get(row, c) - max);
        for (int c = 0; c < k; c++) p[c] /= sum;
        return p;
    }

    /**
     * Scores the model on labelled records.
     *
     * @throws DataFileException naming the record when a label was never seen in training, or a record has none
     */
    public ClassificationMetrics evaluate(LabelledData data) {
        int[] truth = classIds(data);
        return ClassificationMetrics.of(classes, truth, probabilities(data.records()));
    }

    /** The class id of each record's label; a label the model does not know is an error naming the record. */
    public int[] classIds(LabelledData data) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) ids.put(classes.get(c), c);
        int[] truth = new int[data.records().size()];
        for (int i = 0; i < truth.length; i++) {
            LabelledSequence r = data.records().get(i);
            if (r.label() == null) throw new DataFileException(r.origin(), 0, null, "the record has no label, so it cannot be scored");
            Integer id = ids.get(r.label());
            if (id == null) {
                throw new DataFileException(r.origin(), 0, null, "label '" + r.label() + "' was never seen in training; the model knows "
                        + classes);
            }
            truth[i] = id;
        }
        return truth;
    }

    /** The attention weights of the last forward pass ([T, B], time-major), or null without attention pooling. */
    public float[] lastAttentionWeights() {
        return network.pooling() instanceof AttentionPooling a ? a.weights() : null;
    }

    /** One row per record: {@code id, predicted, p_<class>...}, and {@code label} after the id when records have labels. */
    public List<List<String>> predictionTable(List<LabelledSequence> records) {
        double[][] p = probabilities(records);
        boolean labelled = records.stream().anyMatch(r -> r.label() != null);
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("id"));
        if (labelled) header.add("label");
        header.add("predicted");
        for (String c : classes) header.add("p_" + c);
        rows.add(header);
        for (int i = 0; i < records.size(); i++) {
            List<String> row = new ArrayList<>(List.of(records.get(i).id()));
            if (labelled) row.add(records.get(i).label() == null ? "" : records.get(i).label());
            row.add(classes.get(ClassificationMetrics.argmax(p[i])));
            for (double v : p[i]) row.add(Double.toString(v));
            rows.add(row);
        }
        return rows;
    }

    // ---- files

    public void save(Path file, TrainingProvenance provenance, Map<String, Object> metrics) {
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("classes", classes);
        preprocessing.put("encoding", encoding.toJson());
        preprocessing.put("settings", settings.toJson());
        BundleFile.save(new ModelBundle(network, TASK, preprocessing, metrics, provenance), file);
    }

    /**
     * @throws ModelFileException naming the file when it is not a classifier bundle or is damaged
     */
    public static ClassifierModel load(Path file) {
        return from(BundleFile.read(file), file.toString());
    }

    /** The classifier in a bundle already read from {@code file}; {@link ModelFileException} when it is another task's. */
    @SuppressWarnings("unchecked")
    public static ClassifierModel from(ModelBundle bundle, String file) {
        if (!TASK.equals(bundle.task())) throw new ModelFileException(file + ": a model for the '" + bundle.task() + "' task, not a classifier");
        try {
            Map<String, Object> p = bundle.preprocessing();
            List<String> classes = new ArrayList<>();
            for (Object o : (List<Object>) p.get("classes")) classes.add((String) o);
            SequenceEncoding encoding = Domains.encoding((Map<String, Object>) p.get("encoding"));
            Map<String, Object> s = (Map<String, Object>) p.get("settings");
            ClassifySettings settings = ClassifySettings.defaults()
                    .withPooling(bundle.model().spec().head())
                    .withBidirectional(bundle.model().spec().recurrent().bidirectional())
                    .withClassWeights(ClassifySettings.ClassWeights.valueOf(((String) s.get("class_weights")).toUpperCase(java.util.Locale.ROOT)))
                    .withEmbeddingSize(Math.max(1, bundle.model().spec().embeddingSize()));
            return new ClassifierModel(bundle.model(), classes, encoding, settings);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new ModelFileException(file + ": metadata 'bundle': not a valid classifier: " + e.getMessage(), e);
        }
    }
}
