package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.StrictCharsetReader;
import dev.rnn4j.tensor.Parameter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Word vectors in the text format of GloVe ({@code word v1 v2 ... vD} per line) or word2vec (the same, after a
 * header line {@code count D}), for initialising an embedding table ({@link #initialize}).
 */
public final class PretrainedVectors {
    private final String source;
    private final int dimension;               // D
    private final Map<String, float[]> vectors; // word -> [D], lookup only
    private final double deviation;            // of all values read: the scale of the random vectors for missing words

    private PretrainedVectors(String source, int dimension, Map<String, float[]> vectors, double deviation) {
        this.source = source;
        this.dimension = dimension;
        this.vectors = vectors;
        this.deviation = deviation;
    }

    /**
     * Reads the vectors of the words {@code keep} accepts (a vocabulary's, say; null for every word). The first
     * vector of a word that occurs twice counts.
     *
     * @throws DataFileException naming the file and line: a row of another width than the first, a value that is not
     *                           a number, a word without values, no vector at all, invalid bytes
     */
    public static PretrainedVectors read(Path file, Charset charset, Predicate<String> keep) {
        String source = file.toString();
        Map<String, float[]> vectors = new HashMap<>();
        int dimension = -1, widthLine = 0, lineNumber = 0;
        double sum = 0, sumOfSquares = 0;
        long count = 0;
        try (BufferedReader reader = new BufferedReader(new StrictCharsetReader(Files.newInputStream(file), source, charset))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) continue;
                String[] fields = line.strip().split("[ \t]+");
                if (lineNumber == 1 && fields.length == 2 && isCount(fields[0]) && isCount(fields[1])) continue; // word2vec's header
                int width = fields.length - 1;
                if (width < 1) throw new DataFileException(source, lineNumber, null, "'" + fields[0] + "' has no values");
                if (dimension < 0) {
                    dimension = width;
                    widthLine = lineNumber;
                } else if (width != dimension) {
                    throw new DataFileException(source, lineNumber, null, "'" + fields[0] + "' has " + width + " values, but line " + widthLine
                            + " has " + dimension + "; every vector must have the same width");
                }
                if (keep != null && !keep.test(fields[0])) continue;
                if (vectors.containsKey(fields[0])) continue;
                float[] v = new float[width];
                for (int i = 0; i < width; i++) {
                    try {
                        v[i] = Float.parseFloat(fields[i + 1]);
                    } catch (NumberFormatException e) {
                        throw new DataFileException(source, lineNumber, null, "value " + (i + 1) + " of '" + fields[0] + "', '" + fields[i + 1]
                                + "', is not a number");
                    }
                    if (!Float.isFinite(v[i])) {
                        throw new DataFileException(source, lineNumber, null, "value " + (i + 1) + " of '" + fields[0] + "' is " + v[i]);
                    }
                    sum += v[i];
                    sumOfSquares += (double) v[i] * v[i];
                }
                count += width;
                vectors.put(fields[0], v);
            }
        } catch (NoSuchFileException e) {
            throw DataFileException.ofFile(source, "no such file");
        } catch (IOException e) {
            throw DataFileException.ofFile(source, "cannot read: " + e.getMessage());
        }
        if (dimension < 0) throw DataFileException.ofFile(source, "no word vectors in the file");
        double mean = count == 0 ? 0 : sum / count;
        double deviation = count == 0 ? 0.1 : Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
        return new PretrainedVectors(source, dimension, vectors, deviation > 0 ? deviation : 0.1);
    }

    private static boolean isCount(String field) {
        return !field.isEmpty() && field.length() < 10 && field.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    public String source() {
        return source;
    }

    /** D, values per vector. */
    public int dimension() {
        return dimension;
    }

    /** Words read (those the filter kept). */
    public int size() {
        return vectors.size();
    }

    /** The vector of {@code word}, or null. */
    public float[] vector(String word) {
        float[] v = vectors.get(word);
        return v == null ? null : v.clone();
    }

    /**
     * How many of a vocabulary's tokens had a vector.
     *
     * @param tokens the vocabulary's tokens, specials left out
     * @param found  those with a pretrained vector
     */
    public record Match(int tokens, int found) {
        public double share() {
            return tokens == 0 ? 1.0 : (double) found / tokens;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tokens", tokens);
            json.put("found", found);
            json.put("share", share());
            return json;
        }
    }

    /**
     * Fills an embedding table [V, D]: each token's pretrained vector; a token without one gets a random vector,
     * normal with the pretrained values' standard deviation, drawn in id order from {@code seed}; padding a zero row.
     *
     * @throws IllegalArgumentException if the table is not [V, D]
     */
    public Match initialize(Vocabulary vocabulary, Parameter table, long seed) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        int[] shape = table.shape();
        if (shape.length != 2 || shape[0] != vocabulary.size() || shape[1] != dimension) {
            throw new IllegalArgumentException(source + ": the vectors have " + dimension + " values but the embedding is "
                    + java.util.Arrays.toString(shape) + "; set the embedding size to " + dimension);
        }
        float[] values = table.value();
        SplittableRandom random = new SplittableRandom(seed);
        int tokens = 0, found = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            int row = id * dimension;
            if (id == vocabulary.paddingId()) {
                java.util.Arrays.fill(values, row, row + dimension, 0f);
                continue;
            }
            String token = vocabulary.token(id);
            boolean special = token.equals(Vocabulary.UNKNOWN) || token.equals(Vocabulary.END_OF_LINE);
            float[] v = vectors.get(token);
            if (!special) tokens++;
            if (v != null) {
                System.arraycopy(v, 0, values, row, dimension);
                if (!special) found++;
            } else {
                for (int j = 0; j < dimension; j++) values[row + j] = (float) (random.nextGaussian() * deviation);
            }
        }
        return new Match(tokens, found);
    }
}
