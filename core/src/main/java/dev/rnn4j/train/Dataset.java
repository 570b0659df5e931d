package dev.rnn4j.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A finite, immutable list of {@link Example}s of one kind: all feature vectors of the same width F or all token
 * ids, all with the same kind of target (a class or K values, per sequence or per step). Sequences may have any
 * length; a {@link Batcher} pads them into batches.
 *
 * <p>Loaders (CSV, FASTA, audio, text) produce examples; {@code Dataset.of(examples)} checks that they agree.
 */
public final class Dataset {
    private final List<Example> examples;
    private final int featureSize;  // F, 0 for tokens
    private final int targetSize;   // K (1 for classes), 0 without targets
    private final boolean classes;
    private final boolean perStep;
    private volatile String sha256;

    private Dataset(List<Example> examples) {
        this.examples = examples;
        Example first = examples.get(0);
        this.featureSize = first.featureSize();
        this.targetSize = first.targetSize();
        this.classes = first.classes() != null;
        this.perStep = first.perStep();
        for (int i = 1; i < examples.size(); i++) {
            Example e = examples.get(i);
            if ((e.tokens() != null) != (first.tokens() != null)) {
                throw new IllegalArgumentException("example " + i + " has " + (e.tokens() != null ? "tokens" : "features")
                        + " but example 0 has " + (first.tokens() != null ? "tokens" : "features"));
            }
            if (e.featureSize() != featureSize) {
                throw new IllegalArgumentException("example " + i + " has " + e.featureSize() + " features per step but example 0 has " + featureSize);
            }
            if (e.hasTarget() != first.hasTarget() || (e.classes() != null) != classes || e.perStep() != perStep
                    || e.targetSize() != targetSize) {
                throw new IllegalArgumentException("example " + i + " has a " + describeTarget(e) + " target but example 0 has a "
                        + describeTarget(first) + " target");
            }
        }
    }

    private static String describeTarget(Example e) {
        if (!e.hasTarget()) return "missing";
        return (e.classes() != null ? "class" : e.targetSize() + "-value") + (e.perStep() ? " per-step" : " per-sequence");
    }

    /**
     * @throws IllegalArgumentException if the list is empty, or examples disagree (the message names the first
     *                                  that differs from example 0)
     */
    public static Dataset of(List<Example> examples) {
        Objects.requireNonNull(examples, "examples");
        if (examples.isEmpty()) throw new IllegalArgumentException("a dataset needs at least one example");
        for (int i = 0; i < examples.size(); i++) Objects.requireNonNull(examples.get(i), "example " + i);
        return new Dataset(List.copyOf(examples));
    }

    public int size() {
        return examples.size();
    }

    public Example get(int index) {
        return examples.get(index);
    }

    public List<Example> examples() {
        return examples;
    }

    /** Whether the examples are token ids (else feature vectors). */
    public boolean tokenInput() {
        return examples.get(0).tokens() != null;
    }

    /** F, features per step; 0 for token input. */
    public int featureSize() {
        return featureSize;
    }

    /** K, values per target row (1 for classes), 0 without targets. */
    public int targetSize() {
        return targetSize;
    }

    /** Whether targets are class ids (else values). */
    public boolean classTargets() {
        return classes;
    }

    /** Whether targets are per step (else per sequence). */
    public boolean perStepTargets() {
        return perStep;
    }

    public boolean hasTargets() {
        return examples.get(0).hasTarget();
    }

    /** The longest sequence's length. */
    public int maxSteps() {
        int max = 0;
        for (Example e : examples) max = Math.max(max, e.steps());
        return max;
    }

    /** The examples at these indices, in that order (repeats allowed). */
    public Dataset subset(int[] indices) {
        List<Example> out = new ArrayList<>(indices.length);
        for (int i : indices) out.add(examples.get(i));
        return of(out);
    }

    /**
     * A seeded random split: the first dataset holds {@code firstSize} examples, the second the rest, both in
     * their original relative order.
     */
    public List<Dataset> split(int firstSize, long seed) {
        if (firstSize < 1 || firstSize >= size()) {
            throw new IllegalArgumentException("firstSize must be in 1.." + (size() - 1) + ", got " + firstSize);
        }
        int[] order = BatchPlan.permutation(size(), new SplittableRandom(seed));
        boolean[] first = new boolean[size()];
        for (int i = 0; i < firstSize; i++) first[order[i]] = true;
        int[] a = new int[firstSize], b = new int[size() - firstSize];
        int na = 0, nb = 0;
        for (int i = 0; i < size(); i++) {
            if (first[i]) a[na++] = i;
            else b[nb++] = i;
        }
        return List.of(subset(a), subset(b));
    }

    /**
     * The lowercase hex SHA-256 of the contents (every example's steps, inputs and targets, as little-endian bit
     * patterns), the data fingerprint recorded in provenance and checked when resuming a checkpoint.
     */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(size()).putInt(featureSize).putInt(targetSize).put((byte) (tokenInput() ? 1 : 0))
                    .put((byte) (classes ? 1 : 0)).put((byte) (perStep ? 1 : 0)).put((byte) (hasTargets() ? 1 : 0));
            digest.update(header.array(), 0, header.position());
            for (Example e : examples) {
                digest.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(e.steps()).array());
                if (e.features() != null) update(digest, e.features());
                if (e.tokens() != null) update(digest, e.tokens());
                if (e.values() != null) update(digest, e.values());
                if (e.classes() != null) update(digest, e.classes());
            }
            s = HexFormat.of().formatHex(digest.digest());
            sha256 = s;
        }
        return s;
    }

    private static void update(MessageDigest digest, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putInt(Float.floatToRawIntBits(v));
        digest.update(b.array());
    }

    private static void update(MessageDigest digest, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        digest.update(b.array());
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " examples, " + (tokenInput() ? "tokens" : featureSize + " features")
                + ", " + (hasTargets() ? describeTarget(examples.get(0)) + " targets" : "no targets") + ")";
    }
}
