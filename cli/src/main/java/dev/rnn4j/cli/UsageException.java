package dev.rnn4j.cli;

/** A command line the CLI cannot run: unknown command or option, missing value. Exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
