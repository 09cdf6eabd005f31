package org.hnswmap.error;

/** An insert beyond the index's capacity ({@code maxElements}). */
public class IndexFullException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public IndexFullException(String message) {
        super(message);
    }

    public IndexFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
