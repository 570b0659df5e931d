package dev.rnn4j.spark;

import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.train.Example;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a DataFrame column holds a sequence, read from its type, and how one cell becomes a model input:
 * <ul>
 *   <li>{@link Kind#VECTORS}: {@code array<array<float>>} (or double) or {@code array<vector>}, one feature vector per
 *       step, all of one width;</li>
 *   <li>{@link Kind#TOKENS}: {@code array<int>} (or long), token ids 0..V-1;</li>
 *   <li>{@link Kind#DNA}: a string of bases, one-hot encoded as the data module's {@link DnaEncoding#ONE_HOT}.</li>
 * </ul>
 *
 * @param kind       the column's kind
 * @param features   feature vector width (VECTORS, DNA), else 0
 * @param vocabulary V for TOKENS, else 0
 */
public record SequenceColumn(Kind kind, int features, int vocabulary) implements Serializable {
    /** The kinds of sequence column. */
    public enum Kind { VECTORS, TOKENS, DNA }

    /**
     * The kind of {@code column} in {@code schema}.
     *
     * @throws IllegalArgumentException naming the column and its type when it holds no sequence
     */
    public static Kind kindOf(StructType schema, String column) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("input column '" + column + "' is not in the DataFrame; it has " + List.of(schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        if (type.equals(DataTypes.StringType)) return Kind.DNA;
        if (type instanceof ArrayType outer) {
            DataType element = outer.elementType();
            if (element.equals(DataTypes.IntegerType) || element.equals(DataTypes.LongType)) return Kind.TOKENS;
            if (element.equals(SQLDataTypes.VectorType())) return Kind.VECTORS;
            if (element instanceof ArrayType inner && inner.elementType() instanceof NumericType) return Kind.VECTORS;
        }
        throw new IllegalArgumentException("input column '" + column + "' is " + type.simpleString()
                + "; a sequence column is array<array<float>>, array<vector>, array<int> (token ids) or a string of DNA bases");
    }

    /** The cell {@code row.get(index)} as a model input without a target. */
    public Example encode(Row row, int index) {
        if (row.isNullAt(index)) throw new IllegalArgumentException("the input column is null in row " + row);
        return switch (kind) {
            case DNA -> DnaEncoding.ONE_HOT.encode(row.getString(index));
            case TOKENS -> Example.ofTokens(tokens(row.getList(index)));
            case VECTORS -> vectors(row.getList(index));
        };
    }

    private int[] tokens(List<Object> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            long id = ((Number) ids.get(i)).longValue();
            if (id < 0 || (vocabulary > 0 && id >= vocabulary)) {
                throw new IllegalArgumentException("token id " + id + " at step " + i + " is outside 0.." + (vocabulary - 1));
            }
            out[i] = (int) id;
        }
        return out;
    }

    private Example vectors(List<Object> steps) {
        if (steps.isEmpty()) throw new IllegalArgumentException("a sequence has no steps");
        float[] x = null;
        for (int t = 0; t < steps.size(); t++) {
            double[] v = stepValues(steps.get(t));
            if (x == null) x = new float[steps.size() * v.length];
            int width = x.length / steps.size();
            if (v.length != width || (features > 0 && v.length != features)) {
                throw new IllegalArgumentException("step " + t + " has " + v.length + " features, not " + (features > 0 ? features : width));
            }
            for (int j = 0; j < v.length; j++) x[t * width + j] = (float) v[j];
        }
        return Example.ofFeatures(x, steps.size());
    }

    private static double[] stepValues(Object step) {
        if (step instanceof Vector v) return v.toArray();
        if (step instanceof scala.collection.Seq<?> seq) {
            double[] out = new double[seq.length()];
            for (int j = 0; j < out.length; j++) out[j] = ((Number) seq.apply(j)).doubleValue();
            return out;
        }
        if (step instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int j = 0; j < out.length; j++) out[j] = ((Number) list.get(j)).doubleValue();
            return out;
        }
        throw new IllegalArgumentException("a step is " + step.getClass().getName() + ", not an array of numbers or a vector");
    }

    /** The settings for a bundle's preprocessing. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        json.put("features", features);
        json.put("vocabulary", vocabulary);
        if (kind == Kind.DNA) json.put("dna", DnaEncoding.ONE_HOT.toJson());
        return json;
    }

    public static SequenceColumn fromJson(Map<String, Object> json) {
        return new SequenceColumn(Kind.valueOf(((String) json.get("kind")).toUpperCase(java.util.Locale.ROOT)),
                ((Number) json.get("features")).intValue(), ((Number) json.get("vocabulary")).intValue());
    }
}
