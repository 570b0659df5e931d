package dev.rnn4j.cli;

import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.rnn4j.cli.ForecastCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train classify, evaluate and predict end to end on small FASTA files, and their bad-input messages. */
class ClassifyCommandsTest {
    @TempDir
    static Path dir;
    static Path promoters, others, model;
    static ForecastCommandsTest.Result trained;

    /** FASTA records of 40 random bases; with {@code motif}, TATAAT is planted at a random place. */
    static String fasta(String prefix, int n, boolean motif, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 40; j++) s.append("ACGT".charAt(random.nextInt(4)));
            if (motif) {
                int at = random.nextInt(34);
                s.replace(at, at + 6, "TATAAT");
            }
            out.append('>').append(prefix).append(i).append(" sample\n").append(s, 0, 20).append("\r\n").append(s.substring(20).toLowerCase()).append('\n');
        }
        return out.toString();
    }

    @BeforeAll
    static void train() throws Exception {
        promoters = dir.resolve("promoters.fa");
        others = dir.resolve("others.fa");
        Files.writeString(promoters, fasta("p", 60, true, 1));
        Files.writeString(others, fasta("n", 60, false, 2));
        model = dir.resolve("dna.rnn4j");
        trained = run("train", "classify", "--fasta", "promoter=" + promoters, "--fasta", "other=" + others, "--hidden", "16",
                "--epochs", "40", "--dropout", "0", "--pooling", "max", "--revcomp", "--out", model.toString(), "--metrics-out", dir.resolve("m.json").toString(), "--quiet");
        assertEquals(0, trained.code(), trained.err());
    }

    /**
     * Text gets defaults of its own (attention, E = 100, word dropout 0.4, LSTM 100, dropout 0.5, Adam 1e-3,
     * patience 15) wherever the command line is silent; what it gives wins; DNA keeps the shared defaults.
     */
    @Test
    @SuppressWarnings("unchecked")
    void textHasDefaultsOfItsOwnAndGivenOptionsWin() throws Exception {
        StringBuilder lines = new StringBuilder();
        String[] questions = {"how many legs does a spider have ?", "who wrote the iliad ?", "how many moons has mars ?", "who painted guernica ?"};
        for (int i = 0; i < 40; i++) lines.append(i % 2 == 0 ? "NUM " : "HUM ").append(questions[i % 4]).append('\n');
        Path text = dir.resolve("questions.txt");
        Files.writeString(text, lines.toString());
        Path defaults = dir.resolve("text-defaults.json"), given = dir.resolve("text-given.json");
        ForecastCommandsTest.Result r = run("train", "classify", "--text-lines", text.toString(), "--label-regex", "^(\\S+) ", "--epochs", "1",
                "--metrics-out", defaults.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = (Map<String, Object>) Json.parseObject(Files.readString(defaults)).get("settings");
        assertEquals("attention", s.get("pooling"), s.toString());
        assertEquals(100L, s.get("embedding_size"));
        assertEquals(0.4, ((Number) s.get("word_dropout")).doubleValue());
        assertEquals(100L, s.get("hidden"));
        assertEquals(0.5, ((Number) s.get("dropout")).doubleValue());
        assertEquals(0.001, ((Number) s.get("learning_rate")).doubleValue());
        assertEquals(15L, s.get("patience"));
        assertEquals(0.05, ((Number) s.get("validation_fraction")).doubleValue());
        assertEquals(1L, s.get("epochs"), "a given option over the text defaults");

        r = run("train", "classify", "--text-lines", text.toString(), "--label-regex", "^(\\S+) ", "--epochs", "1", "--hidden", "8",
                "--pooling", "max", "--word-dropout", "0", "--dropout", "0.1", "--metrics-out", given.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        s = (Map<String, Object>) Json.parseObject(Files.readString(given)).get("settings");
        assertEquals("max", s.get("pooling"));
        assertEquals(0.0, ((Number) s.get("word_dropout")).doubleValue());
        assertEquals(8L, s.get("hidden"));
        assertEquals(0.1, ((Number) s.get("dropout")).doubleValue());
        assertEquals(100L, s.get("embedding_size"), "not given: text's default");

        Map<String, Object> dna = (Map<String, Object>) Json.parseObject(Files.readString(dir.resolve("m.json"))).get("settings");
        assertEquals(64L, dna.get("embedding_size"), "DNA keeps the shared defaults: " + dna);
        assertEquals(0.0, ((Number) dna.get("word_dropout")).doubleValue());
        assertEquals(3e-3, ((Number) dna.get("learning_rate")).doubleValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainLearnsTheMotifAndWritesTheKeysTheChecksRead() throws Exception {
        Map<String, Object> m = Json.parseObject(Files.readString(dir.resolve("m.json")));
        Map<String, Object> test = (Map<String, Object>) m.get("test");
        for (String key : List.of("accuracy", "balanced_accuracy", "macro_f1", "mcc", "roc_auc", "per_class", "confusion")) {
            assertTrue(test.containsKey(key), key + " in " + test);
        }
        assertTrue((Double) test.get("accuracy") >= 0.8, "a planted motif is learnable: " + test);
        Map<String, Object> perClass = (Map<String, Object>) test.get("per_class");
        assertEquals(List.of("other", "promoter"), List.copyOf(perClass.keySet()));
        assertEquals(12L, ((Map<String, Object>) perClass.get("promoter")).get("support"), "a stratified 20% of 60");
        assertTrue(m.get("seconds") instanceof Double);
        assertTrue(trained.out().startsWith("test (24 records): accuracy "), trained.out());
        ClassifierModel loaded = ClassifierModel.load(model);
        assertEquals(List.of("other", "promoter"), loaded.classes());
        assertTrue(loaded.encoding().toJson().get("reverse_complement").equals(true), "the bundle keeps --revcomp");
    }

    @Test
    void evaluateAndPredictReadTheSameFilesThroughTheBundle() throws Exception {
        ForecastCommandsTest.Result evaluated = run("evaluate", "--model", model.toString(), "--fasta", "promoter=" + promoters,
                "--fasta", "other=" + others);
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().contains("(120 records): accuracy"), evaluated.out());

        Path csv = dir.resolve("p.csv");
        ForecastCommandsTest.Result predicted = run("predict", "--model", model.toString(), "--fasta", "promoter=" + promoters,
                "--fasta", "other=" + others, "--output", csv.toString());
        assertEquals(0, predicted.code(), predicted.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("id,label,predicted,p_other,p_promoter", rows.getFirst());
        assertEquals(121, rows.size());
        String[] first = rows.get(1).split(",");
        assertEquals("p0", first[0]);
        assertEquals(1.0, Double.parseDouble(first[3]) + Double.parseDouble(first[4]), 1e-9, "probabilities sum to 1");
    }

    @Test
    void badInputIsOneLineNamingFileAndLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("bad.rnn4j");
        Path empty = Files.writeString(dir.resolve("empty.fa"), "");
        Path noSequence = Files.writeString(dir.resolve("noseq.fa"), ">a\nACGT\n>b\n>c\nACGG\n");
        Path notABase = Files.writeString(dir.resolve("x.fa"), ">a\nACGT\n>b\nACXT\n");
        String[][] cases = {
            {"--fasta", "a=" + empty, "--fasta", "b=" + others, "empty.fa"},
            {"--fasta", "a=" + noSequence, "--fasta", "b=" + others, "noseq.fa: line 3"},
            {"--fasta", "a=" + notABase, "--fasta", "b=" + others, "x.fa: line 4"},
            {"--fasta", "a=" + promoters, "--fasta", "a=" + others, "--fasta names class 'a' twice"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 4];
            args[0] = "train";
            args[1] = "classify";
            System.arraycopy(c, 0, args, 2, c.length - 1);
            args[c.length + 1] = "--out";
            args[c.length + 2] = out.toString();
            args[c.length + 3] = "--quiet";
            ForecastCommandsTest.Result r = run(args);
            assertEquals(2, r.code(), c[c.length - 1] + ": " + r.err());
            assertTrue(r.err().startsWith("rnn4j: error: "), r.err());
            assertTrue(r.err().contains(c[c.length - 1]), c[c.length - 1] + " in " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertFalse(Files.exists(out));
        }
        Path single = Files.writeString(dir.resolve("one.fa"), fasta("s", 10, false, 3));
        ForecastCommandsTest.Result r = run("train", "classify", "--fasta", single.toString(), "--label-regex", "^(s)", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("a classifier needs at least 2 classes"), r.err());

        Path unseen = Files.writeString(dir.resolve("unseen.fa"), fasta("u", 3, false, 4));
        r = run("train", "classify", "--fasta", "promoter=" + promoters, "--fasta", "other=" + others, "--test", "enhancer=" + unseen,
                "--out", out.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unseen.fa") && r.err().contains("label 'enhancer' was never seen in training"), r.err());
        assertFalse(Files.exists(out));
    }
}
