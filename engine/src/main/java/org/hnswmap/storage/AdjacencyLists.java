package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.IntSupplier;

/**
 * Reads and writes neighbour lists ({@link AdjacencyDescriptor}) with a sequence lock, so that a
 * reader in any thread or process copies each list whole.
 *
 * <p>Writer: make {@code version} odd, write count and ids, then store {@code version + 1} with
 * release semantics. Reader: load {@code version} with acquire, copy, load it again; retry when it
 * changed or was odd: {@link #SPIN_LIMIT} times spinning, then yielding the processor until the
 * {@link OddListWait} limit. A writer thread can stay mid-write far longer than the spins (it is
 * preempted, or its store faults a page in), and a copy taken then holds ids not yet written (zero
 * in a fresh slot): an id that is a node of a lower level, which an insert must never link on this
 * level. So in the writer's process, where every list's writer is a live thread, a read never takes
 * a copy made mid-write ({@link OddListWait#liveWriter()}). A reader process may meet a version
 * that stays odd because the writer died mid-write (the next writer open repairs it); it takes the
 * copy as it is after a short wait ({@link OddListWait#reader()}): each id is still range-checked
 * and searches skip levels a node does not have, so the result is valid. Writers of one list must
 * be serialized by the caller. Stateless.
 */
final class AdjacencyLists {

    static final int SPIN_LIMIT = 64;
    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final java.lang.invoke.VarHandle VERSION = FilePreamble.ATOMIC_INT;

    private AdjacencyLists() {}

    /**
     * How long reads wait for a list's writer to finish, and what they do then. Thread-safe: one
     * instance serves every reader of a mapped graph.
     *
     * <p>A reader process waits up to 2 ms, then reads the list as it is (its writer died
     * mid-write, or the file is damaged). Such a list stays odd until the next writer open, and a
     * damaged file may hold many: after the first one this instance stops waiting, so reads only
     * spin, as a search or a verify cannot afford 2 ms a list. {@link #forgetStuckLists()} (a newer
     * commit adopted) makes it wait again. The writer's process waits up to 10 s for its live
     * writer thread and then fails the read: it never reads a list as it is.
     */
    static final class OddListWait {

        private final long limitNanos;
        private final boolean failAfterLimit;
        private volatile boolean stuckListSeen;

        /**
         * @param limitNanos the wait, after the spins, before giving up on a list
         * @param failAfterLimit whether giving up fails the read ({@link #read} returns -1) instead
         *     of taking the copy as it is
         */
        OddListWait(long limitNanos, boolean failAfterLimit) {
            this.limitNanos = limitNanos;
            this.failAfterLimit = failAfterLimit;
        }

        /** For the writer's process: up to 10 s, then the read fails. */
        static OddListWait liveWriter() {
            return new OddListWait(10_000_000_000L, true);
        }

        /** For a reader process (or a verify): up to 2 ms, then the list as it is. */
        static OddListWait reader() {
            return new OddListWait(2_000_000L, false);
        }

        long limitNanos() {
            return limitNanos;
        }

        /** Whether a read gave up on a list that stayed mid-write, so reads no longer wait. */
        boolean stuckListSeen() {
            return stuckListSeen;
        }

        /** Waits again from now on (the lists a writer left odd were repaired since). */
        void forgetStuckLists() {
            stuckListSeen = false;
        }

        /** Whether a read that found the list mid-write since {@code startNanos} stops waiting. */
        private boolean givesUp(long startNanos) {
            if (!failAfterLimit && stuckListSeen) {
                return true;
            }
            if (System.nanoTime() - startNanos <= limitNanos) {
                return false;
            }
            if (!failAfterLimit) {
                stuckListSeen = true;
            }
            return true;
        }
    }

    /**
     * Copies the list at {@code record} into {@code dest}, keeping only ids in {@code [0, bound)};
     * returns how many, or -1 when the list stayed mid-write past the limit of a failing {@code
     * wait}.
     */
    static int read(
            MemorySegment seg,
            long record,
            int maxDegree,
            int bound,
            int[] dest,
            OddListWait wait) {
        int n = tryRead(seg, record, maxDegree, bound, dest);
        return n >= 0 ? n : readContended(seg, record, maxDegree, bound, dest, wait);
    }

    /** The slow path of {@link #read}, kept out of it: the list was mid-write. */
    private static int readContended(
            MemorySegment seg,
            long record,
            int maxDegree,
            int bound,
            int[] dest,
            OddListWait wait) {
        int n = retry(() -> tryRead(seg, record, maxDegree, bound, dest), wait);
        return n >= 0 || wait.failAfterLimit ? n : copyIds(seg, record, maxDegree, bound, dest);
    }

    /** One attempt under the sequence lock: the count kept, or -1 when the list was mid-write. */
    private static int tryRead(
            MemorySegment seg, long record, int maxDegree, int bound, int[] dest) {
        int before = (int) VERSION.getAcquire(seg, record + VERSION_OFFSET);
        if ((before & 1) != 0) {
            return -1;
        }
        int n = copyIds(seg, record, maxDegree, bound, dest);
        VarHandle.loadLoadFence();
        int after = (int) VERSION.getOpaque(seg, record + VERSION_OFFSET);
        return before == after ? n : -1;
    }

    /**
     * Repeats {@code attempt} (an attempt under the sequence lock: -1 when the list was mid-write)
     * until it succeeds: {@link #SPIN_LIMIT} times spinning, then yielding the processor until
     * {@code wait} gives up, when it returns -1.
     */
    private static int retry(IntSupplier attempt, OddListWait wait) {
        for (int spin = 0; spin < SPIN_LIMIT; spin++) {
            int result = attempt.getAsInt();
            if (result >= 0) {
                return result;
            }
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        while (!wait.givesUp(start)) {
            Thread.yield();
            int result = attempt.getAsInt();
            if (result >= 0) {
                return result;
            }
        }
        return -1;
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
     * read whole under the sequence lock (retried as {@link #read} does). A count out of {@code [0,
     * maxDegree]} is not checked here (it is reported as such). A list whose version stays odd (a
     * writer died mid-write, which the next writer open repairs) is reported only when {@code
     * oddIsDamage}.
     */
    static boolean checksumMismatch(
            MemorySegment seg, long record, int maxDegree, boolean oddIsDamage, OddListWait wait) {
        int verdict = retry(() -> tryChecksum(seg, record, maxDegree), wait);
        if (verdict >= 0) {
            return verdict == 1;
        }
        boolean odd = ((int) VERSION.getOpaque(seg, record + VERSION_OFFSET) & 1) != 0;
        return storedChecksumDiffers(seg, record, maxDegree) && (!odd || oddIsDamage);
    }

    /** One attempt under the sequence lock: 1 mismatch, 0 match, -1 the list was mid-write. */
    private static int tryChecksum(MemorySegment seg, long record, int maxDegree) {
        int before = (int) VERSION.getAcquire(seg, record + VERSION_OFFSET);
        if ((before & 1) != 0) {
            return -1;
        }
        boolean mismatch = storedChecksumDiffers(seg, record, maxDegree);
        VarHandle.loadLoadFence();
        int after = (int) VERSION.getOpaque(seg, record + VERSION_OFFSET);
        return before != after ? -1 : mismatch ? 1 : 0;
    }

    private static boolean storedChecksumDiffers(MemorySegment seg, long record, int maxDegree) {
        int count = seg.get(INT, record + COUNT_OFFSET);
        return count >= 0
                && count <= maxDegree
                && checksum(seg, record, count) != seg.get(INT, record + CRC_OFFSET);
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
