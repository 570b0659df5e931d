package dev.rnn4j.spark;

import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.SafetensorsFile;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.Examples;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Distributed scoring: the executor side of {@link RnnModel#transform}. The bundle arrives as a broadcast and is
 * read into a network once per executor JVM and task thread (a network keeps per-pass buffers, so threads do not
 * share one); a partition's rows are scored {@code batchSize} at a time, each row keeping its columns and gaining
 * the outputs.
 */
final class BundleScorer {
    /** Networks by model uid, per task thread. */
    private static final ThreadLocal<Map<String, SequenceModel>> NETWORKS = ThreadLocal.withInitial(HashMap::new);

    private BundleScorer() {}

    /** How a model scores a row. */
    interface RowScoring extends Serializable {
        /** The row's model input, or null to leave it unscored (its outputs null). */
        Example input(Row row);

        /** The output columns' values from the row and its prediction row. */
        Object[] outputs(Row row, float[] prediction);

        /** The output columns' values of an unscored row. */
        Object[] unscored();
    }

    static MapPartitionsFunction<Row, Row> scoring(String uid, Broadcast<byte[]> bundle, RowScoring scoring, int batchSize) {
        return rows -> new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < out.size()) return true;
                out.clear();
                next = 0;
                List<Row> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) batch.add(rows.next());
                if (batch.isEmpty()) return false;
                score(network(uid, bundle), scoring, batch, out);
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return out.get(next++);
            }
        };
    }

    private static SequenceModel network(String uid, Broadcast<byte[]> bundle) {
        return NETWORKS.get().computeIfAbsent(uid + "#" + bundle.id(),
                k -> BundleFile.read(SafetensorsFile.parse("the broadcast bundle of " + uid, bundle.value())).model());
    }

    private static void score(SequenceModel network, RowScoring scoring, List<Row> batch, List<Row> out) {
        List<Example> inputs = new ArrayList<>();
        List<Integer> scored = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Example e = scoring.input(batch.get(i));
            if (e != null) {
                inputs.add(e);
                scored.add(i);
            }
        }
        Object[][] outputs = new Object[batch.size()][];
        if (!inputs.isEmpty()) {
            Matrix predictions = network.forward(Examples.input(inputs.toArray(new Example[0]))); // [B, K]
            for (int j = 0; j < scored.size(); j++) {
                float[] row = new float[predictions.cols()];
                for (int c = 0; c < row.length; c++) row[c] = predictions.get(j, c);
                int i = scored.get(j);
                outputs[i] = scoring.outputs(batch.get(i), row);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            Object[] extra = outputs[i] == null ? scoring.unscored() : outputs[i];
            Object[] values = new Object[row.length() + extra.length];
            for (int c = 0; c < row.length(); c++) values[c] = row.get(c);
            System.arraycopy(extra, 0, values, row.length(), extra.length);
            out.add(RowFactory.create(values));
        }
    }
}
