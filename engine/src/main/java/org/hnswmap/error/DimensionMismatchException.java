package org.hnswmap.error;

/** A vector or query whose length is not the index's dimension. */
public class DimensionMismatchException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public DimensionMismatchException(String message) {
        super(message);
    }

    public DimensionMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
