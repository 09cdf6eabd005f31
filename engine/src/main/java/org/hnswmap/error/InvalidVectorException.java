package org.hnswmap.error;

/** A vector with a NaN or infinite component, or a zero vector where cosine needs a direction. */
public class InvalidVectorException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public InvalidVectorException(String message) {
        super(message);
    }

    public InvalidVectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
