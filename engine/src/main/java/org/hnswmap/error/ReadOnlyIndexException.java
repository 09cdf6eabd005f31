package org.hnswmap.error;

/** A write (insert, commit, setting a stored default) on an index opened read-only. */
public class ReadOnlyIndexException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyIndexException(String message) {
        super(message);
    }

    public ReadOnlyIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
