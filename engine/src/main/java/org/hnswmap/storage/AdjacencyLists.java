package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads and writes neighbour lists ({@link AdjacencyDescriptor}) with a sequence lock, so that a
 * reader in any thread or process copies each list whole.
 *
 * <p>Writer: make {@code version} odd, write count and ids, then store {@code version + 1} with
 * release semantics. Reader: load {@code version} with acquire, copy, load it again; retry when it
 * changed or was odd. After {@link #SPIN_LIMIT} retries (a writer that died mid-write leaves an odd
 * version) the reader takes the copy as it is: each id is still range-checked, so the result is
 * valid, and the next writer open repairs the version. Writers of one list must be serialized by
 * the caller. Stateless.
 */
final class AdjacencyLists {

    static final int SPIN_LIMIT = 64;
    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final java.lang.invoke.VarHandle VERSION = FilePreamble.ATOMIC_INT;

    private AdjacencyLists() {}

    /**
     * Copies the list at {@code record} into {@code dest}, keeping only ids in {@code [0, bound)};
     * returns how many.
     */
    static int read(MemorySegment seg, long record, int maxDegree, int bound, int[] dest) {
        for (int attempt = 0; ; attempt++) {
            int before = (int) VERSION.getAcquire(seg, record + VERSION_OFFSET);
            if ((before & 1) != 0 && attempt < SPIN_LIMIT) {
                Thread.onSpinWait();
                continue;
            }
            int n = copyIds(seg, record, maxDegree, bound, dest);
            VarHandle.loadLoadFence();
            int after = (int) VERSION.getOpaque(seg, record + VERSION_OFFSET);
            if (before == after || attempt >= SPIN_LIMIT) {
                return n;
            }
        }
    }

    /**
     * One bulk copy of the stored ids into {@code dest}, then a pass that keeps those in {@code [0,
     * bound)} (1.0-1.1x search QPS over reading the ids one by one, bench/RESULTS.md).
     */
    private static int copyIds(
            MemorySegment seg, long record, int maxDegree, int bound, int[] dest) {
        int count = Math.min(Math.max(seg.get(INT, record + COUNT_OFFSET), 0), maxDegree);
        MemorySegment.copy(seg, INT, record + NEIGHBORS_OFFSET, dest, 0, count);
        int n = 0;
        for (int i = 0; i < count; i++) {
            int id = dest[i];
            if (id >= 0 && id < bound) {
                dest[n++] = id;
            }
        }
        return n;
    }

    /** Replaces the list at {@code record} with {@code ids[0..count)}. */
    static void write(MemorySegment seg, long record, int[] ids, int count) {
        int odd = seg.get(INT, record + VERSION_OFFSET) | 1;
        VERSION.setOpaque(seg, record + VERSION_OFFSET, odd);
        VarHandle.storeStoreFence();
        seg.set(INT, record + COUNT_OFFSET, count);
        long base = record + NEIGHBORS_OFFSET;
        for (int i = 0; i < count; i++) {
            seg.set(INT, base + (long) i * Integer.BYTES, ids[i]);
        }
        seg.set(INT, record + CRC_OFFSET, checksum(seg, record, count));
        VERSION.setRelease(seg, record + VERSION_OFFSET, odd + 1);
    }

    /** CRC32C of the list's count and its {@code count} ids, as stored in its crc32c field. */
    private static int checksum(MemorySegment seg, long record, int count) {
        return Checksums.crc32c(seg, record + COUNT_OFFSET, Integer.BYTES * (1L + count));
    }

    /**
     * Whether the stored checksum of the list at {@code record} disagrees with its count and ids,
     * read whole under the sequence lock. A count out of {@code [0, maxDegree]} is not checked here
     * (it is reported as such). A list whose version stays odd (a writer died mid-write, which the
     * next writer open repairs) is reported only when {@code oddIsDamage}.
     */
    static boolean checksumMismatch(
            MemorySegment seg, long record, int maxDegree, boolean oddIsDamage) {
        for (int attempt = 0; ; attempt++) {
            int before = (int) VERSION.getAcquire(seg, record + VERSION_OFFSET);
            if ((before & 1) != 0 && attempt < SPIN_LIMIT) {
                Thread.onSpinWait();
                continue;
            }
            int count = seg.get(INT, record + COUNT_OFFSET);
            boolean mismatch =
                    count >= 0
                            && count <= maxDegree
                            && checksum(seg, record, count) != seg.get(INT, record + CRC_OFFSET);
            VarHandle.loadLoadFence();
            int after = (int) VERSION.getOpaque(seg, record + VERSION_OFFSET);
            if (before == after || attempt >= SPIN_LIMIT) {
                return mismatch && ((after & 1) == 0 || oddIsDamage);
            }
        }
    }

    /**
     * Rewrites the list at {@code record} only if it holds ids at or past {@code bound}, a count
     * out of range or an odd version; returns whether it did.
     */
    static boolean repair(MemorySegment seg, long record, int maxDegree, int bound, int[] scratch) {
        int stored = seg.get(INT, record + COUNT_OFFSET);
        boolean odd = (seg.get(INT, record + VERSION_OFFSET) & 1) != 0;
        int kept = copyIds(seg, record, maxDegree, bound, scratch);
        if (!odd && kept == stored) {
            return false;
        }
        write(seg, record, scratch, kept);
        return true;
    }

    /** Empties the list at {@code record} (a node slot being (re)used). */
    static void clear(MemorySegment seg, long record) {
        write(seg, record, new int[0], 0);
    }
}
