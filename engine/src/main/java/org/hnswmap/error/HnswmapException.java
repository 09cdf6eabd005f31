package org.hnswmap.error;

/**
 * Base class of every exception hnswmap throws on purpose. Each subclass names one kind of problem;
 * the message names the value, field or file involved.
 */
public class HnswmapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HnswmapException(String message) {
        super(message);
    }

    public HnswmapException(String message, Throwable cause) {
        super(message, cause);
    }
}
