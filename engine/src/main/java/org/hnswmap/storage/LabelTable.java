package org.hnswmap.storage;

import static org.hnswmap.storage.LabelTableDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.error.CorruptIndexException;

/**
 * Label to node lookup over the mapped label table ({@link LabelTableDescriptor}); labels are read
 * from the node records, so a slot is 4 bytes. Readers probe the table as mapped, with no table
 * built at open.
 *
 * <p>Thread-safety: lookups are safe at any time (slots are published with release stores after the
 * node record is written); inserts must be serialized by the caller.
 */
final class LabelTable {

    private static final java.lang.invoke.VarHandle SLOT = FilePreamble.ATOMIC_INT;
    private static final ValueLayout.OfLong LONG = FilePreamble.LONG;

    private LabelTable() {}

    /**
     * The node holding {@code label} among nodes {@code [0, bound)} that {@code accept} admits
     * (null: all), or -1. Several nodes may carry one label (an updated element's old, retired node
     * and its new one); {@code accept} picks the one the caller's state holds.
     *
     * @param nodes the node-records segment
     */
    static int find(
            MemorySegment table,
            int slotCount,
            MemorySegment nodes,
            long label,
            int bound,
            java.util.function.IntPredicate accept) {
        int mask = slotCount - 1;
        int slot = (int) mix64(label) & mask;
        for (int probes = 0; probes < slotCount; probes++) {
            int value = (int) SLOT.getAcquire(table, slotOffset(slot));
            if (value == EMPTY) {
                return -1;
            }
            int node = value - 1;
            if (value != TOMBSTONE
                    && node >= 0
                    && node < bound
                    && labelOf(nodes, node) == label
                    && (accept == null || accept.test(node))) {
                return node;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Adds {@code node} under its label (already in its record). The label must be absent. */
    static void insert(MemorySegment table, int slotCount, MemorySegment nodes, int node) {
        int mask = slotCount - 1;
        int slot = (int) mix64(labelOf(nodes, node)) & mask;
        for (int probes = 0; probes < slotCount; probes++) {
            int value = (int) SLOT.getAcquire(table, slotOffset(slot));
            if (value == EMPTY || value == TOMBSTONE) {
                SLOT.setRelease(table, slotOffset(slot), node + 1);
                return;
            }
            slot = (slot + 1) & mask;
        }
        // The table has twice as many slots as the capacity: a full one is damage.
        throw new CorruptIndexException(
                "label table: no free slot among "
                        + slotCount
                        + " for node "
                        + node
                        + " (every slot holds a node: the table is damaged)");
    }

    /**
     * Turns the slot of {@code node} into a tombstone (the node's label moves elsewhere or the slot
     * is reused). Returns whether a slot held it.
     */
    static boolean remove(MemorySegment table, int slotCount, MemorySegment nodes, int node) {
        int mask = slotCount - 1;
        int slot = (int) mix64(labelOf(nodes, node)) & mask;
        for (int probes = 0; probes < slotCount; probes++) {
            int value = (int) SLOT.getAcquire(table, slotOffset(slot));
            if (value == EMPTY) {
                return false;
            }
            if (value == node + 1) {
                SLOT.setRelease(table, slotOffset(slot), TOMBSTONE);
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    /**
     * Writer open after an unclean stop: turns slots of nodes at or past {@code nodeCount} (inserts
     * that were never committed) into tombstones. Readers skip tombstones, so this is safe while
     * they search. Returns how many slots changed.
     */
    static int dropUncommitted(MemorySegment table, int slotCount, int nodeCount) {
        int dropped = 0;
        for (int slot = 0; slot < slotCount; slot++) {
            int value = (int) SLOT.getAcquire(table, slotOffset(slot));
            if (value != EMPTY && value != TOMBSTONE && (value - 1 >= nodeCount || value < 0)) {
                SLOT.setRelease(table, slotOffset(slot), TOMBSTONE);
                dropped++;
            }
        }
        return dropped;
    }

    static long labelOf(MemorySegment nodes, int node) {
        return nodes.get(
                LONG, NodeRecordDescriptor.recordOffset(node) + NodeRecordDescriptor.LABEL_OFFSET);
    }
}
