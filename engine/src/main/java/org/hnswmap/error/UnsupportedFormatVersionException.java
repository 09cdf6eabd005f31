package org.hnswmap.error;

/** An index written by a newer, incompatible version of hnswmap (a higher major format version). */
public class UnsupportedFormatVersionException extends CorruptIndexException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatVersionException(String message) {
        super(message);
    }

    public UnsupportedFormatVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
