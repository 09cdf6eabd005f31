package org.hnswmap.storage;

/**
 * The marks journal {@code marks.jrn} (storage-format.md, "Marks journal"): the deleted/retired
 * flags a commit is about to change, old and new, written and synced before the flags are touched,
 * so that writer open can finish or undo them after a crash.
 *
 * <pre>
 *  +---------------------------------------------------------------+  0
 *  |                         magic (u64)                           |
 *  +---------------------------------------------------------------+  8
 *  |                       generation (i64)                        |
 *  +-------------------------------+-------------------------------+ 16
 *  |        entryCount (u32)       |          crc32c (u32)         |
 *  +-------------------------------+-------------------------------+ 24
 *  |  entries: node (u32), oldFlags (u32), newFlags (u32) ...      |
 * </pre>
 */
public final class MarksJournalDescriptor {

    /** "HNSWJRNL" read as a little-endian u64. */
    public static final long MAGIC = 0x4c4e52574a534e48L;

    public static final int MAGIC_OFFSET = 0;
    public static final int GENERATION_OFFSET = 8;
    public static final int ENTRY_COUNT_OFFSET = 16;
    public static final int CRC_OFFSET = 20;
    public static final int ENTRIES_OFFSET = 24;

    public static final int ENTRY_NODE_OFFSET = 0;
    public static final int ENTRY_OLD_FLAGS_OFFSET = 4;
    public static final int ENTRY_NEW_FLAGS_OFFSET = 8;
    public static final int ENTRY_BYTES = 12;

    private MarksJournalDescriptor() {}
}
