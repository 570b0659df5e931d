package dev.rnn4j.data.dna;

/**
 * The IUPAC nucleotide alphabet, either case: A, C, G, T, U (read as T) and the ambiguity codes R, Y, S, W, K, M,
 * B, D, H, V, N. Tables indexed by character, built once.
 */
final class Iupac {
    /** The codes accepted, upper case, for messages. */
    static final String ALPHABET = "ACGTURYSWKMBDHVN";

    private static final int TABLE = 128;
    /** The bases each code stands for, as a set over A, C, G, T (bit 0 = A ... bit 3 = T); 0 = not a code. */
    private static final int[] BASE_SETS = new int[TABLE];
    private static final char[] COMPLEMENTS = new char[TABLE];
    private static final float[][] ONE_HOT = new float[TABLE][];

    static {
        String[][] codes = {
                {"A", "A"}, {"C", "C"}, {"G", "G"}, {"T", "T"}, {"U", "T"},
                {"R", "AG"}, {"Y", "CT"}, {"S", "CG"}, {"W", "AT"}, {"K", "GT"}, {"M", "AC"},
                {"B", "CGT"}, {"D", "AGT"}, {"H", "ACT"}, {"V", "ACG"}, {"N", "ACGT"}};
        for (String[] code : codes) {
            int set = 0;
            for (char base : code[1].toCharArray()) set |= 1 << "ACGT".indexOf(base);
            float[] mix = new float[4];
            for (int b = 0; b < 4; b++) if ((set & 1 << b) != 0) mix[b] = 1f / Integer.bitCount(set);
            char upper = code[0].charAt(0);
            char lower = Character.toLowerCase(upper);
            BASE_SETS[upper] = BASE_SETS[lower] = set;
            ONE_HOT[upper] = ONE_HOT[lower] = mix;
        }
        // the complement of a set of bases is the set of their complements: A<->T, C<->G, so reverse the bits
        for (char c = 0; c < TABLE; c++) {
            int set = BASE_SETS[c];
            if (set == 0) continue;
            int complement = Integer.reverse(set) >>> 28;
            char code = codeOf(complement);
            COMPLEMENTS[c] = Character.isLowerCase(c) ? Character.toLowerCase(code) : code;
        }
    }

    private Iupac() {
    }

    /** The upper-case code for a set of bases (T, never U). */
    private static char codeOf(int set) {
        for (char code : ALPHABET.toCharArray()) if (code != 'U' && BASE_SETS[code] == set) return code;
        throw new AssertionError("no IUPAC code for base set " + set);
    }

    static boolean isCode(char c) {
        return c < TABLE && BASE_SETS[c] != 0;
    }

    /** 0..3 for A, C, G, T (U) in either case; -1 for an ambiguity code. The character must be a code. */
    static int baseIndex(char c) {
        int set = BASE_SETS[c];
        return Integer.bitCount(set) == 1 ? Integer.numberOfTrailingZeros(set) : -1;
    }

    /** The share of A, C, G, T the code stands for; shared, do not modify. The character must be a code. */
    static float[] oneHot(char c) {
        return ONE_HOT[c];
    }

    /** The complementary code, in the same case; U's complement is A. The character must be a code. */
    static char complement(char c) {
        return COMPLEMENTS[c];
    }
}
