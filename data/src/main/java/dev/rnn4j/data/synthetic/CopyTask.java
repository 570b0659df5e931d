package dev.rnn4j.data.synthetic;

import java.util.SplittableRandom;

/**
 * The copy (memory) task of Arjovsky et al. 2016: a sequence starts with {@code symbols} random symbols from an
 * alphabet of {@code alphabet} letters, then {@code delay} blank steps; a delimiter on the last blank step asks
 * for the symbols back, and the model must output them over the final {@code symbols} steps, and blanks before.
 *
 * <p>Classes and input one-hot positions: 0 is blank, 1..alphabet are the letters, alphabet + 1 the delimiter.
 * Sequence length T = delay + 2 * symbols. A model that outputs blanks and then guesses letters uniformly scores
 * the cross-entropy {@link #baselineCrossEntropy()} = symbols · ln(alphabet) / T per step.
 */
public final class CopyTask {
    public static final int BLANK = 0;

    private final int delay;
    private final int symbols;
    private final int alphabet;
    private final SplittableRandom random;

    /**
     * @param delay    blank steps between the symbols and the recall (at least 1)
     * @param symbols  how many symbols to memorise (Arjovsky et al.: 10)
     * @param alphabet letters to draw them from (Arjovsky et al.: 8)
     */
    public CopyTask(int delay, int symbols, int alphabet, long seed) {
        if (delay < 1) throw new IllegalArgumentException("delay must be at least 1, got " + delay);
        if (symbols < 1) throw new IllegalArgumentException("symbols must be at least 1, got " + symbols);
        if (alphabet < 2) throw new IllegalArgumentException("alphabet must have at least 2 letters, got " + alphabet);
        this.delay = delay;
        this.symbols = symbols;
        this.alphabet = alphabet;
        this.random = new SplittableRandom(seed);
    }

    /** T = delay + 2 * symbols. */
    public int length() {
        return delay + 2 * symbols;
    }

    /** Input width and number of output classes: blank, the letters, the delimiter. */
    public int classes() {
        return alphabet + 2;
    }

    public int delimiter() {
        return alphabet + 1;
    }

    /** Cross-entropy per step of the best memoryless model: blanks where due, uniform letters at the end. */
    public double baselineCrossEntropy() {
        return symbols * Math.log(alphabet) / length();
    }

    /**
     * @return inputs [T, B, classes] one-hot, time-major, and targets [T, B] class ids
     */
    public Batch batch(int batch) {
        int steps = length(), width = classes();
        float[] inputs = new float[steps * batch * width];
        int[] targets = new int[steps * batch]; // BLANK everywhere but the recall steps
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < symbols; s++) {
                int letter = 1 + random.nextInt(alphabet);
                inputs[(s * batch + b) * width + letter] = 1f;
                targets[(symbols + delay + s) * batch + b] = letter;
            }
            for (int t = symbols; t < steps; t++) {
                int symbol = t == symbols + delay - 1 ? delimiter() : BLANK;
                inputs[(t * batch + b) * width + symbol] = 1f;
            }
        }
        return new Batch(inputs, targets, steps, batch, width);
    }

    /**
     * @param inputs  [T, B, classes] one-hot
     * @param targets [T, B] class ids
     */
    public record Batch(float[] inputs, int[] targets, int steps, int batch, int classes) {}
}
