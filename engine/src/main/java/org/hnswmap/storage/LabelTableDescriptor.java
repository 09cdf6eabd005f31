package org.hnswmap.storage;

/**
 * The label table: an open-addressing hash table (linear probing) from 64-bit user label to node
 * id, so that a reader finds a label with no table built at open. After the preamble, {@code
 * slotCount} u32 slots ({@code slotCount} a power of two, at least twice the capacity). A slot
 * holds {@link #EMPTY}, {@link #TOMBSTONE} or {@code node + 1}; the label itself is read from the
 * node's record. Slot of a label: {@code mix64(label) & (slotCount - 1)}, then the following slots.
 */
public final class LabelTableDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int SLOT_BYTES = Integer.BYTES;
    public static final int EMPTY = 0;
    public static final int TOMBSTONE = -1;
    public static final int MIN_SLOTS = 16;

    /** Largest capacity: its table of {@code 2^30} slots still has int indexes. */
    public static final long MAX_CAPACITY = 1L << 29;

    private LabelTableDescriptor() {}

    public static int slotCountFor(long capacity) {
        long wanted = Math.max(MIN_SLOTS, capacity * 2);
        return (int) (Long.highestOneBit(wanted - 1) << 1);
    }

    public static long slotOffset(int slot) {
        return DATA_OFFSET + (long) slot * SLOT_BYTES;
    }

    public static long fileLength(int slotCount) {
        return DATA_OFFSET + (long) slotCount * SLOT_BYTES;
    }

    /** The 64-bit finalizer of MurmurHash3: spreads sequential labels over the table. */
    public static long mix64(long label) {
        long h = label;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
