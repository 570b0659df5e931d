package dev.rnn4j.data.classify;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The order of class names, fixed once at training and stored in the bundle: numeric labels by value (2 before 10),
 * other labels in code-point order, numbers first. Never derived again at prediction time.
 */
public final class ClassNames {
    private ClassNames() {}

    static final Comparator<String> ORDER = (a, b) -> {
        boolean na = a.matches("-?\\d{1,18}"), nb = b.matches("-?\\d{1,18}");
        if (na && nb) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        if (na != nb) return na ? -1 : 1;
        return a.compareTo(b);
    };

    public static List<String> order(Collection<String> labels) {
        TreeSet<String> sorted = new TreeSet<>(ORDER);
        sorted.addAll(labels);
        return List.copyOf(sorted);
    }
}
