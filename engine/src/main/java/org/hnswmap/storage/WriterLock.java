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
import org.hnswmap.error.IndexIOException;
import org.hnswmap.error.WriterLockedException;

/**
 * The single-writer lock: an OS advisory lock ({@code fcntl}) on {@code write.lock}, which the
 * kernel releases when the process dies, even by SIGKILL, so a crashed writer never blocks the next
 * one. The holder writes its pid into the file so a refused writer can name it.
 *
 * <p>Not thread-safe; owned by one writer {@link IndexStore}.
 */
final class WriterLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static WriterLock acquire(Path indexDir) {
        Path path = indexDir.resolve(IndexFileNames.WRITE_LOCK);
        FileChannel channel = null;
        try {
            channel =
                    FileChannel.open(
                            path,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new WriterLockedException(
                        indexDir + ": already open for writing by another process" + holder(path));
            }
            byte[] pid =
                    Long.toString(ProcessHandle.current().pid())
                            .getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new WriterLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new WriterLockedException(
                    indexDir + ": already open for writing in this JVM (one writer per index)");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IndexIOException("cannot lock " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
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
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new IndexIOException("cannot release the writer lock: " + e, e);
        }
    }
}
