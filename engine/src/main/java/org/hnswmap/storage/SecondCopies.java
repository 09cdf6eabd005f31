package org.hnswmap.storage;

import static org.hnswmap.storage.FileHeaderDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.hnswmap.error.IndexIOException;

/**
 * {@code level0.alt}, the second copies of the level-0 lists of an index with {@code
 * FLAG_LEVEL0_COPIES_APART} (storage-format.md, section 6b). The file does not exist until a list
 * first needs its second copy, which is when the writer changes it in a generation after the one
 * that wrote its first: an index built and committed once never has one, and its level-0 records
 * are the header and one copy (160 bytes at M 16 instead of 296).
 *
 * <p>The writer creates the file whole or not at all (written under a temporary name, synced, then
 * renamed and the directory synced), so a crash never leaves a partial {@code level0.alt}; every
 * commit after that syncs it with the other data files. A reader maps it at open when it exists,
 * and at {@link #refresh} when it appeared or grew. Thread-safe: {@link #segment} is a volatile
 * read; creation, growth and closing are serialized.
 */
final class SecondCopies implements AutoCloseable {

    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path directory;
    private final long[] indexId;
    private final int copyStride;
    private final boolean writable;
    private long capacity;
    private volatile MappedFile file;

    private SecondCopies(
            Path directory, long[] indexId, int copyStride, boolean writable, long capacity) {
        this.directory = directory;
        this.indexId = indexId;
        this.copyStride = copyStride;
        this.writable = writable;
        this.capacity = capacity;
    }

    /** A new index: no file yet. */
    static SecondCopies none(Path directory, long[] indexId, int copyStride, long capacity) {
        return new SecondCopies(directory, indexId, copyStride, true, capacity);
    }

    /**
     * Opens {@code level0.alt} when it exists (its preamble validated like every data file's; its
     * length is checked with theirs, {@link DataFiles#checkLengths}); the writer first deletes a
     * temporary file a crash left behind. {@code capacity}: the writer's, for the file's creation.
     */
    static SecondCopies open(
            Path directory, long[] indexId, int copyStride, boolean writable, long capacity) {
        SecondCopies copies = new SecondCopies(directory, indexId, copyStride, writable, capacity);
        if (writable) {
            try {
                Files.deleteIfExists(temporaryPath(directory));
            } catch (IOException e) {
                throw new IndexIOException(
                        "cannot delete " + temporaryPath(directory) + ": " + e, e);
            }
        }
        copies.mapIfPresent();
        return copies;
    }

    private static Path temporaryPath(Path directory) {
        return directory.resolve(IndexFileNames.LEVEL0_ALT + TEMPORARY_SUFFIX);
    }

    /** The mapped copies, or null while the file does not exist (or a reader has not mapped it). */
    MemorySegment segment() {
        MappedFile f = file;
        return f == null ? null : f.segment();
    }

    /** The file, or null. */
    MappedFile fileOrNull() {
        return file;
    }

    /** Writer: the mapped copies, creating the file first if it does not exist yet. */
    MemorySegment segmentForWrite() {
        MappedFile f = file;
        if (f == null) {
            f = create();
        }
        return f.segment();
    }

    private synchronized MappedFile create() {
        if (file != null) {
            return file;
        }
        Path temporary = temporaryPath(directory);
        long length = AdjacencyDescriptor.level0AltFileLength(capacity, copyStride);
        try {
            Files.deleteIfExists(temporary); // an attempt of this session that failed
        } catch (IOException e) {
            throw new IndexIOException("cannot delete " + temporary + ": " + e, e);
        }
        try (MappedFile fresh = MappedFile.create(temporary, length)) {
            FilePreamble.write(
                    fresh.segment(), KIND_LEVEL0_ALT, indexId, PREAMBLE_LENGTH, copyStride);
            fresh.force();
        }
        Path target = directory.resolve(IndexFileNames.LEVEL0_ALT);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IndexIOException(
                    "cannot rename " + temporary + " to " + target + ": " + e, e);
        }
        DirectorySync.sync(directory);
        mapIfPresent();
        return file;
    }

    private synchronized void mapIfPresent() {
        if (file != null) {
            return;
        }
        Path path = directory.resolve(IndexFileNames.LEVEL0_ALT);
        if (!Files.isRegularFile(path)) {
            return;
        }
        MappedFile f = MappedFile.open(path, writable);
        try {
            f.mapWhole();
            FilePreamble.validate(f.segment(), path, KIND_LEVEL0_ALT);
            FilePreamble.checkBelongs(f.segment(), path, indexId, copyStride);
        } catch (RuntimeException e) {
            IndexStore.closeQuietly(f);
            throw e;
        }
        file = f;
    }

    /**
     * Reader, before adopting a newer commit: maps the file if it appeared since (its length is
     * checked, and a grown file mapped anew, with the other data files').
     */
    void refresh() {
        mapIfPresent();
    }

    /** Writer, resize: extends the file (when it exists) to {@code newCapacity} copies. */
    synchronized void growTo(long newCapacity) {
        capacity = newCapacity;
        if (file != null) {
            file.growTo(AdjacencyDescriptor.level0AltFileLength(newCapacity, copyStride));
        }
    }

    @Override
    public synchronized void close() {
        MappedFile f = file;
        file = null;
        if (f != null) {
            f.close();
        }
    }
}
