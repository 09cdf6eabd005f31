package org.hnswmap.error;

/** A label the index does not hold. */
public class UnknownLabelException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public UnknownLabelException(String message) {
        super(message);
    }

    public UnknownLabelException(String message, Throwable cause) {
        super(message, cause);
    }
}
