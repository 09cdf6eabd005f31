package org.hnswmap.error;

/**
 * A parameter out of its range: {@code ef < k}, {@code k < 1}, {@code M < 2}, a thread count below
 * 1, and so on.
 */
public class IllegalParameterException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public IllegalParameterException(String message) {
        super(message);
    }

    public IllegalParameterException(String message, Throwable cause) {
        super(message, cause);
    }
}
