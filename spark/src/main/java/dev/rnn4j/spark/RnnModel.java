package dev.rnn4j.spark;

import dev.rnn4j.io.ModelBundle;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * What the fitted models share: the rnn4j bundle they wrap, the input column and scoring batch Params, distributed
 * scoring and saving. {@code transform} broadcasts the bundle once; each executor reads it into a network once per
 * task thread ({@link BundleScorer}) and scores its rows in batches inside {@code mapPartitions}.
 *
 * @param <M> the model's own type
 */
public abstract class RnnModel<M extends RnnModel<M>> extends Model<M> implements MLWritable {
    private final String uid;
    private final ModelBundle bundle;
    private final Param<String> inputCol;
    private final IntParam scoringBatchSize;

    @SuppressWarnings("this-escape") // Spark ML Params are built with their owner, as Spark's own stages do
    protected RnnModel(String uid, ModelBundle bundle) {
        this.uid = uid;
        this.bundle = bundle;
        inputCol = new Param<>(this, "inputCol", "the sequence column");
        scoringBatchSize = new IntParam(this, "scoringBatchSize", "rows per forward pass when scoring", ParamValidators.gtEq(1));
        setDefault(inputCol, "sequence");
        setDefault(scoringBatchSize, 64);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The rnn4j bundle: network, preprocessing, metrics and provenance. */
    public ModelBundle bundle() {
        return bundle;
    }

    public Param<String> inputCol() { return inputCol; }
    public IntParam scoringBatchSize() { return scoringBatchSize; }

    @SuppressWarnings("unchecked")
    public M setInputCol(String v) {
        set(inputCol, v);
        return (M) this;
    }

    @SuppressWarnings("unchecked")
    public M setScoringBatchSize(int v) {
        set(scoringBatchSize, v);
        return (M) this;
    }

    /** The scoring of one row: its model input and the output columns' values. Runs on the executors. */
    protected abstract BundleScorer.RowScoring rowScoring(StructType schema);

    /** The columns {@code transform} adds. */
    protected abstract List<StructField> outputFields();

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Dataset<Row> rows = dataset.toDF();
        StructType out = transformSchema(rows.schema());
        JavaSparkContext context = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = context.broadcast(BundleIO.toBytes(bundle));
        return rows.mapPartitions(BundleScorer.scoring(uid, bytes, rowScoring(rows.schema()), (int) (Integer) getOrDefault(scoringBatchSize)),
                Encoders.row(out));
    }

    /** Checks the input column's type (a sequence column, unless the task reads another kind). */
    protected void checkInput(StructType schema) {
        SequenceColumn.kindOf(schema, getOrDefault(inputCol));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        checkInput(schema);
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        for (StructField f : outputFields()) {
            if (List.of(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' is already in the DataFrame");
            }
            fields.add(f);
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    @Override
    public MLWriter write() {
        return new BundleIO.Writer(this);
    }
}
