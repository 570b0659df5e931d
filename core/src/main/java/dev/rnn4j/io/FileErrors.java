package dev.rnn4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns I/O exceptions into the short phrases users see after the file name, and keeps error messages on one line. */
public final class FileErrors {
    private FileErrors() {}

    /**
     * A message with the control characters it quotes from a file (a newline inside a CSV cell or a JSON string, a
     * NUL) written as escapes such as {@code \n}, so that it stays one line however damaged the file is.
     */
    public static String oneLine(String message) {
        if (message == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            String escape = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                    : c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
            if (escape != null && out == null) out = new StringBuilder(message.substring(0, i));
            if (out != null) {
                if (escape != null) out.append(escape);
                else out.append(c);
            }
        }
        return out == null ? message : out.toString();
    }

    /** "file not found", "permission denied", ... without repeating the path the caller already prints. */
    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException ignored -> "no such file or directory";
            case AccessDeniedException ignored -> "permission denied";
            case NotDirectoryException ignored -> "not a directory";
            case FileSystemException fse when fse.getReason() != null -> fse.getReason();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
