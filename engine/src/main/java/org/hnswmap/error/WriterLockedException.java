package org.hnswmap.error;

/** A second writer: the index is already open for writing in this or another process. */
public class WriterLockedException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public WriterLockedException(String message) {
        super(message);
    }

    public WriterLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
