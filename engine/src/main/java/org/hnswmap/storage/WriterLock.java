package org.hnswmap.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.error.WriterLockedException;

/**
 * The single-writer lock: an OS advisory lock ({@code fcntl}) on {@code write.lock}, which the
 * kernel releases when the process dies, even by SIGKILL, so a crashed writer never blocks the next
 * one. The holder writes its pid into the file so a refused writer can name it.
 *
 * <p>An {@code fcntl} lock belongs to the process, and closing <em>any</em> descriptor of the file
 * in that process drops it. So a second attempt in the holder's own JVM must never open the file:
 * the locks this JVM holds are kept in {@link #HELD} (by the file's identity, device and inode, so
 * another path to the same directory is caught too), and an attempt on one of them is refused
 * before any channel is opened. The holder keeps its one channel open until {@link #close}.
 *
 * <p>{@link #acquire} and {@link #close} are thread-safe; an instance is owned by one writer {@link
 * IndexStore}.
 */
final class WriterLock implements AutoCloseable {

    /** File keys of the lock files this JVM holds; guarded by itself. */
    private static final Set<Object> HELD = new HashSet<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;

    private WriterLock(FileChannel channel, FileLock lock, Object fileKey) {
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
    }

    static WriterLock acquire(Path indexDir) {
        Path path = indexDir.resolve(IndexFileNames.WRITE_LOCK);
        synchronized (HELD) {
            if (Files.exists(path) && HELD.contains(fileKey(path))) {
                throw heldHere(indexDir);
            }
            FileChannel channel;
            try {
                channel =
                        FileChannel.open(
                                path,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IndexIOException("cannot lock " + path + ": " + e, e);
            }
            Object key;
            try {
                key = fileKey(path);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
            if (HELD.contains(key)) {
                // Only if the file was swapped under its path since the look above: this
                // descriptor stays open, since closing it would drop the lock this JVM holds.
                throw heldHere(indexDir);
            }
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new WriterLockedException(
                            indexDir
                                    + ": already open for writing by another process"
                                    + holder(path));
                }
                byte[] pid =
                        Long.toString(ProcessHandle.current().pid())
                                .getBytes(StandardCharsets.US_ASCII);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(pid), 0);
                HELD.add(key);
                return new WriterLock(channel, lock, key);
            } catch (OverlappingFileLockException e) {
                // A lock taken on this file outside this class: keep the descriptor, as above.
                throw heldHere(indexDir);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new IndexIOException("cannot lock " + path + ": " + e, e);
            } catch (RuntimeException e) {
                closeQuietly(channel); // no lock of this JVM lives on this file
                throw e;
            }
        }
    }

    private static WriterLockedException heldHere(Path indexDir) {
        return new WriterLockedException(
                indexDir + ": already open for writing in this JVM (one writer per index)");
    }

    /** The identity of the file (device and inode), the same whatever path names it. */
    private static Object fileKey(Path path) {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path.toRealPath();
        } catch (IOException e) {
            throw new IndexIOException("cannot read the attributes of " + path + ": " + e, e);
        }
    }

    private static String holder(Path path) {
        try {
            String pid = Files.readString(path, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock attempt already failed; nothing to add
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new IndexIOException("cannot release the writer lock: " + e, e);
            } finally {
                HELD.remove(fileKey);
            }
        }
    }
}
