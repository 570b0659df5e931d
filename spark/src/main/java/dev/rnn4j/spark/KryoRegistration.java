package dev.rnn4j.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;

/**
 * Registers with Kryo what rnn4j sends between Spark's JVMs: training examples, gradient sums and parameter
 * vectors. Records cannot be written by Kryo's field serializer (their fields cannot be set), so they get
 * serializers of their own here. {@link #configure} sets a SparkConf up for it.
 */
public final class KryoRegistration implements KryoRegistrator {

    /** Kryo as Spark's serializer, with this registrator; returns {@code conf}. */
    public static SparkConf configure(SparkConf conf) {
        return conf.set("spark.serializer", KryoSerializer.class.getName())
                .set("spark.kryo.registrator", KryoRegistration.class.getName());
    }

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(float[].class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(float[][].class);
        kryo.register(IndexedExample.class, new IndexedExampleSerializer());
        kryo.register(GradientSum.class, new GradientSumSerializer());
    }

    private static final class IndexedExampleSerializer extends Serializer<IndexedExample> {
        @Override
        public void write(Kryo kryo, Output out, IndexedExample e) {
            out.writeLong(e.id());
            out.writeInt(e.steps());
            out.writeBoolean(e.perStep());
            kryo.writeObjectOrNull(out, e.features(), float[].class);
            kryo.writeObjectOrNull(out, e.tokens(), int[].class);
            kryo.writeObjectOrNull(out, e.values(), float[].class);
            kryo.writeObjectOrNull(out, e.classes(), int[].class);
        }

        @Override
        public IndexedExample read(Kryo kryo, Input in, Class<IndexedExample> type) {
            long id = in.readLong();
            int steps = in.readInt();
            boolean perStep = in.readBoolean();
            float[] features = kryo.readObjectOrNull(in, float[].class);
            int[] tokens = kryo.readObjectOrNull(in, int[].class);
            float[] values = kryo.readObjectOrNull(in, float[].class);
            int[] classes = kryo.readObjectOrNull(in, int[].class);
            return new IndexedExample(id, features, tokens, steps, values, classes, perStep);
        }
    }

    private static final class GradientSumSerializer extends Serializer<GradientSum> {
        @Override
        public void write(Kryo kryo, Output out, GradientSum s) {
            out.writeDouble(s.loss());
            out.writeDouble(s.weight());
            kryo.writeObjectOrNull(out, s.gradient(), float[].class);
        }

        @Override
        public GradientSum read(Kryo kryo, Input in, Class<GradientSum> type) {
            double loss = in.readDouble();
            double weight = in.readDouble();
            return new GradientSum(kryo.readObjectOrNull(in, float[].class), loss, weight);
        }
    }
}
