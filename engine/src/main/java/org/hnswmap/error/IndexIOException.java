package org.hnswmap.error;

/** An I/O failure while creating, mapping, growing or syncing index files. */
public class IndexIOException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public IndexIOException(String message) {
        super(message);
    }

    public IndexIOException(String message, Throwable cause) {
        super(message, cause);
    }
}
