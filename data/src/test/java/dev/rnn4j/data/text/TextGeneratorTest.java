package dev.rnn4j.data.text;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TextGeneratorTest {

    /** An untrained character model over a small alphabet, its weights random (never all equal). */
    static LanguageModel model(CellType cell, int layers) {
        TokenCounts counts = new TokenCounts();
        counts.addAll(Tokenization.characters().tokens("the quick brown fox jumps over a lazy dog\n"));
        Vocabulary v = Vocabulary.of(counts, Vocabulary.Limits.none());
        SequenceModel net = SequenceModel.builder().vocabulary(v.size()).embeddingSize(12).cell(cell).hiddenSize(16).layers(layers)
                .head(Head.EVERY_STEP).outputs(v.size()).seed(5).build();
        SplittableRandom random = new SplittableRandom(3);
        for (var p : net.parameters()) {
            float[] values = p.value();
            for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new LanguageModel(net, Tokenization.characters(), v);
    }

    static String generate(LanguageModel lm, Sampling sampling, long seed, int n) {
        TextGenerator g = lm.generator(sampling, seed);
        g.prime("the ");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(g.text(g.next()));
        return s.toString();
    }

    @Test
    void sameSeedSameTextOtherSeedOtherText() {
        LanguageModel lm = model(CellType.LSTM, 2);
        for (Sampling s : List.of(Sampling.plain(), new Sampling(0.7, 5, 1), new Sampling(1.2, 0, 0.8))) {
            String a = generate(lm, s, 42, 200), b = generate(lm, s, 42, 200);
            assertEquals(a, b, s.toString());
            assertNotEquals(a, generate(lm, s, 43, 200), s.toString());
        }
    }

    @Test
    void greedyFollowsTheLikeliestTokenAndTopKOneIsGreedy() {
        LanguageModel lm = model(CellType.GRU, 1);
        String greedy = generate(lm, new Sampling(0, 0, 1), 1, 60);
        assertEquals(greedy, generate(lm, new Sampling(0, 0, 1), 99, 60), "greedy ignores the seed");
        assertEquals(greedy, generate(lm, new Sampling(1, 1, 1), 7, 60), "top-k 1 is greedy");
        assertEquals(greedy, generate(lm, new Sampling(1, 0, 1e-9), 7, 60), "a tiny top-p is greedy");
    }

    @Test
    void streamingEqualsTheFullForwardPass() {
        LanguageModel lm = model(CellType.LSTM, 2);
        int[] ids = lm.encode(TextFile.of("p", "the lazy dog"));
        // the generator's state after the start token and the text, against one forward pass over the same tokens
        int[] withStart = new int[ids.length + 1];
        withStart[0] = lm.vocabulary().idOf("\n");
        System.arraycopy(ids, 0, withStart, 1, ids.length);
        var predictions = lm.network().forward(dev.rnn4j.model.ModelInput.tokens(withStart, withStart.length, 1));
        int last = withStart.length - 1, v = lm.vocabulary().size();
        int best = 0;
        for (int k = 1; k < v; k++) if (predictions.get(last, k) > predictions.get(last, best)) best = k;
        TextGenerator g = lm.generator(new Sampling(0, 0, 1), 1);
        g.prime("the lazy dog");
        assertEquals(best, g.next());
    }

    @Test
    void aTokenAllocatesNothing() {
        for (Sampling s : List.of(Sampling.plain(), new Sampling(0.8, 10, 0.9))) {
            TextGenerator g = model(CellType.LSTM, 2).generator(s, 1);
            assertAllocatesNothing(g::next, s.toString());
        }
    }

    /** As core's AllocationAssertions: warm up, then windows of 1000 tokens until one allocates no byte (20 s of patience for the JIT). */
    static void assertAllocatesNothing(Runnable step, String what) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < 20_000; i++) step.run();
        List<Long> windows = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 1000; i++) step.run();
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (allocated == 0) return;
            windows.add(allocated);
        } while (System.nanoTime() < deadline);
        fail(what + ": bytes allocated by each window of 1000 tokens: " + windows);
    }

    @Test
    void wordPiecesJoinWithSpacesAndEosIsANewline() {
        TokenCounts counts = new TokenCounts();
        counts.addAll(List.of("a", "b"));
        Vocabulary v = Vocabulary.of(counts, Vocabulary.Limits.none(), Vocabulary.Special.END_OF_LINE);
        SequenceModel net = SequenceModel.builder().vocabulary(v.size()).embeddingSize(4).cell(CellType.GRU).hiddenSize(4)
                .head(Head.EVERY_STEP).outputs(v.size()).build();
        TextGenerator g = new LanguageModel(net, Tokenization.words(Tokenizer.WHITESPACE), v).generator(Sampling.plain(), 1);
        assertEquals("a ", g.text(v.idOf("a")));
        assertEquals("\n", g.text(v.endOfLineId()));
        assertTrue(g.text(v.unknownId()).startsWith("<unk>"));
    }
}
