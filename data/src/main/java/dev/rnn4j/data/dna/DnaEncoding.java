package dev.rnn4j.data.dna;

import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.train.Example;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How DNA sequences become model input: one-hot bases or overlapping k-mer tokens, optionally with the reverse
 * complement as a second view.
 *
 * <p>Bases: A, C, G, T and U (read as T), upper or lower case, and the IUPAC ambiguity codes R (A/G), Y (C/T),
 * S (C/G), W (A/T), K (G/T), M (A/C), B (C/G/T), D (A/G/T), H (A/C/T), V (A/C/G), N (any). Any other character
 * (gaps {@code -} and {@code .}, digits, {@code *}, spaces) is refused with an {@link IllegalArgumentException}
 * naming the character and its 1-based position.
 *
 * <ul>
 *   <li>{@code kmer = 0}, one-hot: features [T, 4], the share of A, C, G, T at each base; an ambiguity code is the
 *       uniform mix of the bases it stands for (N = 0.25 each, R = 0.5 A + 0.5 G).</li>
 *   <li>{@code kmer = K >= 1}: tokens [T - K + 1], one per overlapping window of K bases; vocabulary 4^K + 1, where id
 *       0 is a window holding an ambiguity code and ids 1..4^K are the k-mers in lexicographic A, C, G, T order
 *       ({@code id = 1 + sum of index(base_i) * 4^(K-1-i)}, A=0 C=1 G=2 T=3; for K = 2, AA = 1, AC = 2 ... TT = 16).</li>
 * </ul>
 *
 * <p>JSON (a classifier bundle stores it): {@code {"domain": "dna", "kmer": K, "reverse_complement": true|false}}.
 *
 * @param kmer              0 for one-hot bases, else the k-mer length K, 1 to {@value #MAX_KMER}
 * @param reverseComplement whether each record gets its reverse complement as a second view (predictions are averaged
 *                          over both strands) and as an extra training example
 */
public record DnaEncoding(int kmer, boolean reverseComplement) implements SequenceEncoding {
    /** The name in bundles and messages. */
    public static final String DOMAIN = "dna";
    /** The longest k-mer: 4^12 + 1 ids is already far more than an embedding table should hold. */
    public static final int MAX_KMER = 12;

    /** One-hot bases, one strand: the default. */
    public static final DnaEncoding ONE_HOT = new DnaEncoding(0, false);

    public DnaEncoding {
        if (kmer < 0 || kmer > MAX_KMER) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "k-mer length must be 0 (one-hot bases) or 1 to %d, got %d", MAX_KMER, kmer));
        }
    }

    @Override
    public String domain() {
        return DOMAIN;
    }

    @Override
    public int featuresPerStep() {
        return kmer == 0 ? 4 : 0;
    }

    @Override
    public int vocabulary() {
        return kmer == 0 ? 0 : (1 << 2 * kmer) + 1;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", DOMAIN);
        json.put("kmer", kmer);
        json.put("reverse_complement", reverseComplement);
        return json;
    }

    /**
     * Reads what {@link #toJson()} wrote; numbers may be any {@link Number} holding a whole value.
     *
     * @throws IllegalArgumentException naming the key at fault, or when the domain is not {@value #DOMAIN}
     */
    public static DnaEncoding fromJson(Map<String, Object> json) {
        if (!DOMAIN.equals(json.get("domain"))) {
            throw new IllegalArgumentException("dna encoding: 'domain' is " + json.get("domain") + ", not \"dna\"");
        }
        if (!(json.get("kmer") instanceof Number k) || k.doubleValue() != Math.rint(k.doubleValue())) {
            throw new IllegalArgumentException("dna encoding: 'kmer' must be a whole number, got " + json.get("kmer"));
        }
        if (!(json.get("reverse_complement") instanceof Boolean both)) {
            throw new IllegalArgumentException("dna encoding: 'reverse_complement' must be true or false, got "
                    + json.get("reverse_complement"));
        }
        long length = k.longValue();
        if (length < 0 || length > MAX_KMER) {
            throw new IllegalArgumentException("dna encoding: 'kmer' must be 0 to " + MAX_KMER + ", got " + length);
        }
        return new DnaEncoding((int) length, both);
    }

    /**
     * The record's views: the bases as they are and, when {@link #reverseComplement()}, their reverse complement.
     *
     * @throws IllegalArgumentException as {@link #encode}
     */
    public List<Example> views(CharSequence bases) {
        return reverseComplement ? List.of(encode(bases), reverseComplement(bases)) : List.of(encode(bases));
    }

    /**
     * The bases as one-hot features [T, 4] or k-mer tokens [T - K + 1], without a target.
     *
     * @throws IllegalArgumentException for a character that is not a base (naming it and its 1-based position), an
     *                                  empty sequence, or one shorter than K
     */
    public Example encode(CharSequence bases) {
        requireBases(bases);
        return kmer == 0 ? oneHot(bases) : kmerTokens(bases);
    }

    /** {@link #encode} of the reverse complement of the bases. */
    public Example reverseComplement(CharSequence bases) {
        return encode(reverseComplementOf(bases));
    }

    /**
     * The reverse complement as text: the bases in reverse order, each replaced by its complement (A-T, C-G, R-Y,
     * K-M, B-V, D-H; S, W and N are their own; U becomes A), keeping each character's case.
     *
     * @throws IllegalArgumentException for a character that is not a base
     */
    public static String reverseComplementOf(CharSequence bases) {
        requireCodes(bases);
        char[] out = new char[bases.length()];
        for (int i = 0; i < out.length; i++) out[out.length - 1 - i] = Iupac.complement(bases.charAt(i));
        return new String(out);
    }

    /** The 0-based index of the first character in {@code text} that is not a base, or -1 when all are. */
    public static int firstInvalid(CharSequence text) {
        for (int i = 0; i < text.length(); i++) if (!Iupac.isCode(text.charAt(i))) return i;
        return -1;
    }

    /** What a reader says about a character that is not a base, without its position. */
    static String notABase(char c) {
        String shown = Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format(Locale.ROOT, "U+%04X", (int) c) : "'" + c + "'";
        return shown + " is not a DNA base (A, C, G, T, U or an IUPAC code: R Y S W K M B D H V N)";
    }

    private static void requireCodes(CharSequence bases) {
        int bad = firstInvalid(bases);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s at position %d",
                    notABase(bases.charAt(bad)), bad + 1));
        }
    }

    private void requireBases(CharSequence bases) {
        requireCodes(bases);
        if (bases.isEmpty()) throw new IllegalArgumentException("the sequence is empty");
        if (bases.length() < kmer) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the sequence has %d base%s, fewer than the k-mer length %d",
                    bases.length(), bases.length() == 1 ? "" : "s", kmer));
        }
    }

    /**
     * The bases a one-hot example holds, one letter per step: A, C, G or T where one base is hot, N for a mixture
     * (an IUPAC code). For showing an encoded sequence; null for k-mer tokens.
     */
    public List<String> basesOf(Example example) {
        if (kmer != 0 || example.features() == null) return null;
        List<String> out = new ArrayList<>();
        for (int t = 0; t < example.steps(); t++) {
            int hot = -1;
            for (int b = 0; b < 4; b++) {
                if (example.features()[t * 4 + b] == 1f) hot = b;
            }
            out.add(hot >= 0 ? String.valueOf("ACGT".charAt(hot)) : "N");
        }
        return out;
    }

    private static Example oneHot(CharSequence bases) {
        int steps = bases.length();
        float[] features = new float[steps * 4];
        for (int t = 0; t < steps; t++) System.arraycopy(Iupac.oneHot(bases.charAt(t)), 0, features, t * 4, 4);
        return Example.ofFeatures(features, steps);
    }

    /** Rolling: the window's value in base 4, and how many more windows an ambiguity code seen last spoils. */
    private Example kmerTokens(CharSequence bases) {
        int[] tokens = new int[bases.length() - kmer + 1];
        int mask = (1 << 2 * kmer) - 1;
        int value = 0;
        int spoiled = 0;
        for (int i = 0; i < bases.length(); i++) {
            int base = Iupac.baseIndex(bases.charAt(i));
            if (base < 0) {
                spoiled = kmer;
                base = 0;
            } else if (spoiled > 0) {
                spoiled--;
            }
            value = (value << 2 | base) & mask;
            int window = i - kmer + 1;
            if (window >= 0) tokens[window] = spoiled > 0 ? 0 : value + 1;
        }
        return Example.ofTokens(tokens);
    }
}
