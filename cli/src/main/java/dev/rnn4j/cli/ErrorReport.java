package dev.rnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

/**
 * How errors reach the user: one line {@code rnn4j: error: <message>} on stderr, never the whole usage text, a stack
 * trace only for an internal error and only with RNN4J_DEBUG=1. Usage errors add picocli's suggestion ("Did you
 * mean: --hidden-size?") and where to read more.
 */
final class ErrorReport {
    static final String PREFIX = "rnn4j: error: ";

    private ErrorReport() {}

    /** picocli's IParameterExceptionHandler: a command line that does not parse, or that a command rejected. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(PREFIX + commandPath(commandLine) + Main.oneLine(message(e)));
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
        }
        err.println("see '" + commandLine.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return Main.BAD_INPUT;
    }

    /** An exception a command threw while it ran: bad input (one line, exit 2), a failed check, or a bug. */
    static int report(Throwable e, PrintWriter err) {
        int code = Main.exitCodeOf(e);
        if (e instanceof Commands.VerificationFailed) {
            err.println(PREFIX + Main.oneLine(e.getMessage()) + "; model not written");
        } else if (code == Main.BAD_INPUT) {
            err.println(PREFIX + Main.oneLine(e.getMessage()));
        } else { // a bug (or out of memory): say so in one line; details only on request
            err.println(PREFIX + "internal error: " + Main.oneLine(String.valueOf(e))
                    + (debug() ? "" : " (set RNN4J_DEBUG=1 for the stack trace)"));
            if (debug()) e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** picocli says "Unmatched argument at index 0: 'fit'" for a mistyped command; say which word it is. */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().getFirst();
            boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
            if (hasSubcommands && !first.startsWith("-")) {
                return "unknown command '" + first + "' (commands: "
                        + String.join(", ", e.getCommandLine().getSubcommands().keySet()) + ")";
            }
        }
        return e.getMessage();
    }

    /** "train adding: " for a subcommand's error, "" for the top command's. */
    private static String commandPath(CommandLine commandLine) {
        String qualified = commandLine.getCommandSpec().qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? "" : qualified.substring(space + 1) + ": ";
    }

    private static boolean debug() {
        String value = System.getenv("RNN4J_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0");
    }
}
