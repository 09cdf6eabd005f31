package org.hnswmap.storage;

/**
 * The node-records file: after the preamble, one 40-byte record per node.
 *
 * <pre>
 *  +---------------------------------------------------------------+  0
 *  |                          label (i64)                          |
 *  +-------------------------------+-------------------------------+  8
 *  |           level (i32)         |           flags (u32)         |
 *  +-------------------------------+-------------------------------+ 16
 *  |                       upperOffset (i64)                       |
 *  +---------------------------------------------------------------+ 24
 *  |                     bornGeneration (i64)                      |
 *  +-------------------------------+-------------------------------+ 32
 *  |         crc32c (u32)          |         reserved (u32)        |
 *  +-------------------------------+-------------------------------+ 40
 * </pre>
 *
 * <p>{@code upperOffset} is the byte offset in the upper-level file of the node's level-1 record (0
 * when {@code level == 0}). Flag bit 0 marks the node deleted in the writer's state, bit 1 as
 * committed; bits 2 and 3 the same for "retired" (its label moved to a new node by an update).
 * {@code bornGeneration} is the commit generation that published the node's current label and
 * vector: a slot reused for a new label (replace-deleted) is invisible to readers of older commits.
 * {@code crc32c} seals what never changes while the node holds its label: CRC32C of the node id
 * (u32), record bytes 0..11 and 16..31 (everything but flags) and the node's vector bytes; see
 * {@link NodeChecksum}.
 */
public final class NodeRecordDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int LABEL_OFFSET;
    public static final int LEVEL_OFFSET;
    public static final int FLAGS_OFFSET;
    public static final int UPPER_OFFSET_OFFSET;
    public static final int BORN_GENERATION_OFFSET;
    public static final int CRC_OFFSET;
    public static final int RECORD_STRIDE;

    public static final int FLAG_DELETED = 1;
    public static final int FLAG_DELETED_COMMITTED = 2;

    /** The node's label moved to another node (an update); the node stays deleted. */
    public static final int FLAG_RETIRED = 4;

    public static final int FLAG_RETIRED_COMMITTED = 8;

    static {
        int offset = 0;
        LABEL_OFFSET = offset;
        offset += Long.BYTES;
        LEVEL_OFFSET = offset;
        offset += Integer.BYTES;
        FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        UPPER_OFFSET_OFFSET = offset;
        offset += Long.BYTES;
        BORN_GENERATION_OFFSET = offset;
        offset += Long.BYTES;
        CRC_OFFSET = offset;
        offset += Integer.BYTES;
        offset += Integer.BYTES; // reserved, zero
        RECORD_STRIDE = offset;
    }

    private NodeRecordDescriptor() {}

    public static long recordOffset(int node) {
        return DATA_OFFSET + (long) node * RECORD_STRIDE;
    }

    public static long fileLength(long capacity) {
        return DATA_OFFSET + capacity * RECORD_STRIDE;
    }
}
