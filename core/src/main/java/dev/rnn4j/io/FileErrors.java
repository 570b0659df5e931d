package dev.rnn4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns I/O exceptions into the short phrases users see after the file name. */
final class FileErrors {
    private FileErrors() {}

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
