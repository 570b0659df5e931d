package dev.rnn4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of the test JVM (Spark starts in seconds, so every test class shares it):
 * {@code local[2,4]}, two task threads, each failed task retried up to 3 times (plain {@code local[2]} never retries),
 * the settings of {@link SparkTrainer#configure}.
 */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            SparkConf conf = SparkTrainer.configure(new SparkConf())
                    .setMaster("local[2,4]")
                    .setAppName("rnn4j-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "4");
            session = SparkSession.builder().config(conf).getOrCreate();
        }
        return session;
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }
}
