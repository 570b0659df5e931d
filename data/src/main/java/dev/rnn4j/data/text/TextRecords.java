package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.LabelledSequence;
import dev.rnn4j.data.classify.SequenceEncoding;

import java.util.ArrayList;
import java.util.List;

/** What the text sources share: raw labelled texts, encoded with a given encoding or one fitted on them. */
final class TextRecords {
    private TextRecords() {}

    /** One record as read: what identifies it, its text, its label and where it came from. */
    record Raw(String id, String text, String label, String origin) {}

    static LabelledData encode(List<Raw> raw, SequenceEncoding fitted, TextEncoding.Settings settings, String source) {
        if (raw.isEmpty()) throw DataFileException.ofFile(source, "no records");
        TextEncoding encoding;
        if (fitted == null) {
            encoding = TextEncoding.fit(raw.stream().map(Raw::text).toList(), settings);
        } else if (fitted instanceof TextEncoding e) {
            encoding = e;
        } else {
            throw new IllegalArgumentException("the model encodes " + fitted.domain() + ", not text; " + source + " holds text");
        }
        List<LabelledSequence> records = new ArrayList<>(raw.size());
        for (Raw r : raw) records.add(LabelledSequence.of(r.id(), encoding.example(r.text()), r.label(), r.origin()));
        return new LabelledData(records, encoding, null, source);
    }
}
