package org.hnswmap.storage;

/**
 * One of the two commit slots of the meta file (storage-format.md, "Commit slots"). A commit writes
 * the slot not holding the newest generation; a reader takes the valid slot (CRC matches) with the
 * highest generation. Offsets below are relative to the slot's start.
 *
 * <pre>
 *  +---------------------------------------------------------------+   0
 *  |                       generation (i64)                        |
 *  +---------------------------------------------------------------+   8
 *  |                        nodeCount (i64)                        |
 *  +---------------------------------------------------------------+  16
 *  |                        capacity (i64)                         |
 *  +---------------------------------------------------------------+  24
 *  |                     upperBytesUsed (i64)                      |
 *  +-------------------------------+-------------------------------+  32
 *  |        entryPoint (i32)       |         maxLevel (i32)        |
 *  +-------------------------------+-------------------------------+  40
 *  |                      deletedCount (i64)                       |
 *  +-------------------------------+-------------------------------+  48
 *  |        defaultEf (u32)        |      labelSlotCount (u32)     |
 *  +-------------------------------+-------------------------------+  56
 *  |                    commitEpochMillis (i64)                    |
 *  +---------------------------------------------------------------+  64
 *  |                      retiredCount (i64)                       |
 *  +---------------------------------------------------------------+  72
 *  |                   reserved (52 bytes) ...                     |
 *  +---------------------------------------------------------------+ 124
 *  |                       slotCrc32c (u32)                        |
 *  +---------------------------------------------------------------+ 128
 * </pre>
 */
public final class CommitSlotDescriptor {

    public static final int SLOT_LENGTH = 128;
    public static final int SLOT0_OFFSET = MetaHeaderDescriptor.HEADER_LENGTH;
    public static final int SLOT1_OFFSET = SLOT0_OFFSET + SLOT_LENGTH;
    public static final int META_FILE_LENGTH = SLOT1_OFFSET + SLOT_LENGTH;

    public static final int GENERATION_OFFSET;
    public static final int NODE_COUNT_OFFSET;
    public static final int CAPACITY_OFFSET;
    public static final int UPPER_BYTES_USED_OFFSET;
    public static final int ENTRY_POINT_OFFSET;
    public static final int MAX_LEVEL_OFFSET;
    public static final int DELETED_COUNT_OFFSET;
    public static final int DEFAULT_EF_OFFSET;
    public static final int LABEL_SLOT_COUNT_OFFSET;
    public static final int COMMIT_EPOCH_MILLIS_OFFSET;
    public static final int RETIRED_COUNT_OFFSET;
    public static final int SLOT_CRC_OFFSET;

    static {
        int offset = 0;
        GENERATION_OFFSET = offset;
        offset += Long.BYTES;
        NODE_COUNT_OFFSET = offset;
        offset += Long.BYTES;
        CAPACITY_OFFSET = offset;
        offset += Long.BYTES;
        UPPER_BYTES_USED_OFFSET = offset;
        offset += Long.BYTES;
        ENTRY_POINT_OFFSET = offset;
        offset += Integer.BYTES;
        MAX_LEVEL_OFFSET = offset;
        offset += Integer.BYTES;
        DELETED_COUNT_OFFSET = offset;
        offset += Long.BYTES;
        DEFAULT_EF_OFFSET = offset;
        offset += Integer.BYTES;
        LABEL_SLOT_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        COMMIT_EPOCH_MILLIS_OFFSET = offset;
        offset += Long.BYTES;
        RETIRED_COUNT_OFFSET = offset;
        offset += Long.BYTES;
        offset += 52; // reserved, zero
        SLOT_CRC_OFFSET = offset;
    }

    private CommitSlotDescriptor() {}

    /** Start of slot {@code index} (0 or 1) in the meta file. */
    public static long slotOffset(int index) {
        return index == 0 ? SLOT0_OFFSET : SLOT1_OFFSET;
    }
}
