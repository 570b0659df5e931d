package dev.rnn4j.spark;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.OptimizerSpec;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link RnnClassifier}, {@link RnnRegressor} and {@link RnnForecaster} share: the network and training
 * Params, and {@code fit}: the DataFrame's rows become indexed examples, {@link SparkTrainer} trains the network
 * (exactly as one process would), and the fitted model wraps the result as an rnn4j bundle
 * ({@link dev.rnn4j.io.BundleFile}). With {@code checkpointDir} set, the driver writes a checkpoint there every
 * {@code checkpointInterval} steps and a later {@code fit} with the same data and Params resumes from it.
 *
 * @param <M> the fitted model
 */
public abstract class RnnEstimator<M extends RnnModel<M>> extends Estimator<M> implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> labelCol;
    private final Param<String> cell;
    private final IntParam hiddenSize;
    private final IntParam layers;
    private final IntParam embeddingSize;
    private final DoubleParam dropout;
    private final DoubleParam learningRate;
    private final DoubleParam clipNorm;
    private final IntParam batchSize;
    private final IntParam epochs;
    private final LongParam seed;
    private final Param<String> checkpointDir;
    private final IntParam checkpointInterval;

    @SuppressWarnings("this-escape") // Spark ML Params are built with their owner, as Spark's own stages do
    protected RnnEstimator(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the sequence column: array<array<float>>, array<vector>, array<int> token ids or a DNA string");
        labelCol = new Param<>(this, "labelCol", "the label column");
        cell = new Param<>(this, "cell", "the recurrent cell: lstm, gru or rnn",
                ParamValidators.inArray(new String[] {"lstm", "gru", "rnn"}));
        hiddenSize = new IntParam(this, "hiddenSize", "hidden units per layer", ParamValidators.gtEq(1));
        layers = new IntParam(this, "layers", "stacked recurrent layers", ParamValidators.gtEq(1));
        embeddingSize = new IntParam(this, "embeddingSize", "embedding width for token input", ParamValidators.gtEq(1));
        dropout = new DoubleParam(this, "dropout", "recurrent (variational) dropout probability", ParamValidators.inRange(0, 1, true, false));
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate", ParamValidators.gt(0));
        clipNorm = new DoubleParam(this, "clipNorm", "the global gradient norm is clipped to this", ParamValidators.gt(0));
        batchSize = new IntParam(this, "batchSize", "examples per global batch (one training step)", ParamValidators.gtEq(1));
        epochs = new IntParam(this, "epochs", "passes over the training examples", ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", "the seed of initialisation, shuffling and dropout");
        checkpointDir = new Param<>(this, "checkpointDir", "a driver-side directory for checkpoints (empty: none)");
        checkpointInterval = new IntParam(this, "checkpointInterval", "steps between checkpoints", ParamValidators.gtEq(1));
        setDefault(inputCol, "sequence");
        setDefault(labelCol, "label");
        setDefault(cell, "lstm");
        setDefault(hiddenSize, 32);
        setDefault(layers, 1);
        setDefault(embeddingSize, 32);
        setDefault(dropout, 0.0);
        setDefault(learningRate, 0.005);
        setDefault(clipNorm, 1.0);
        setDefault(batchSize, 32);
        setDefault(epochs, 10);
        setDefault(seed, 42L);
        setDefault(checkpointDir, "");
        setDefault(checkpointInterval, 100);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() { return inputCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> cell() { return cell; }
    public IntParam hiddenSize() { return hiddenSize; }
    public IntParam layers() { return layers; }
    public IntParam embeddingSize() { return embeddingSize; }
    public DoubleParam dropout() { return dropout; }
    public DoubleParam learningRate() { return learningRate; }
    public DoubleParam clipNorm() { return clipNorm; }
    public IntParam batchSize() { return batchSize; }
    public IntParam epochs() { return epochs; }
    public LongParam seed() { return seed; }
    public Param<String> checkpointDir() { return checkpointDir; }
    public IntParam checkpointInterval() { return checkpointInterval; }

    @SuppressWarnings("unchecked")
    private <T> RnnEstimator<M> setParam(Param<T> param, T value) {
        set(param, value);
        return this;
    }

    public RnnEstimator<M> setInputCol(String v) { return setParam(inputCol, v); }
    public RnnEstimator<M> setLabelCol(String v) { return setParam(labelCol, v); }
    public RnnEstimator<M> setCell(String v) { return setParam(cell, v.toLowerCase(Locale.ROOT)); }
    public RnnEstimator<M> setHiddenSize(int v) { return setParam(hiddenSize, v); }
    public RnnEstimator<M> setLayers(int v) { return setParam(layers, v); }
    public RnnEstimator<M> setEmbeddingSize(int v) { return setParam(embeddingSize, v); }
    public RnnEstimator<M> setDropout(double v) { return setParam(dropout, v); }
    public RnnEstimator<M> setLearningRate(double v) { return setParam(learningRate, v); }
    public RnnEstimator<M> setClipNorm(double v) { return setParam(clipNorm, v); }
    public RnnEstimator<M> setBatchSize(int v) { return setParam(batchSize, v); }
    public RnnEstimator<M> setEpochs(int v) { return setParam(epochs, v); }
    public RnnEstimator<M> setSeed(long v) { return setParam(seed, v); }
    public RnnEstimator<M> setCheckpointDir(String v) { return setParam(checkpointDir, v); }
    public RnnEstimator<M> setCheckpointInterval(int v) { return setParam(checkpointInterval, v); }

    /**
     * A task's training data: the examples (ids not yet assigned), the network's outputs and loss, and the
     * preprocessing its bundle keeps besides the input column's.
     */
    protected record TrainingData(JavaRDD<IndexedExample> examples, SequenceColumn column, int outputs, Loss loss,
                                  Map<String, Object> preprocessing) {}

    /** The task's examples from the DataFrame's rows. */
    protected abstract TrainingData trainingData(Dataset<Row> rows);

    /** The bundle's task name. */
    protected abstract String task();

    /** The fitted model of this estimator's kind. */
    protected abstract M newModel(String uid, ModelBundle bundle);

    @Override
    public M fit(Dataset<?> dataset) {
        Dataset<Row> rows = dataset.toDF();
        transformSchema(rows.schema());
        TrainingData data = trainingData(rows);
        JavaRDD<IndexedExample> examples = data.examples().zipWithIndex().map(e -> e._1().withId(e._2()));

        SequenceModel network = network(data.column(), data.outputs());
        TrainConfig.Builder config = TrainConfig.builder().optimizer(OptimizerSpec.adam((double) (Double) getOrDefault(learningRate))).loss(data.loss())
                .clipNorm((double) (Double) getOrDefault(clipNorm)).epochs((int) (Integer) getOrDefault(epochs)).seed((long) (Long) getOrDefault(seed));
        String directory = getOrDefault(checkpointDir);
        if (!directory.isEmpty()) config.checkpoints(Path.of(directory), (int) (Integer) getOrDefault(checkpointInterval));
        Trainer trainer = new Trainer(network, config.build());
        if (!directory.isEmpty() && Files.exists(Path.of(directory, TrainingCheckpoint.FILE_NAME))) {
            trainer.restore(Path.of(directory, TrainingCheckpoint.FILE_NAME));
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        TrainResult result = new SparkTrainer(context).fit(trainer, examples, (int) (Integer) getOrDefault(batchSize), 0, List.of());

        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("input", data.column().toJson());
        preprocessing.putAll(data.preprocessing());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("final_training_loss", result.lastLoss());
        metrics.put("steps", result.steps());
        ModelBundle bundle = new ModelBundle(network, task(), preprocessing, metrics, trainer.provenance());
        M model = newModel(uid, bundle);
        copyValues(model, ParamMap.empty());
        model.setParent(this);
        return model;
    }

    private SequenceModel network(SequenceColumn column, int outputs) {
        SequenceModel.Builder b = SequenceModel.builder();
        if (column.kind() == SequenceColumn.Kind.TOKENS) {
            b.vocabulary(column.vocabulary()).embeddingSize((int) (Integer) getOrDefault(embeddingSize));
        } else {
            b.features(column.features());
        }
        double p = (double) (Double) getOrDefault(dropout);
        return b.cell(CellType.valueOf(getOrDefault(cell).toUpperCase(Locale.ROOT))).hiddenSize((int) (Integer) getOrDefault(hiddenSize))
                .layers((int) (Integer) getOrDefault(layers)).head(Head.LAST_STEP).outputs(outputs)
                .regularization(p == 0 ? Regularization.NONE : Regularization.builder().recurrentDropout(p).build())
                .seed((long) (Long) getOrDefault(seed)).build();
    }

    /** The column {@code name}'s position; the message names the missing column. */
    protected static int columnIndex(StructType schema, String name, String role) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(role + " column '" + name + "' is not in the DataFrame; it has " + List.of(schema.fieldNames()));
        }
        return schema.fieldIndex(name);
    }

    /** The input column's encoding: the feature width from the first row, the vocabulary from the largest id. */
    protected SequenceColumn column(Dataset<Row> rows, SequenceColumn.Kind kind) {
        int index = rows.schema().fieldIndex(getOrDefault(inputCol));
        return switch (kind) {
            case DNA -> new SequenceColumn(kind, 4, 0);
            case VECTORS -> new SequenceColumn(kind, new SequenceColumn(kind, 0, 0).encode(rows.first(), index).featureSize(), 0);
            case TOKENS -> new SequenceColumn(kind, 0, 1 + rows.toJavaRDD().map(r -> {
                int max = 0;
                for (Object id : r.getList(index)) max = Math.max(max, ((Number) id).intValue());
                return max;
            }).reduce(Math::max));
        };
    }

    /** Checks the input column's type (a sequence column, unless the task reads another kind). */
    protected void checkInput(StructType schema) {
        SequenceColumn.kindOf(schema, getOrDefault(inputCol));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        checkInput(schema);
        return schema;
    }

    @Override
    public RnnEstimator<M> copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
