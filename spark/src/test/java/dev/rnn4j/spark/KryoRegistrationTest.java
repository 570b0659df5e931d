package dev.rnn4j.spark;

import dev.rnn4j.train.Example;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a step sends goes through Kryo with rnn4j's registration, with registration required (so an unregistered
 * class fails here rather than being written with its full name on every record).
 */
class KryoRegistrationTest {
    private static final SerializerInstance KRYO = new KryoSerializer(KryoRegistration.configure(new SparkConf())
            .set("spark.kryo.registrationRequired", "true")).newInstance();

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value, Class<T> type) {
        ByteBuffer bytes = KRYO.serialize(value, ClassTag$.MODULE$.apply(type));
        return (T) KRYO.deserialize(bytes, ClassTag$.MODULE$.apply(type));
    }

    @Test
    void examplesAndGradientSumsRoundTrip() {
        IndexedExample features = IndexedExample.of(7, Example.ofFeatures(new float[] {1, 2, 3, 4, 5, 6}, 3).withClass(2));
        IndexedExample back = roundTrip(features, IndexedExample.class);
        assertEquals(7, back.id());
        assertArrayEquals(features.features(), back.features());
        assertArrayEquals(new int[] {2}, back.classes());
        assertNull(back.tokens());

        IndexedExample tokens = IndexedExample.of(3, Example.ofTokens(new int[] {4, 0, 9}).withStepValues(new float[] {0.5f, -1, 2}));
        IndexedExample tokensBack = roundTrip(tokens, IndexedExample.class);
        assertArrayEquals(tokens.tokens(), tokensBack.tokens());
        assertArrayEquals(tokens.values(), tokensBack.values());
        assertEquals(true, tokensBack.perStep());

        GradientSum sum = roundTrip(new GradientSum(new float[] {0.25f, -3}, 1.5, 4), GradientSum.class);
        assertArrayEquals(new float[] {0.25f, -3}, sum.gradient());
        assertEquals(1.5, sum.loss());
        assertEquals(4.0, sum.weight());
        assertNull(roundTrip(GradientSum.ZERO, GradientSum.class).gradient());
    }
}
