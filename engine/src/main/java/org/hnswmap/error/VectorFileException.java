package org.hnswmap.error;

/**
 * A file of vectors, labels or ground truth (.npy, .fvecs, .bvecs, .ivecs, IDX, text labels) that
 * cannot be read or written, or whose content is not what its type promises. The message names the
 * file and what is wrong with it.
 */
public class VectorFileException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public VectorFileException(String message) {
        super(message);
    }

    public VectorFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
