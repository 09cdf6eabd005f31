package org.hnswmap.error;

/** An insert of a label the index already holds. */
public class DuplicateLabelException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public DuplicateLabelException(String message) {
        super(message);
    }

    public DuplicateLabelException(String message, Throwable cause) {
        super(message, cause);
    }
}
