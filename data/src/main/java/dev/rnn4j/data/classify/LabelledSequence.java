package dev.rnn4j.data.classify;

import dev.rnn4j.train.Example;

import java.util.List;
import java.util.Objects;

/**
 * One raw record, encoded: its id (a FASTA header's first word, a file name, a line number), its input views and its
 * label as written in the data (null when unlabelled, for predict).
 *
 * @param id     what identifies the record to the user, e.g. {@code "ATRINS-DONOR-521"} or {@code "0_jackson_0.wav"}
 * @param views  the encoded input, {@code views.get(0)} the record as it is; further views (the reverse complement)
 *               are averaged with it at prediction time. Examples without targets: {@link Example#ofFeatures} [T, F] or
 *               {@link Example#ofTokens} [T]
 * @param label  the class name, or null
 * @param origin where it came from, for messages: {@code "promoters.fa: record 12 (line 57)"}
 */
public record LabelledSequence(String id, List<Example> views, String label, String origin) {
    public LabelledSequence {
        Objects.requireNonNull(id, "id");
        views = List.copyOf(views);
        if (views.isEmpty()) throw new IllegalArgumentException(origin + ": a record needs at least one view");
        Objects.requireNonNull(origin, "origin");
    }

    public static LabelledSequence of(String id, Example input, String label, String origin) {
        return new LabelledSequence(id, List.of(input), label, origin);
    }

    public Example input() {
        return views.getFirst();
    }
}
