package dev.rnn4j.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * An enum's constants as the command line writes them (lower case), for {@code completionCandidates}: picocli
 * accepts either case, and lists these in --help and bash completion.
 */
abstract class LowerCaseNames<E extends Enum<E>> implements Iterable<String> {
    private final Class<E> type;

    LowerCaseNames(Class<E> type) {
        this.type = type;
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).iterator();
    }
}
