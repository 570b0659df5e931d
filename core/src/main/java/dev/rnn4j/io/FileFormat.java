package dev.rnn4j.io;

import java.util.Map;
import java.util.function.Function;

/**
 * One of rnn4j's safetensors formats as its metadata names it ({@code format} and {@code format_version}), with the
 * checks every reader of rnn4j's files makes on their metadata, in one place so their messages agree.
 *
 * @param name            the {@code format} value, e.g. {@code "rnn4j-model"}
 * @param version         the version this code writes and the newest it reads
 * @param kind            what a file of this format holds, for messages: {@code "model"}, {@code "sequence model"}
 * @param stateDictAdvice what follows "this is a PyTorch state dict, not an rnn4j &lt;kind&gt;" (may be empty)
 */
record FileFormat(String name, int version, String kind, String stateDictAdvice) {

    /** A writer whose metadata already names this format and version. */
    SafetensorsWriter writer() {
        return new SafetensorsWriter()
                .metadata("format", name)
                .metadata("format_version", Integer.toString(version));
    }

    /**
     * Throws unless the metadata names this format, in a version from 1 to {@link #version()}.
     *
     * @param source the file, which every message starts with
     */
    void check(String source, Map<String, String> meta) {
        String format = meta.get("format");
        if (format == null) {
            if (meta.containsKey("mode")) {
                throw new ModelFileException(source + ": this is a PyTorch state dict, not an rnn4j " + kind + stateDictAdvice);
            }
            throw new ModelFileException(source + ": not an rnn4j " + kind + " file: metadata 'format' is missing");
        }
        if (!format.equals(name)) {
            throw new ModelFileException(source + ": not an rnn4j " + kind + " file: metadata 'format' is '" + format
                    + "', expected '" + name + "'");
        }
        String text = required(source, meta, "format_version");
        int v = integer(source, "format_version", text, Integer::parseInt);
        if (v < 1) throw new ModelFileException(source + ": metadata 'format_version' " + v + " is not a valid version");
        if (v > version) {
            throw new ModelFileException(source + ": " + kind + " format version " + v + " is newer than this rnn4j ("
                    + Provenance.RNN4J_VERSION + "), which reads up to version " + version + "; upgrade rnn4j");
        }
    }

    /** The metadata value under {@code key}; throws "metadata 'key' is missing" if there is none. */
    static String required(String source, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new ModelFileException(source + ": metadata '" + key + "' is missing");
        return v;
    }

    /**
     * The metadata value {@code text} of {@code key} parsed by {@code parse} ({@code Integer::parseInt},
     * {@code Long::parseLong}); throws "metadata 'key' must be an integer, got 'text'" if it does not parse.
     */
    static <N extends Number> N integer(String source, String key, String text, Function<String, N> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new ModelFileException(source + ": metadata '" + key + "' must be an integer, got '" + text + "'");
        }
    }
}
