package org.hnswmap.storage;

/**
 * The 64-byte preamble at the start of every index file (storage-format.md, "File preamble").
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          magic (u64)                          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        fileKind (u32)                         |
 *  +-------------------------------+-------------------------------+
 *  |       formatMajor (u16)       |       formatMinor (u16)       |
 *  +-------------------------------+-------------------------------+
 *  |                    indexId (16 bytes) ...                     |
 *  +---------------------------------------------------------------+
 *  |                      headerLength (u32)                       |
 *  +---------------------------------------------------------------+
 *  |                      recordStride (u32)                       |
 *  +---------------------------------------------------------------+
 *  |                      reserved (20 bytes) ...                  |
 *  +---------------------------------------------------------------+
 *  |                     preambleCrc32c (u32)                      |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class FileHeaderDescriptor {

    /** "HNSWMAP" followed by 0x1A, read as a little-endian u64. */
    public static final long MAGIC = 0x1A50414D57534E48L;

    public static final int FORMAT_MAJOR = 2;
    public static final int FORMAT_MINOR = 0;

    public static final int KIND_META = 1;
    public static final int KIND_VECTORS = 2;
    public static final int KIND_LEVEL0 = 3;
    public static final int KIND_UPPER = 4;
    public static final int KIND_NODES = 5;
    public static final int KIND_LABELS = 6;
    public static final int KIND_QUANTIZED = 7;
    public static final int KIND_BINARY = 8;
    public static final int KIND_INT4 = 9;
    public static final int KIND_LEVEL0_ALT = 10;

    public static final int MAGIC_OFFSET;
    public static final int FILE_KIND_OFFSET;
    public static final int FORMAT_MAJOR_OFFSET;
    public static final int FORMAT_MINOR_OFFSET;
    public static final int INDEX_ID_OFFSET;
    public static final int INDEX_ID_LENGTH = 16;
    public static final int HEADER_LENGTH_OFFSET;
    public static final int RECORD_STRIDE_OFFSET;
    public static final int PREAMBLE_CRC_OFFSET;
    public static final int PREAMBLE_LENGTH;

    static {
        int offset = 0;
        MAGIC_OFFSET = offset;
        offset += Long.BYTES;
        FILE_KIND_OFFSET = offset;
        offset += Integer.BYTES;
        FORMAT_MAJOR_OFFSET = offset;
        offset += Short.BYTES;
        FORMAT_MINOR_OFFSET = offset;
        offset += Short.BYTES;
        INDEX_ID_OFFSET = offset;
        offset += INDEX_ID_LENGTH;
        HEADER_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        RECORD_STRIDE_OFFSET = offset;
        offset += Integer.BYTES;
        offset += 20; // reserved, zero
        PREAMBLE_CRC_OFFSET = offset;
        offset += Integer.BYTES;
        PREAMBLE_LENGTH = offset;
    }

    private FileHeaderDescriptor() {}

    /** Name of a file kind, for messages. */
    public static String kindName(int kind) {
        return switch (kind) {
            case KIND_META -> "meta";
            case KIND_VECTORS -> "vectors";
            case KIND_LEVEL0 -> "level-0 adjacency";
            case KIND_UPPER -> "upper-level adjacency";
            case KIND_NODES -> "node records";
            case KIND_LABELS -> "label table";
            case KIND_QUANTIZED -> "int8 traversal vectors";
            case KIND_BINARY -> "one-bit traversal vectors";
            case KIND_INT4 -> "4-bit traversal vectors";
            case KIND_LEVEL0_ALT -> "level-0 second list copies";
            default -> "unknown kind " + kind;
        };
    }
}
