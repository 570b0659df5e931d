package dev.rnn4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one command, {@code --name value} or {@code --name=value}, each at most once, names from the
 * command's list. Typed getters check values and name the option in their messages, so every command parses
 * its options the same way.
 */
final class Arguments {
    private final String command;
    private final Map<String, String> values;

    private Arguments(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * Parses {@code args[from..]} for {@code command}.
     *
     * @param allowed the option names this command takes, in the order its usage lists them
     * @throws UsageException on an unknown, repeated or valueless option or a stray argument
     */
    static Arguments parse(String command, String[] args, int from, List<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new UsageException(command + ": unexpected argument '" + arg + "'");
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                // an option right after another is a forgotten value, not a value that starts with "--"
                value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : null;
            }
            if (!allowed.contains(name)) {
                throw new UsageException(command + ": unknown option '" + name + "' (options: " + String.join(", ", allowed) + ")");
            }
            if (value == null || value.isEmpty()) throw new UsageException(command + ": " + name + " needs a value");
            if (values.containsKey(name)) throw new UsageException(command + ": " + name + " given twice");
            values.put(name, value);
        }
        return new Arguments(command, values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw value, or null when the option is absent. */
    String text(String name) {
        return values.get(name);
    }

    /** A path, or null when absent. */
    Path path(String name) {
        String value = values.get(name);
        if (value == null) return null;
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(command + ": " + name + " is not a valid path: " + e.getReason());
        }
    }

    /** A required path. */
    Path requiredPath(String name) {
        Path value = path(name);
        if (value == null) throw new UsageException(command + ": " + name + " is required");
        return value;
    }

    /** A whole number in [min, max], or {@code fallback} when absent. */
    long integer(String name, long fallback, long min, long max) {
        String value = values.get(name);
        if (value == null) return fallback;
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException(command + ": " + name + " must be in " + min + ".." + max + ", got " + parsed);
        }
        return parsed;
    }

    /** A required whole number in [min, max]. */
    long requiredInteger(String name, long min, long max) {
        if (!has(name)) throw new UsageException(command + ": " + name + " is required");
        return integer(name, 0, min, max);
    }

    /** A finite number in (exclusiveMin, max], or {@code fallback} when absent. */
    double decimal(String name, double fallback, double exclusiveMin, double max) {
        String value = values.get(name);
        if (value == null) return fallback;
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be a number, got '" + value + "'");
        }
        if (!(parsed > exclusiveMin && parsed <= max)) {
            throw new UsageException(command + ": " + name + " must be in (" + exclusiveMin + ", " + max + "], got " + value);
        }
        return parsed;
    }

    /** One of an enum's constants, written in lower case on the command line, or {@code fallback} when absent. */
    <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String value = values.get(name);
        if (value == null) {
            if (fallback == null) throw new UsageException(command + ": " + name + " is required");
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) return constant;
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (!accepted.isEmpty()) accepted.append(", ");
            accepted.append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new UsageException(command + ": " + name + " must be one of " + accepted + ", got '" + value + "'");
    }
}
