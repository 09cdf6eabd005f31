package org.hnswmap.error;

/**
 * A mapped index file changed underneath an open index: truncated, or replaced in place (for
 * example by {@code cp} over it), or its device failed. The access that met it was abandoned; the
 * index must be closed. Replace index files by renaming new ones into place, which leaves open
 * mappings intact.
 */
public class IndexFileChangedException extends IndexIOException {
    private static final long serialVersionUID = 1L;

    public IndexFileChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
