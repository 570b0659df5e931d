package dev.rnn4j.cli;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.io.FileErrors;
import dev.rnn4j.io.ModelFileException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code rnn4j} command line. Run it through the {@code ./rnn4j} launcher, which finds JDK 25 and builds the
 * jar; {@code ./rnn4j --help} lists the commands, {@code ./rnn4j <command> --help} their options.
 *
 * <p>Exit codes: 0 success; 2 bad usage or a bad input file (one line on stderr, {@code rnn4j: error: ...},
 * naming the option, or the file and tensor); 1 a failed --verify or an internal error (stack trace with
 * RNN4J_DEBUG=1); 130 after Ctrl-C. Outputs are written atomically, so a failed run leaves no file behind.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    /** 128 + SIGINT, as shells report a process ended by Ctrl-C. */
    static final int INTERRUPTED = 130;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. Tests call this in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        try {
            return commandLine(outWriter, errWriter).execute(args);
        } catch (Throwable e) { // an Error from a command (picocli passes those through): out of memory, say
            return ErrorReport.report(e, errWriter);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The command tree with rnn4j's conventions: lower- or upper-case enum values, one-line errors, exit codes. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new RootCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.registerConverter(Path.class, Main::path);
        commandLine.setParameterExceptionHandler(ErrorReport::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> ErrorReport.report(e, cl.getErr()));
        // set last: setOut and setErr reach the subcommands that exist when they are called
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }

    /**
     * The exit code for an exception a command threw. Bad input is 2: add here any exception type that means "the
     * user's file or option is wrong" (a data-file exception, say), so that it gets one line and no stack trace.
     */
    static int exitCodeOf(Throwable e) {
        if (e instanceof UsageException || e instanceof ModelFileException || e instanceof DataFileException) return BAD_INPUT;
        if (e instanceof CommandLine.ParameterException) return BAD_INPUT;
        return FAILED; // Commands.VerificationFailed, and every bug
    }

    /** Paths as options: an empty value is a forgotten one, not the current directory. */
    private static Path path(String value) {
        if (value.isBlank()) throw new CommandLine.TypeConversionException("needs a value");
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("not a valid path: " + e.getReason());
        }
    }

    /** Messages quote tensor names and metadata from files, which may contain newlines; keep them on one line. */
    static String oneLine(String message) {
        return message == null ? "" : FileErrors.oneLine(message);
    }
}
