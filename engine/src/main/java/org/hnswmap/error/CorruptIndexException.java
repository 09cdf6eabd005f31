package org.hnswmap.error;

/**
 * An index file that fails validation: truncated, wrong checksum, a field out of range, files of
 * different indexes mixed. The message names the file and the field.
 */
public class CorruptIndexException extends HnswmapException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }

    public CorruptIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
