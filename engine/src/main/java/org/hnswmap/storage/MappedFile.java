package org.hnswmap.storage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.hnswmap.error.IndexIOException;

/**
 * One index file and its mapping. The writer maps read-write, readers read-only.
 *
 * <p>Growing ({@link #growTo}) extends the file and maps it anew; earlier mappings stay valid (the
 * file never shrinks) and are all released by {@link #close}, so a search holding an older segment
 * never touches unmapped memory. Ownership: this object owns its channel and every mapping; the
 * segments it hands out must not be used after {@link #close}. Thread-safe: {@link #segment()} is a
 * volatile read; growing and closing are serialized.
 */
final class MappedFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final boolean writable;
    private final List<Arena> arenas = new ArrayList<>();
    private volatile MemorySegment segment;
    private boolean randomAccess;

    private MappedFile(Path path, FileChannel channel, boolean writable) {
        this.path = path;
        this.channel = channel;
        this.writable = writable;
    }

    /**
     * Creates a new file of {@code lengthBytes} (sparse: unwritten pages take no disk) and maps it.
     */
    static MappedFile create(Path path, long lengthBytes) {
        try {
            FileChannel channel =
                    FileChannel.open(
                            path,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            MappedFile file = new MappedFile(path, channel, true);
            file.growTo(lengthBytes);
            return file;
        } catch (IOException e) {
            throw new IndexIOException("cannot create " + path + ": " + e, e);
        }
    }

    /** Opens an existing file without mapping it; call {@link #mapWhole()} after validation. */
    static MappedFile open(Path path, boolean writable) {
        try {
            FileChannel channel =
                    writable
                            ? FileChannel.open(
                                    path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                            : FileChannel.open(path, StandardOpenOption.READ);
            return new MappedFile(path, channel, writable);
        } catch (IOException e) {
            throw new IndexIOException("cannot open " + path + ": " + e, e);
        }
    }

    Path path() {
        return path;
    }

    /** The current mapping (covers at least every committed byte). */
    MemorySegment segment() {
        return segment;
    }

    long sizeBytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new IndexIOException("cannot read the size of " + path + ": " + e, e);
        }
    }

    /**
     * Tells the OS this file is read at random ({@link MemoryAdvice#random}), now and on every
     * later mapping.
     */
    synchronized void adviseRandomAccess() {
        randomAccess = true;
        if (segment != null) {
            MemoryAdvice.random(segment);
        }
    }

    /** Bytes of the current mapping in memory now, or -1 when unknown. */
    long residentBytes() {
        MemorySegment current = segment;
        return current == null ? 0 : MemoryAdvice.residentBytes(current);
    }

    /** Maps the file as long as it is now. */
    synchronized void mapWhole() {
        map(sizeBytes());
    }

    /** Extends the file (writer) to at least {@code lengthBytes} and maps all of it. */
    synchronized void growTo(long lengthBytes) {
        if (segment != null && segment.byteSize() >= lengthBytes) {
            return;
        }
        try {
            if (channel.size() < lengthBytes) {
                channel.write(ByteBuffer.wrap(new byte[1]), lengthBytes - 1);
            }
        } catch (IOException e) {
            throw new IndexIOException(
                    "cannot extend " + path + " to " + lengthBytes + " bytes: " + e, e);
        }
        map(lengthBytes);
    }

    /** Reader: maps anew when the file grew past the current mapping. */
    synchronized void remapIfGrown() {
        long size = sizeBytes();
        if (segment == null || size > segment.byteSize()) {
            map(size);
        }
    }

    /** Makes the mapped contents durable (msync). */
    void force() {
        MemorySegment current = segment;
        if (current != null && writable) {
            try {
                current.force();
            } catch (java.io.UncheckedIOException e) {
                throw new IndexIOException("cannot sync " + path + " to disk: " + e.getCause(), e);
            }
        }
    }

    private void map(long lengthBytes) {
        Arena arena = Arena.ofShared();
        try {
            FileChannel.MapMode mode =
                    writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
            MemorySegment mapped = channel.map(mode, 0, lengthBytes, arena);
            if (randomAccess) {
                MemoryAdvice.random(mapped);
            }
            segment = mapped;
            arenas.add(arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new IndexIOException(
                    "cannot map " + lengthBytes + " bytes of " + path + ": " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        segment = null;
        for (Arena arena : arenas) {
            arena.close();
        }
        arenas.clear();
        try {
            channel.close();
        } catch (IOException e) {
            throw new IndexIOException("cannot close " + path + ": " + e, e);
        }
    }
}
