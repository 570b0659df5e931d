package dev.rnn4j.data.report;

import dev.rnn4j.data.text.LanguageModel;
import dev.rnn4j.data.text.Sampling;
import dev.rnn4j.data.text.TextFile;
import dev.rnn4j.data.text.TextGenerator;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.tensor.Matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The language-model view: text generated at a few temperatures, and a validation passage with each token coloured
 * by the loss the model took predicting it. Recorded in the log as one line:
 * <pre>{@code
 * {"event":"language_model","source":"valid.txt","samples":[{"temperature":0.5,"text":"..."},...],
 *  "passage":[{"token":"T","loss":null},{"token":"h","loss":1.73},...]}
 * }</pre>
 */
public final class LanguageModelView {
    static final String EVENT = "language_model";
    public static final List<Double> TEMPERATURES = List.of(0.5, 0.8, 1.0, 1.2);
    /** Tokens generated per sample and read from the passage. */
    public static final int SAMPLE_TOKENS = 300, PASSAGE_TOKENS = 400;

    private LanguageModelView() {}

    /** The view's log line: samples seeded by {@code seed}, and the start of {@code passage} scored token by token. */
    public static Map<String, Object> record(LanguageModel model, TextFile passage, long seed) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", EVENT);
        line.put("source", passage.source());
        List<Object> samples = new ArrayList<>();
        for (double temperature : TEMPERATURES) {
            TextGenerator generator = model.generator(new Sampling(temperature, 0, 1.0), seed);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < SAMPLE_TOKENS; i++) text.append(generator.text(generator.next()));
            samples.add(Map.of("temperature", temperature, "text", text.toString()));
        }
        line.put("samples", samples);
        int[] ids = model.encode(passage);
        ids = Arrays.copyOf(ids, Math.min(ids.length, PASSAGE_TOKENS));
        TextGenerator pieces = model.generator(Sampling.plain(), 0);
        List<Object> tokens = new ArrayList<>();
        if (ids.length > 0) {
            Matrix logits = model.network().forward(ModelInput.tokens(ids, ids.length, 1)); // [T, V]
            for (int t = 0; t < ids.length; t++) {
                Map<String, Object> token = new LinkedHashMap<>();
                token.put("token", pieces.text(ids[t]));
                token.put("loss", t == 0 ? null : crossEntropy(logits, t - 1, ids[t]));
                tokens.add(token);
            }
        }
        line.put("passage", tokens);
        return line;
    }

    /** Tokens of the validation text inspected with {@code --inspect-example}. */
    public static final int EXAMPLE_TOKENS = 120;

    /**
     * The states and gates over {@value #EXAMPLE_TOKENS} tokens of {@code text} from token {@code from} on, the tokens
     * drawn above them ({@link InspectionView#exampleRecord}).
     *
     * @throws IllegalArgumentException when the text has no token at {@code from}
     */
    public static Map<String, Object> exampleRecord(LanguageModel model, TextFile text, int from) {
        int[] ids = model.encode(text);
        if (from < 0 || from >= ids.length) {
            throw new IllegalArgumentException("the example starts at token " + from + " but " + text.source() + " has " + ids.length);
        }
        int[] part = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + EXAMPLE_TOKENS));
        TextGenerator pieces = model.generator(Sampling.plain(), 0);
        List<String> tokens = new ArrayList<>();
        for (int id : part) tokens.add(pieces.text(id));
        return InspectionView.exampleRecord(model.network(), ModelInput.tokens(part, part.length, 1), from, null, tokens);
    }

    /** -log softmax(logits[row])[target], in nats. */
    private static double crossEntropy(Matrix logits, int row, int target) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int c = 0; c < logits.cols(); c++) max = Math.max(max, logits.get(row, c));
        for (int c = 0; c < logits.cols(); c++) sum += Math.exp(logits.get(row, c) - max);
        return Math.log(sum) + max - logits.get(row, target);
    }

    @SuppressWarnings("unchecked")
    static void addTo(ReportPage page, Map<String, Object> line) {
        page.heading("Language model");
        page.subheading("Generated text");
        page.note("Sampled token by token from the start of a line; a low temperature picks the likely tokens, a high one takes risks.");
        for (Object o : (List<?>) line.get("samples")) {
            Map<String, Object> s = (Map<String, Object>) o;
            page.html("<p><b>temperature " + s.get("temperature") + "</b></p><pre class=\"sample\">"
                    + ReportPage.escape(String.valueOf(s.get("text"))) + "</pre>");
        }
        List<Map<String, Object>> passage = (List<Map<String, Object>>) line.get("passage");
        double high = 0;
        for (Map<String, Object> t : passage) if (t.get("loss") instanceof Number n) high = Math.max(high, n.doubleValue());
        page.subheading("Loss over a validation passage");
        page.note("Each token of the start of " + line.get("source") + ", coloured by the loss (nats) of predicting it from the ones "
                + "before: dark is expected, bright is a surprise. Hover a token for its loss.");
        StringBuilder html = new StringBuilder("<div class=\"tokens\">");
        for (Map<String, Object> t : passage) {
            String token = String.valueOf(t.get("token"));
            if (t.get("loss") instanceof Number n) {
                double loss = n.doubleValue();
                int rgb = Heatmap.viridis(high > 0 ? loss / high : 0);
                html.append(String.format(Locale.ROOT, "<span style=\"background:#%06x;color:%s\" title=\"%.2f nats\">", rgb,
                        loss / high > 0.6 ? "#000" : "#fff", loss)).append(ReportPage.escape(token)).append("</span>");
            } else {
                html.append("<span>").append(ReportPage.escape(token)).append("</span>");
            }
        }
        html.append("</div><div class=\"legend\"><span>0</span><img alt=\"colour scale\" width=\"240\" height=\"12\" src=\"")
                .append(Heatmap.dataUrl(Heatmap.legendPng(240, 12))).append("\"><span>").append(ReportPage.number(high))
                .append(" nats</span></div>");
        page.html(html.toString());
    }
}
