package dev.rnn4j.data.text;

import dev.rnn4j.layer.RecurrentStream;
import dev.rnn4j.model.SequenceModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Writes text one token at a time: each token is fed back through a {@link RecurrentStream} with the state carried,
 * the embedding lookup and the head computed on one row in buffers allocated here, once: {@link #next()} allocates
 * nothing. The same model, prime, sampling and seed give the same text.
 *
 * <pre>{@code
 * TextGenerator g = model.generator(new Sampling(0.8, 0, 1), 42);
 * g.prime("ROMEO:");
 * for (int i = 0; i < 500; i++) System.out.print(g.text(g.next()));
 * }</pre>
 */
public final class TextGenerator {
    private final SequenceModel network;
    private final Tokenization tokenization;
    private final Vocabulary vocabulary;
    private final Sampling sampling;
    private final SplittableRandom random;
    private final RecurrentStream stream;
    private final int vocabularySize;  // V
    private final int embeddingSize;   // E
    private final int hiddenSize;      // H, the top layer's output
    private final float[] table;       // [V, E] the embedding, live
    private final float[] headWeight;  // [V, H] live
    private final float[] headBias;    // [V] live
    private final float[] input;       // [1, E] this step's embedded token
    private final double[] weights;    // [V] logits, then unnormalised probabilities
    private final int[] order;         // [V] token ids, most likely first when top-k or top-p needs an order
    private final String[] pieces;     // [V] what each token adds to the text

    /** A generator at the start of a line (after a newline or {@code <eos>}), the model's weights as they are now. */
    public TextGenerator(LanguageModel model, Sampling sampling, long seed) {
        this.network = model.network();
        this.tokenization = model.tokenization();
        this.vocabulary = model.vocabulary();
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        this.random = new SplittableRandom(seed);
        this.stream = new RecurrentStream(network.recurrent(), 1);
        this.vocabularySize = vocabulary.size();
        this.embeddingSize = network.embedding().size();
        this.hiddenSize = network.recurrent().config().outputSize();
        this.table = network.embedding().weight().value();
        this.headWeight = network.head().weight().value();
        this.headBias = network.head().bias().value();
        this.input = new float[embeddingSize];
        this.weights = new double[vocabularySize];
        this.order = new int[vocabularySize];
        this.pieces = new String[vocabularySize];
        for (int id = 0; id < vocabularySize; id++) pieces[id] = piece(id);
        feed(startToken());
    }

    private String piece(int id) {
        String token = vocabulary.token(id);
        if (tokenization.level() == TokenLevel.CHAR) return id == vocabulary.unknownId() ? "?" : token;
        return id == vocabulary.endOfLineId() ? "\n" : token + " ";
    }

    private int startToken() {
        if (vocabulary.endOfLineId() >= 0) return vocabulary.endOfLineId();
        return vocabulary.idOf("\n");
    }

    /** Feeds text as if it had been written: its tokens (unknown ones as {@code <unk>}) advance the state. */
    public void prime(String text) {
        List<String> tokens = new ArrayList<>();
        tokenization.addTokens(text, tokens);
        for (String t : tokens) feed(vocabulary.idOf(t));
    }

    /** Draws the next token from the current distribution, feeds it back, and returns its id. Allocates nothing. */
    public int next() {
        int id = sample();
        feed(id);
        return id;
    }

    /** What token {@code id} adds to the text: the character, or the word and a space ({@code <eos>}: a newline). */
    public String text(int id) {
        return pieces[id];
    }

    /** Advances the state by one token and leaves the next token's logits in {@code weights}. */
    private void feed(int id) {
        System.arraycopy(table, id * embeddingSize, input, 0, embeddingSize);
        float[] h = stream.step(input); // [1, H]
        for (int k = 0; k < vocabularySize; k++) {
            int row = k * hiddenSize;
            float sum = 0f;
            for (int j = 0; j < hiddenSize; j++) sum += headWeight[row + j] * h[j];
            weights[k] = headBias[k] + sum;
        }
    }

    private int sample() {
        int v = vocabularySize;
        if (sampling.temperature() == 0) return argmax();
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) max = Math.max(max, weights[k]);
        double total = 0;
        for (int k = 0; k < v; k++) {
            weights[k] = Math.exp((weights[k] - max) / sampling.temperature());
            total += weights[k];
        }
        boolean truncated = (sampling.topK() > 0 && sampling.topK() < v) || sampling.topP() < 1;
        if (!truncated) {
            double u = random.nextDouble() * total;
            for (int k = 0; k < v; k++) {
                u -= weights[k];
                if (u < 0) return k;
            }
            return v - 1;
        }
        for (int k = 0; k < v; k++) order[k] = k;
        sortByWeightDescending();
        int keep = sampling.topK() > 0 ? Math.min(sampling.topK(), v) : v;
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += weights[order[i]];
            if (kept >= sampling.topP() * total) {
                keep = i + 1;
                break;
            }
        }
        double u = random.nextDouble() * kept;
        for (int i = 0; i < keep; i++) {
            u -= weights[order[i]];
            if (u < 0) return order[i];
        }
        return order[keep - 1];
    }

    private int argmax() {
        int best = 0;
        for (int k = 1; k < vocabularySize; k++) if (weights[k] > weights[best]) best = k;
        return best;
    }

    /** Heap sort of {@code order} by weight, largest first, ties by id; in place, so nothing is allocated. */
    private void sortByWeightDescending() {
        int n = vocabularySize;
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(i, n);
        for (int end = n - 1; end > 0; end--) {
            int top = order[0];
            order[0] = order[end];
            order[end] = top;
            siftDown(0, end);
        }
    }

    /** A min-heap on (weight, then larger id first), so that the sorted array runs from the largest weight down. */
    private void siftDown(int i, int n) {
        while (true) {
            int left = 2 * i + 1, smallest = i;
            if (left < n && before(order[left], order[smallest])) smallest = left;
            if (left + 1 < n && before(order[left + 1], order[smallest])) smallest = left + 1;
            if (smallest == i) return;
            int t = order[i];
            order[i] = order[smallest];
            order[smallest] = t;
            i = smallest;
        }
    }

    /** Whether a belongs nearer the end of the sorted order than b: a smaller weight, or equal and a larger id. */
    private boolean before(int a, int b) {
        return weights[a] < weights[b] || (weights[a] == weights[b] && a > b);
    }
}
