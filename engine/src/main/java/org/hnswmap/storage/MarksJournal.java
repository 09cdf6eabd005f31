package org.hnswmap.storage;

import static org.hnswmap.storage.MarksJournalDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.hnswmap.error.IndexIOException;

/**
 * Writes and reads the marks journal ({@link MarksJournalDescriptor}). Node flags hold a
 * "committed" copy of the deleted and retired marks that readers use; a commit changes those copies
 * in place before its slot is written. The journal makes that step atomic with the slot: written
 * and synced first, it lets writer open redo the change when the slot made it to disk and undo it
 * when it did not. Writer only; not thread-safe (the commit serializes it).
 */
final class MarksJournal {

    /** One flag change: a node, its flags before and after the commit. */
    record Entry(int node, int oldFlags, int newFlags) {}

    /** A journal as read back: the generation of the commit it belongs to, and its changes. */
    record Contents(long generation, Entry[] entries) {}

    private final Path path;

    MarksJournal(Path path) {
        this.path = path;
    }

    /** Replaces the journal with the changes of the commit of {@code generation}, and syncs it. */
    void write(long generation, Entry[] entries) {
        ByteBuffer b =
                ByteBuffer.allocate(ENTRIES_OFFSET + entries.length * ENTRY_BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC_OFFSET, MAGIC);
        b.putLong(GENERATION_OFFSET, generation);
        b.putInt(ENTRY_COUNT_OFFSET, entries.length);
        for (int i = 0; i < entries.length; i++) {
            int at = ENTRIES_OFFSET + i * ENTRY_BYTES;
            b.putInt(at + ENTRY_NODE_OFFSET, entries[i].node());
            b.putInt(at + ENTRY_OLD_FLAGS_OFFSET, entries[i].oldFlags());
            b.putInt(at + ENTRY_NEW_FLAGS_OFFSET, entries[i].newFlags());
        }
        b.putInt(CRC_OFFSET, crc(b));
        boolean created = !Files.exists(path);
        try (FileChannel ch =
                FileChannel.open(
                        path,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new IndexIOException("cannot write " + path + ": " + e, e);
        }
        if (created) {
            // The file's name must be as durable as its bytes: a crash after the commit's
            // in-place flag changes must find the journal that undoes or redoes them.
            DirectorySync.sync(path.getParent());
        }
    }

    /**
     * Removes the journal once writer open has replayed it, durably: a journal left behind could
     * name the generation of a later commit that changed no marks, and be replayed wrongly.
     */
    void delete() {
        try {
            if (Files.deleteIfExists(path)) {
                DirectorySync.sync(path.getParent());
            }
        } catch (IOException e) {
            throw new IndexIOException("cannot delete " + path + ": " + e, e);
        }
    }

    /** The journal, or null when there is none or it is incomplete (a crash while writing it). */
    Contents read() {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length < ENTRIES_OFFSET) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int count = b.getInt(ENTRY_COUNT_OFFSET);
            if (b.getLong(MAGIC_OFFSET) != MAGIC
                    || count < 0
                    || bytes.length != ENTRIES_OFFSET + (long) count * ENTRY_BYTES
                    || b.getInt(CRC_OFFSET) != crc(b)) {
                return null;
            }
            Entry[] entries = new Entry[count];
            for (int i = 0; i < count; i++) {
                int at = ENTRIES_OFFSET + i * ENTRY_BYTES;
                entries[i] =
                        new Entry(
                                b.getInt(at + ENTRY_NODE_OFFSET),
                                b.getInt(at + ENTRY_OLD_FLAGS_OFFSET),
                                b.getInt(at + ENTRY_NEW_FLAGS_OFFSET));
            }
            return new Contents(b.getLong(GENERATION_OFFSET), entries);
        } catch (IOException e) {
            throw new IndexIOException("cannot read " + path + ": " + e, e);
        }
    }

    /** CRC32C of the whole buffer with the CRC field read as zero. */
    private static int crc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        ByteBuffer copy = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        copy.clear();
        crc.update(copy.slice(0, CRC_OFFSET));
        crc.update(new byte[4]);
        crc.update(copy.slice(ENTRIES_OFFSET, copy.capacity() - ENTRIES_OFFSET));
        return (int) crc.getValue();
    }
}
