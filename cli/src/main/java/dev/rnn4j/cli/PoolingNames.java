package dev.rnn4j.cli;

import dev.rnn4j.model.Head;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** --pooling last|mean|max|attention, as the command line names the pooled heads. */
final class PoolingNames implements Iterable<String>, ITypeConverter<Head> {
    private static final List<String> NAMES = List.of("last", "mean", "max", "attention");

    @Override
    public Iterator<String> iterator() {
        return NAMES.iterator();
    }

    @Override
    public Head convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "last" -> Head.LAST_STEP;
            case "mean" -> Head.MEAN;
            case "max" -> Head.MAX;
            case "attention" -> Head.ATTENTION;
            default -> throw new TypeConversionException("expected one of " + NAMES + " but was '" + value + "'");
        };
    }

    static String name(Head head) {
        return head == Head.LAST_STEP ? "last" : head.name().toLowerCase(Locale.ROOT);
    }
}
