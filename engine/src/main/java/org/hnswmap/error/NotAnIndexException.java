package org.hnswmap.error;

/** A path that is not an hnswmap index: missing files, or a file of another kind (wrong magic). */
public class NotAnIndexException extends CorruptIndexException {
    private static final long serialVersionUID = 1L;

    public NotAnIndexException(String message) {
        super(message);
    }

    public NotAnIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
