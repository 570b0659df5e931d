package dev.rnn4j.data.dna;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.StrictCharsetReader;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.SequenceEncoding;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening DNA files (plain or gzip-compressed UTF-8 text) and choosing the encoding, for both readers. */
final class DnaFiles {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private DnaFiles() {
    }

    /**
     * The file's text, decompressed when its name ends in {@code .gz} or it starts with the gzip magic bytes,
     * decoded strictly as UTF-8 (ASCII in practice).
     *
     * @throws DataFileException when the file is missing, a folder or unreadable
     */
    static BufferedReader open(Path file, String source) {
        if (Files.isDirectory(file)) throw DataFileException.ofFile(source, "is a directory, not a file");
        InputStream in = null;
        try {
            in = new BufferedInputStream(Files.newInputStream(file));
            if (file.getFileName().toString().endsWith(".gz") || startsWithGzipMagic(in)) {
                in = new GZIPInputStream(in);
            }
            return new BufferedReader(new StrictCharsetReader(in, source, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DataFileException(source, 0, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataFileException(source, 0, null, "cannot be read (permission denied)", e);
        } catch (IOException e) {
            closeQuietly(in);
            throw readError(source, 0, e);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        boolean gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
        in.reset();
        return gzip;
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing with the first error
        }
    }

    /** A read error in the middle of the file (a truncated gzip stream, a disk error), at the given line. */
    static DataFileException readError(String source, int line, IOException e) {
        String detail = e instanceof EOFException
                ? "the file ends too early (a truncated gzip file?)" : "cannot be read: " + e.getMessage();
        return new DataFileException(source, line, null, detail, e);
    }

    /** Training-time extra examples: the further views (the reverse complement), or null when there are none. */
    static LabelledData.Augmenter augmenter(DnaEncoding encoding) {
        if (!encoding.reverseComplement()) return null;
        return (record, seed) -> record.views().subList(1, record.views().size());
    }

    /**
     * The encoding to read with: the fitted one when given (it must be a DNA encoding), else the source's own.
     *
     * @throws DataFileException when the fitted encoding belongs to another domain
     */
    static DnaEncoding encoding(SequenceEncoding fitted, DnaEncoding own, String source) {
        if (fitted == null) return own;
        if (fitted instanceof DnaEncoding dna) return dna;
        throw DataFileException.ofFile(source, "holds DNA sequences, but the model was trained on '"
                + fitted.domain() + "' data");
    }
}
