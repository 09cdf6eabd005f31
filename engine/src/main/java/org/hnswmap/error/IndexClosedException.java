package org.hnswmap.error;

/** Use of an index after {@code close()}. */
public class IndexClosedException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public IndexClosedException(String message) {
        super(message);
    }

    public IndexClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
