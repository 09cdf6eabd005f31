package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes neighbour lists ({@link AdjacencyDescriptor}) by the protocol {@link AdjacencyLists}
 * describes: the writer's working generation changes a copy already tagged with it in place, or
 * takes over the older copy, inside the record's sequence lock, and never touches the newest
 * committed copy before the next commit. Also the writer's recovery at open ({@link
 * #dropUncommitted}) and the copies' checksum. Writes to one list are serialized by the caller.
 * Stateless.
 */
final class AdjacencyListWriter {

    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final VarHandle VERSION = FilePreamble.ATOMIC_INT;
    private static final VarHandle GENERATION = FilePreamble.ATOMIC_LONG;

    private AdjacencyListWriter() {}

    /**
     * Writer: the copy of the list at {@code record} that {@link #write} changes in working
     * generation {@code working}: the one already tagged {@code working}, or else the older one.
     */
    static int copyToWrite(MemorySegment seg, long record, long working) {
        long g0 = seg.get(FilePreamble.LONG, record + GENERATION0_OFFSET);
        long g1 = seg.get(FilePreamble.LONG, record + GENERATION1_OFFSET);
        return g0 == working ? 0 : g1 == working ? 1 : g0 <= g1 ? 0 : 1;
    }

    /**
     * Writer: replaces the list at {@code record} with {@code ids[0..count)} for working generation
     * {@code working}, in copy {@code c} (from {@link #copyToWrite}), which lies at {@code copyAt}
     * in {@code copySeg} (the record's own segment for copy 0).
     */
    static void write(
            MemorySegment seg,
            long record,
            int c,
            MemorySegment copySeg,
            long copyAt,
            int[] ids,
            int count,
            long working) {
        int odd = seg.get(INT, record + VERSION_OFFSET) | 1;
        VERSION.setOpaque(seg, record + VERSION_OFFSET, odd);
        VarHandle.storeStoreFence();
        if (seg.get(FilePreamble.LONG, record + generationOffset(c)) != working) {
            GENERATION.setOpaque(seg, record + generationOffset(c), working);
            VarHandle.storeStoreFence();
        }
        writeCopy(copySeg, copyAt, ids, count, working);
        VERSION.setRelease(seg, record + VERSION_OFFSET, odd + 1);
    }

    /** Writer: {@link #write} of a list whose record holds both copies (upper levels). */
    static void writeInRecord(
            MemorySegment seg, long record, int maxDegree, int[] ids, int count, long working) {
        int c = copyToWrite(seg, record, working);
        write(seg, record, c, seg, record + copyOffset(c, maxDegree), ids, count, working);
    }

    private static void writeCopy(
            MemorySegment seg, long copy, int[] ids, int count, long generation) {
        seg.set(INT, copy + COPY_COUNT_OFFSET, count);
        long base = copy + COPY_NEIGHBORS_OFFSET;
        for (int i = 0; i < count; i++) {
            seg.set(INT, base + (long) i * Integer.BYTES, ids[i]);
        }
        seg.set(INT, copy + COPY_CRC_OFFSET, checksum(ids, count, generation));
    }

    /**
     * Writer: an empty list for a node slot being (re)used from scratch: copy 0 empty in {@code
     * working}, copy 1 holding nothing (tagged {@link AdjacencyDescriptor#NO_GENERATION}; its bytes
     * are not written, so a {@code level0.alt} is not needed for it). The node is past every
     * reader's node count.
     */
    static void clear(MemorySegment seg, long record, long working) {
        int odd = seg.get(INT, record + VERSION_OFFSET) | 1;
        VERSION.setOpaque(seg, record + VERSION_OFFSET, odd);
        VarHandle.storeStoreFence();
        GENERATION.setOpaque(seg, record + GENERATION0_OFFSET, working);
        GENERATION.setOpaque(seg, record + GENERATION1_OFFSET, NO_GENERATION);
        writeCopy(seg, record + COPIES_OFFSET, new int[0], 0, working);
        VERSION.setRelease(seg, record + VERSION_OFFSET, odd + 1);
    }

    /**
     * CRC32C of a copy: its count and {@code count} ids, then its generation, each little-endian,
     * as stored in the copy's crc32c field.
     */
    static int checksum(int[] ids, int count, long generation) {
        ByteBuffer bytes =
                ByteBuffer.allocate(Integer.BYTES * (1 + count) + Long.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(count);
        for (int i = 0; i < count; i++) {
            bytes.putInt(ids[i]);
        }
        bytes.putLong(generation);
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.position());
        return (int) crc.getValue();
    }

    /**
     * Writer open: drops every copy of the list at {@code record} tagged after commit {@code
     * committed} (written by a writer that stopped without committing it), so that the working
     * generation starts from the committed copies alone, and evens out a version left odd. The
     * committed copy is not touched. Returns whether anything changed.
     */
    static boolean dropUncommitted(MemorySegment seg, long record, long committed) {
        boolean changed = false;
        for (int c = 0; c < 2; c++) {
            long at = record + generationOffset(c);
            if (seg.get(FilePreamble.LONG, at) > committed) {
                seg.set(FilePreamble.LONG, at, NO_GENERATION);
                changed = true;
            }
        }
        int version = seg.get(INT, record + VERSION_OFFSET);
        if ((version & 1) != 0) {
            seg.set(INT, record + VERSION_OFFSET, version + 1);
            changed = true;
        }
        return changed;
    }
}
