package dev.rnn4j.data.app;

import dev.rnn4j.io.AtomicFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Result files (metrics, predictions, forecasts): written whole or not at all ({@link AtomicFile}), and CSV text.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * @throws UncheckedIOException naming the file when it cannot be written (no temporary file is left behind)
     */
    public static void writeAtomically(Path file, String text) {
        try {
            AtomicFile.write(file, channel -> AtomicFile.writeFully(channel, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage() + " (a full disk or a file size limit?); "
                    + (Files.exists(file) ? "the file there is unchanged" : "no file was written"), e);
        }
    }

    /** Rows of cells as RFC 4180 CSV (commas, quotes where needed, LF line ends); the first row is the header. */
    public static String csv(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            for (List<String> row : rows) printer.printRecord(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }
}
