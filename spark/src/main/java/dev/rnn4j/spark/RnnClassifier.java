package dev.rnn4j.spark;

import dev.rnn4j.data.classify.ClassNames;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/**
 * A Spark ML estimator of a recurrent sequence classifier: one label per sequence (any type; the classes are its
 * distinct values as text, ordered as the rnn4j classifier orders them, {@link ClassNames#order}). Fits an
 * {@link RnnClassificationModel}.
 *
 * <pre>{@code
 * RnnClassifier rnn = new RnnClassifier();
 * rnn.setInputCol("bases").setLabelCol("class").setHiddenSize(32).setEpochs(5);
 * PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {rnn}).fit(train);
 * fitted.transform(test).select("bases", "predictedLabel", "probability");
 * }</pre>
 */
public final class RnnClassifier extends RnnEstimator<RnnClassificationModel> {
    /** The bundle's task name. */
    public static final String TASK = "spark-classify";

    public RnnClassifier() {
        this(Identifiable.randomUID("rnnClassifier"));
    }

    public RnnClassifier(String uid) {
        super(uid);
    }

    public static MLReader<RnnClassifier> read() {
        return new DefaultParamsReader<>();
    }

    @Override
    protected String task() {
        return TASK;
    }

    @Override
    protected TrainingData trainingData(Dataset<Row> rows) {
        SequenceColumn column = column(rows, SequenceColumn.kindOf(rows.schema(), getOrDefault(inputCol())));
        int input = rows.schema().fieldIndex(getOrDefault(inputCol()));
        int label = columnIndex(rows.schema(), getOrDefault(labelCol()), "label");
        List<String> classes = ClassNames.order(rows.toJavaRDD().map(r -> labelOf(r, label)).distinct().collect());
        String[] names = classes.toArray(new String[0]);
        JavaRDD<IndexedExample> examples = rows.toJavaRDD().map(r -> {
            String name = labelOf(r, label);
            return IndexedExample.of(0, column.encode(r, input).withClass(List.of(names).indexOf(name)));
        });
        return new TrainingData(examples, column, classes.size(), new SoftmaxCrossEntropy(), Map.of("classes", classes));
    }

    static String labelOf(Row row, int label) {
        if (row.isNullAt(label)) throw new IllegalArgumentException("the label is null in row " + row);
        return String.valueOf(row.get(label));
    }

    @Override
    protected RnnClassificationModel newModel(String uid, ModelBundle bundle) {
        return new RnnClassificationModel(uid, bundle);
    }
}
