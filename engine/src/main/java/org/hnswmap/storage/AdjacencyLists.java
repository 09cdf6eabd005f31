package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads neighbour lists ({@link AdjacencyDescriptor}): two copies per list, each tagged with the
 * commit generation it belongs to. The protocol both sides follow is described here; the writer's
 * side is {@link AdjacencyListWriter}.
 *
 * <p><b>Writer</b> ({@link AdjacencyListWriter}; its working generation W is the last commit's plus
 * one; writes to one list are serialized by the caller): a copy already tagged W is changed in
 * place; otherwise the older copy is taken over: its generation becomes W (stored before any id, so
 * a reader that copied it sees the change when it checks again), then count, ids and checksum are
 * written. The newest committed copy is therefore never touched before the next commit: a crash, or
 * a close without commit, leaves every list of the last commit bit for bit, and a reader of that
 * commit reads it whatever the writer does. Every change is made inside the record's sequence lock
 * ({@code version} odd), for the writer's own threads, which read the newest copy.
 *
 * <p><b>Reader of commit C</b> ({@link #readCommitted}): takes the copy with the largest generation
 * at most C, copies it, and checks its generation again. It changed only when the writer took the
 * copy over for a newer list, which happens when the list changed in two generations after C (the
 * reader lags at least one commit behind): the reader then reads the other copy, the list of a
 * newer commit, filtered to the nodes of C. No spinning, no waiting.
 *
 * <p><b>Writer's own threads</b> ({@link #read}): the newest copy under the sequence lock, retried
 * {@link #SPIN_LIMIT} times spinning, then yielding until the {@link OddListWait} limit. A writer
 * thread can stay mid-write far longer than the spins (preempted, or faulting a page in), and a
 * copy taken then holds ids not yet written: an id of a node of a lower level, which an insert must
 * never link on this level. So it never takes a copy made mid-write. Stateless.
 */
final class AdjacencyLists {

    static final int SPIN_LIMIT = 64;

    /**
     * Returned by the reads when the copy to read is copy 1 and its {@code level0.alt} is not
     * mapped although the copy belongs to the reader's commit or the writer's newest state: the
     * file is missing (the caller names it in a {@code CorruptIndexException}).
     */
    static final int MISSING_SECOND_COPY = -2;

    /** Attempts of a committed read whose copy was taken over meanwhile, before reading as is. */
    private static final int COMMITTED_ATTEMPTS = 3;

    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final VarHandle VERSION = FilePreamble.ATOMIC_INT;
    private static final VarHandle GENERATION = FilePreamble.ATOMIC_LONG;

    private AdjacencyLists() {}

    /**
     * How long the writer's threads wait for a list being written by another of its threads before
     * failing the read. Thread-safe, immutable.
     */
    record OddListWait(long limitNanos) {

        /** For the writer's process: up to 10 s, then the read fails. */
        static OddListWait liveWriter() {
            return new OddListWait(10_000_000_000L);
        }

        private boolean givesUp(long startNanos) {
            return System.nanoTime() - startNanos > limitNanos;
        }
    }

    /**
     * {@link #read} for the writer's threads ({@code wait} not null), else {@link #readCommitted}
     * of commit {@code generation}: what a graph view reads, on any level.
     */
    static int readFor(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            int bound,
            long generation,
            int[] dest,
            OddListWait wait) {
        return wait != null
                ? read(seg, record, seg1, copy1, maxDegree, bound, dest, wait)
                : readCommitted(seg, record, seg1, copy1, maxDegree, bound, generation, dest);
    }

    /**
     * Reader of commit {@code generation}: copies that commit's list at {@code record} into {@code
     * dest}, keeping only ids in {@code [0, bound)}; returns how many. Copy 1 is at {@code copy1}
     * in {@code seg1}: inside the record ({@link #inRecord}) or in {@code level0.alt}; {@code seg1}
     * is null while this reader has not mapped a {@code level0.alt} (it opened before the file
     * existed), and then only a reader lagging behind a list changed in two later commits would
     * choose copy 1: it reads copy 0 instead, also the list of a commit after its own. Otherwise
     * (copy 1 of its commit or an older one, so the file must exist): {@link #MISSING_SECOND_COPY}.
     */
    static int readCommitted(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            int bound,
            long generation,
            int[] dest) {
        int n = 0;
        for (int attempt = 0; attempt < COMMITTED_ATTEMPTS; attempt++) {
            long g0 = (long) GENERATION.getAcquire(seg, record + GENERATION0_OFFSET);
            long g1 = (long) GENERATION.getAcquire(seg, record + GENERATION1_OFFSET);
            int c = readableCopy(choose(g0, g1, generation), g1, generation, seg1);
            if (c < 0) {
                return MISSING_SECOND_COPY;
            }
            n = readCopy(seg, record, seg1, copy1, c, c == 0 ? g0 : g1, maxDegree, bound, dest);
            VarHandle.loadLoadFence();
            long again = (long) GENERATION.getOpaque(seg, record + generationOffset(c));
            if (again == (c == 0 ? g0 : g1)) {
                return n;
            }
        }
        // Taken over three times while copying: the writer committed twice meanwhile. The ids
        // were range-checked, so the copy is still a valid list.
        return n;
    }

    /**
     * The copy a reader of {@code generation} reads: the one with the largest generation at most
     * {@code generation}; when both are newer (a reader lagging behind a list changed in two later
     * generations), the older of the two, the closest to the reader's commit.
     */
    static int choose(long g0, long g1, long generation) {
        boolean in0 = g0 <= generation;
        boolean in1 = g1 <= generation;
        if (in0 && in1) {
            return g1 > g0 ? 1 : 0;
        }
        if (in0 != in1) {
            return in0 ? 0 : 1;
        }
        return g1 < g0 ? 1 : 0;
    }

    /**
     * Copy {@code c}, chosen for a reader of commit {@code generation} ({@code Long.MAX_VALUE}: the
     * writer's newest state), once it is known whether copy 1's file is mapped ({@code seg1} not
     * null): {@code c}; or 0 when copy 1 belongs to a commit after the reader's and {@code seg1} is
     * null (a reader that opened before {@code level0.alt} existed reads copy 0, also a later
     * commit's list, see {@link #readCommitted}); or -1 when copy 1 belongs to that commit or an
     * older one and {@code seg1} is null: the file is missing.
     */
    private static int readableCopy(int c, long g1, long generation, MemorySegment seg1) {
        if (c == 1 && seg1 == null) {
            return g1 <= generation ? -1 : 0;
        }
        return c;
    }

    /** Where copy 1 of the list at {@code record} lies when the record holds both copies. */
    static long inRecord(long record, int maxDegree) {
        return record + copyOffset(1, maxDegree);
    }

    /**
     * Copies copy {@code c} (tagged {@code g}) into {@code dest}: none when it holds no list
     * ({@link AdjacencyDescriptor#NO_GENERATION}), whose bytes may never have been written.
     */
    private static int readCopy(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int c,
            long g,
            int maxDegree,
            int bound,
            int[] dest) {
        if (g == NO_GENERATION) {
            return 0;
        }
        return c == 0
                ? copyIds(seg, record + COPIES_OFFSET, maxDegree, bound, dest)
                : copyIds(seg1, copy1, maxDegree, bound, dest);
    }

    /**
     * Writer's process: copies the newest copy of the list at {@code record} (copy 1 at {@code
     * copy1} in {@code seg1}) into {@code dest}, keeping only ids in {@code [0, bound)}; returns
     * how many, -1 when the list stayed mid-write past the limit of {@code wait}, or {@link
     * #MISSING_SECOND_COPY}.
     */
    static int read(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            int bound,
            int[] dest,
            OddListWait wait) {
        int n = tryRead(seg, record, seg1, copy1, maxDegree, bound, dest);
        return n >= 0 || n == MISSING_SECOND_COPY
                ? n
                : readContended(seg, record, seg1, copy1, maxDegree, bound, dest, wait);
    }

    /** The slow path of {@link #read}, kept out of it: the list was mid-write. */
    private static int readContended(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            int bound,
            int[] dest,
            OddListWait wait) {
        for (int spin = 0; spin < SPIN_LIMIT; spin++) {
            int n = tryRead(seg, record, seg1, copy1, maxDegree, bound, dest);
            if (n >= 0 || n == MISSING_SECOND_COPY) {
                return n;
            }
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        while (!wait.givesUp(start)) {
            Thread.yield();
            int n = tryRead(seg, record, seg1, copy1, maxDegree, bound, dest);
            if (n >= 0 || n == MISSING_SECOND_COPY) {
                return n;
            }
        }
        return -1;
    }

    /**
     * One attempt under the sequence lock: the count kept, -1 when the list was mid-write, or
     * {@link #MISSING_SECOND_COPY}.
     */
    private static int tryRead(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            int bound,
            int[] dest) {
        int before = (int) VERSION.getAcquire(seg, record + VERSION_OFFSET);
        if ((before & 1) != 0) {
            return -1;
        }
        long g0 = (long) GENERATION.getOpaque(seg, record + GENERATION0_OFFSET);
        long g1 = (long) GENERATION.getOpaque(seg, record + GENERATION1_OFFSET);
        int c = readableCopy(g1 > g0 ? 1 : 0, g1, Long.MAX_VALUE, seg1);
        if (c < 0) {
            return MISSING_SECOND_COPY;
        }
        int n = readCopy(seg, record, seg1, copy1, c, c == 0 ? g0 : g1, maxDegree, bound, dest);
        VarHandle.loadLoadFence();
        int after = (int) VERSION.getOpaque(seg, record + VERSION_OFFSET);
        return before == after ? n : -1;
    }

    /**
     * One bulk copy of the stored ids of the copy at {@code copy} into {@code dest}, then a pass
     * that keeps those in {@code [0, bound)}: no slower than reading the ids one by one
     * (bench/RESULTS.md).
     */
    private static int copyIds(MemorySegment seg, long copy, int maxDegree, int bound, int[] dest) {
        int count = Math.min(Math.max(seg.get(INT, copy + COPY_COUNT_OFFSET), 0), maxDegree);
        // One pass that reads and range-checks: a bulk copy first costs more than the ids it
        // moves for lists this short (bench/RESULTS.md, 2026-12-04).
        long at = copy + COPY_NEIGHBORS_OFFSET;
        int n = 0;
        for (int i = 0; i < count; i++, at += Integer.BYTES) {
            int id = seg.get(INT, at);
            if (id >= 0 && id < bound) {
                dest[n++] = id;
            }
        }
        return n;
    }

    /**
     * One copy as stored, read whole for {@code verify}: the copy a reader of {@code generation}
     * reads, or with {@code newest} the writer's newest copy (inserts are paused then).
     *
     * @param count the stored count, possibly out of range (then {@code ids} is empty)
     * @param odd whether the sequence lock was odd (a write was interrupted)
     */
    record StoredCopy(long generation, int count, int crc, int[] ids, boolean odd) {

        boolean checksumMatches() {
            return AdjacencyListWriter.checksum(ids, ids.length, generation) == crc;
        }
    }

    /**
     * The copy as stored (copy 1 at {@code copy1} in {@code seg1}) that {@link #readCommitted} (or,
     * {@code newest}, {@link #read}) reads, or null when that is copy 1 and {@code seg1} is null
     * although the copy's commit needs the file: its {@code level0.alt} does not exist.
     */
    static StoredCopy stored(
            MemorySegment seg,
            long record,
            MemorySegment seg1,
            long copy1,
            int maxDegree,
            long generation,
            boolean newest) {
        StoredCopy copy = null;
        for (int attempt = 0; attempt < COMMITTED_ATTEMPTS; attempt++) {
            long g0 = (long) GENERATION.getAcquire(seg, record + GENERATION0_OFFSET);
            long g1 = (long) GENERATION.getAcquire(seg, record + GENERATION1_OFFSET);
            int c =
                    readableCopy(
                            newest ? (g1 > g0 ? 1 : 0) : choose(g0, g1, generation),
                            g1,
                            newest ? Long.MAX_VALUE : generation,
                            seg1);
            if (c < 0) {
                return null;
            }
            long g = c == 0 ? g0 : g1;
            MemorySegment in = c == 0 ? seg : seg1;
            long at = c == 0 ? record + COPIES_OFFSET : copy1;
            int count = in.get(INT, at + COPY_COUNT_OFFSET);
            int[] ids = new int[count >= 0 && count <= maxDegree ? count : 0];
            MemorySegment.copy(in, INT, at + COPY_NEIGHBORS_OFFSET, ids, 0, ids.length);
            int crc = in.get(INT, at + COPY_CRC_OFFSET);
            boolean odd = (seg.get(INT, record + VERSION_OFFSET) & 1) != 0;
            copy = new StoredCopy(g, count, crc, ids, odd);
            VarHandle.loadLoadFence();
            if ((long) GENERATION.getOpaque(seg, record + generationOffset(c)) == g) {
                return copy;
            }
        }
        return copy;
    }
}
