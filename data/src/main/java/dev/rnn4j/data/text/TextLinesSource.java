package dev.rnn4j.data.text;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.classify.LabelledData;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.classify.SequenceSource;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One labelled text per line ({@code --text-lines F --label-regex R}): the label is what R captures (its group named
 * {@code label}, else its first group, else the whole match), the text is the rest of the line. TREC's
 * {@code DESC:manner How did serfdom develop ?} with {@code ^([A-Z]+):\S+} gives label DESC (coarse) and the question.
 * Blank lines are skipped; a line R does not match is an error naming it.
 *
 * @param file       the lines
 * @param labelRegex found anywhere in the line ({@code ^} to anchor it)
 * @param charset    TREC needs ISO-8859-1
 * @param settings   how to fit the encoding when none is given
 */
public record TextLinesSource(Path file, Pattern labelRegex, Charset charset, TextEncoding.Settings settings) implements SequenceSource {
    public TextLinesSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(labelRegex, "labelRegex");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public LabelledData read(SequenceEncoding fitted) {
        TextFile text = TextFile.read(file, charset);
        List<String> lines = text.lines();
        boolean named = labelRegex.pattern().contains("(?<label>");
        List<TextRecords.Raw> raw = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            Matcher m = labelRegex.matcher(line);
            if (!m.find()) {
                throw new DataFileException(text.source(), i + 1, null, "no label: the line does not match --label-regex '" + labelRegex.pattern()
                        + "'");
            }
            String label = named ? m.group("label") : m.groupCount() >= 1 ? m.group(1) : m.group();
            if (label == null || label.isEmpty()) {
                throw new DataFileException(text.source(), i + 1, null, "--label-regex '" + labelRegex.pattern() + "' captured an empty label");
            }
            String rest = (line.substring(0, m.start()) + " " + line.substring(m.end())).strip();
            raw.add(new TextRecords.Raw("line " + (i + 1), rest, label, text.source() + ": line " + (i + 1)));
        }
        return TextRecords.encode(raw, fitted, settings, text.source());
    }
}
