package dev.rnn4j.io;

/**
 * A file that cannot be read or written as asked: missing, truncated, corrupt, or holding the wrong tensors.
 * The message is one line meant for users, starting with the file's path and naming the tensor or metadata
 * key at fault, e.g. {@code "model.rnn4j: tensor 'weight_ih_l0' has NaN at index [3, 1]"}.
 */
public class ModelFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(FileErrors.oneLine(message));
    }

    public ModelFileException(String message, Throwable cause) {
        super(FileErrors.oneLine(message), cause);
    }
}
