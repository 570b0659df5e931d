package dev.rnn4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed command line: the command and its options. The compact constructor checks that the options fit the
 * command, so a constructed Options is always runnable.
 *
 * @param command "import-torch", "infer", "help" or "version"
 * @param weights import-torch: the PyTorch state dict
 * @param out     import-torch: the model file to write (may be absent with --verify: check only)
 * @param verify  import-torch: a golden file with PyTorch's results to compare with, or null
 * @param model   infer: the model file (or a PyTorch state dict)
 * @param input   infer: the input batch
 * @param output  infer: where the results go, or null to only print their shapes
 */
record Options(String command, Path weights, Path out, Path verify, Path model, Path input, Path output) {
    static final String IMPORT_TORCH = "import-torch";
    static final String INFER = "infer";
    static final String HELP = "help";
    static final String VERSION = "version";
    /** Every command, for messages; train and bench parse their own options (TrainCommand, BenchCommand). */
    static final String COMMANDS = String.join(", ", IMPORT_TORCH, INFER, TrainCommand.COMMAND, BenchCommand.NAME, HELP);

    /** Each command's options, in the order usage lists them. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            IMPORT_TORCH, List.of("--weights", "--out", "--verify"),
            INFER, List.of("--model", "--input", "--output"));

    Options {
        switch (command) {
            case IMPORT_TORCH -> {
                require(weights, command, "--weights");
                if (out == null && verify == null) {
                    throw new UsageException(command + ": --out is required (or --verify alone, to only check the import)");
                }
                requireUnset(command, model, input, output);
            }
            case INFER -> {
                require(model, command, "--model");
                require(input, command, "--input");
                requireUnset(command, weights, out, verify);
            }
            case HELP, VERSION -> requireUnset(command, weights, out, verify, model, input, output);
            default -> throw new UsageException("unknown command '" + command + "' (commands: " + COMMANDS + ")");
        }
    }

    private static void require(Path value, String command, String option) {
        if (value == null) throw new UsageException(command + ": " + option + " is required");
    }

    private static void requireUnset(String command, Path... values) {
        for (Path v : values) {
            if (v != null) throw new IllegalStateException(command + " got an option of another command");
        }
    }

    /** Parses {@code rnn4j <command> [--option value | --option=value]...}. */
    static Options parse(String[] args) {
        if (args.length == 0) throw new UsageException("missing command (see rnn4j --help)");
        String first = args[0];
        switch (first) {
            case "help", "--help", "-h" -> {
                if (args.length > 1 && !isHelp(args[1]) && !OPTIONS.containsKey(args[1])) {
                    throw new UsageException("help: unexpected argument '" + args[1] + "'");
                }
                return simple(HELP);
            }
            case "--version", "version" -> {
                if (args.length > 1) throw new UsageException("--version: unexpected argument '" + args[1] + "'");
                return simple(VERSION);
            }
            default -> {
                if (first.startsWith("-")) {
                    throw new UsageException("unknown option '" + first + "'; the command comes first (see rnn4j --help)");
                }
            }
        }
        List<String> allowed = OPTIONS.get(first);
        if (allowed == null) {
            throw new UsageException("unknown command '" + first + "' (commands: " + COMMANDS + ")");
        }
        for (int i = 1; i < args.length; i++) {
            if (isHelp(args[i])) return simple(HELP);
        }
        Arguments values = Arguments.parse(first, args, 1, allowed);
        return switch (first) {
            case IMPORT_TORCH -> new Options(first, values.path("--weights"), values.path("--out"), values.path("--verify"),
                    null, null, null);
            default -> new Options(first, null, null, null, values.path("--model"), values.path("--input"), values.path("--output"));
        };
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static Options simple(String command) {
        return new Options(command, null, null, null, null, null, null);
    }
}
