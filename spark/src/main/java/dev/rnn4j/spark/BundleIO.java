package dev.rnn4j.spark;

import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.SafetensorsFile;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * A fitted model on disk, as Spark ML saves any stage: Spark's {@code metadata} (class, uid, Params) and beside it
 * the rnn4j bundle, {@value #BUNDLE_FILE} (the same file {@code rnn4j} commands write), on any Hadoop file system.
 */
final class BundleIO {
    static final String BUNDLE_FILE = "bundle.rnn4j";

    private BundleIO() {}

    /** The bundle as the bytes of its file. */
    static byte[] toBytes(ModelBundle bundle) {
        try {
            Path dir = Files.createTempDirectory("rnn4j-bundle");
            Path file = dir.resolve(BUNDLE_FILE);
            try {
                BundleFile.save(bundle, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle to a temporary file: " + e.getMessage(), e);
        }
    }

    static ModelBundle fromBytes(String source, byte[] bytes) {
        return BundleFile.read(SafetensorsFile.parse(source, bytes));
    }

    static final class Writer extends MLWriter {
        private final RnnModel<?> model;

        Writer(RnnModel<?> model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, BUNDLE_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (FSDataOutputStream out = fs.create(file, true)) {
                    out.write(toBytes(model.bundle()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot write the model bundle: " + e.getMessage(), e);
            }
        }
    }

    /** Reads models of one class: {@code factory} builds one from its uid and bundle, then the Params are set. */
    static final class Reader<M extends RnnModel<M>> extends MLReader<M> {
        private final Class<M> type;
        private final BiFunction<String, ModelBundle, M> factory;

        Reader(Class<M> type, BiFunction<String, ModelBundle, M> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public M load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), type.getName());
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, BUNDLE_FILE);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (FSDataInputStream in = fs.open(file)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read the model bundle: " + e.getMessage(), e);
            }
            M model = factory.apply(metadata.uid(), fromBytes(file.toString(), bytes));
            metadata.getAndSetParams(model, metadata.getAndSetParams$default$2());
            return model;
        }
    }
}
