package org.hnswmap.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.hnswmap.error.HnswmapException;
import org.hnswmap.storage.CommitSlotDescriptor;
import org.hnswmap.storage.FileHeaderDescriptor;
import org.hnswmap.storage.MetaHeaderDescriptor;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.tools.TraversalKind;

/**
 * Damages a copy of a small valid index in one seeded way per case (bit flips, truncation, extreme
 * header values with their checksums repaired so that range checks are reached, wrong files,
 * missing files, zeroed pages) and uses it as a reader and as a writer would. Only {@link
 * HnswmapException} may come out; any other throwable is a finding. Single-threaded; each case
 * works in its own folder.
 */
final class IndexFuzzer {

    static final int DIM = 8;
    private static final int N = 300;
    private static final int QUERIES = 5;
    private static final long[] EXTREMES = {
        0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32
    };

    private final Path template;
    private final Path work;
    private final float[][] queries = RandomVectors.uniform(QUERIES, DIM, 99);

    /**
     * Builds the template index under {@code root}: inserts, deletes, an update, a commit; with
     * traversal codes ({@code vectors.b1} for one-bit, {@code vectors.i4} for 4-bit) they are among
     * the files damaged.
     */
    IndexFuzzer(Path root, TraversalKind traversal) {
        this.template = root.resolve("template");
        this.work = root.resolve("case");
        try (HnswIndex w =
                HnswIndex.create(
                        template,
                        traversal
                                .configure(IndexConfig.builder(Space.L2, DIM))
                                .maxElements(N + 50)
                                .m(4)
                                .allowReplaceDeleted(true)
                                .build())) {
            w.addItems(RandomVectors.uniform(N, DIM, 5), RandomVectors.sequentialLabels(N, 0), 1);
            w.commit();
            w.markDeleted(3);
            w.markDeleted(10);
            w.addItem(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 20); // an update: a retired node
            w.commit(); // leaves a marks journal behind
        }
    }

    /**
     * What one case did and how it ended: {@code result} is "ok" or the engine exception's simple
     * name; {@code finding} is any other throwable (null when none).
     */
    record Outcome(String mutation, String result, Throwable finding) {}

    /** Runs case {@code seed}: copies the template, damages it, opens, searches and verifies. */
    Outcome run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        copyTemplate();
        String mutation;
        try {
            mutation = mutate(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            useAsReader();
            useAsWriterWithinLimit(random);
            return new Outcome(mutation, "ok", null);
        } catch (HnswmapException expected) {
            return new Outcome(mutation, expected.getClass().getSimpleName(), null);
        } catch (Throwable t) {
            return new Outcome(mutation, t.getClass().getSimpleName(), t);
        }
    }

    private void useAsReader() {
        try (HnswIndex r = HnswIndex.open(work)) {
            for (float[] q : queries) {
                r.knnQuery(q, 5, 20);
                r.knnQuery(q, 1); // with the stored default ef, whatever the file says it is
            }
            long[] ids = r.getIdsList();
            if (ids.length > 0) {
                r.getItem(ids[ids.length / 2]);
            }
            r.verify();
            r.refresh();
        }
    }

    /**
     * {@link #useAsWriter} in a thread of its own, failing the case when it does not end in time: a
     * damaged file must never make the writer's open (an O(N) pass) or its first insert loop.
     */
    private void useAsWriterWithinLimit(SplittableRandom random) throws Throwable {
        Throwable[] thrown = new Throwable[1];
        Thread writer =
                Thread.ofPlatform()
                        .daemon()
                        .start(
                                () -> {
                                    try {
                                        useAsWriter(random);
                                    } catch (Throwable t) {
                                        thrown[0] = t;
                                    }
                                });
        writer.join(WRITER_LIMIT_MILLIS);
        if (writer.isAlive()) {
            throw new AssertionError(
                    "the writer did not open, insert and commit within "
                            + WRITER_LIMIT_MILLIS
                            + " ms");
        }
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    private static final long WRITER_LIMIT_MILLIS = 30_000;

    private void useAsWriter(SplittableRandom random) {
        try (HnswIndex w = HnswIndex.openForWrite(work)) {
            w.verify();
            float[] v = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) random.nextDouble();
            }
            w.addItem(v, 1_000_000 + random.nextInt(1000), true);
            w.knnQuery(v, 3, 10);
            w.commit();
        }
    }

    private String mutate(SplittableRandom random) throws IOException {
        List<Path> files = listFiles(work);
        Path file = files.get(random.nextInt(files.size()));
        String name = file.getFileName().toString();
        long length = Files.size(file);
        return switch (random.nextInt(8)) {
            case 0 -> {
                long at = nearStart(random, length);
                flipBit(file, at, random.nextInt(8));
                yield name + ": bit flipped at " + at;
            }
            case 1 -> {
                long to = truncationPoint(random, length);
                truncate(file, to);
                yield name + ": truncated to " + to;
            }
            case 2 -> writeExtreme(random, file, name);
            case 3 -> {
                long extra = 1 + random.nextLong(1 << 20);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xA5}), length + extra - 1);
                }
                yield name + ": extended by " + extra + " bytes";
            }
            case 4 -> {
                Files.delete(file);
                yield name + ": deleted";
            }
            case 5 -> {
                Path other = files.get(random.nextInt(files.size()));
                Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
                yield name + ": replaced by a copy of " + other.getFileName();
            }
            case 6 -> {
                StringBuilder where = new StringBuilder(name + ": 16 random bytes at");
                for (int i = 0; i < 16 && length > 0; i++) {
                    long at = random.nextLong(length);
                    writeBytes(file, at, new byte[] {(byte) random.nextInt(256)});
                    where.append(' ').append(at);
                }
                yield where.toString();
            }
            default -> {
                long page = length == 0 ? 0 : random.nextLong((length + 4095) / 4096);
                int bytes = (int) Math.max(0, Math.min(4096, length - page * 4096));
                writeBytes(file, page * 4096, new byte[bytes]);
                yield name + ": page " + page + " zeroed";
            }
        };
    }

    /**
     * An extreme value in a header field, with the CRC covering it recomputed, so that the value
     * reaches the range checks behind the checksum.
     */
    private String writeExtreme(SplittableRandom random, Path file, String name)
            throws IOException {
        boolean meta = name.equals("index.meta");
        long limit =
                meta ? CommitSlotDescriptor.META_FILE_LENGTH : FileHeaderDescriptor.PREAMBLE_LENGTH;
        long length = Files.size(file);
        if (length < limit) {
            truncate(file, 0);
            return name + ": emptied (too short for a header field)";
        }
        int width = random.nextBoolean() ? 4 : 8;
        long at = random.nextLong(limit / width) * width;
        long value = EXTREMES[random.nextInt(EXTREMES.length)];
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
        writeBytes(file, at, b.array());
        repairChecksum(file, at, meta);
        return name + ": " + width + " bytes at " + at + " = " + value + " (CRC repaired)";
    }

    /** Recomputes the CRC of the region holding {@code at}: preamble, configuration or slot. */
    private static void repairChecksum(Path file, long at, boolean meta) throws IOException {
        long start;
        long crcAt;
        if (at < FileHeaderDescriptor.PREAMBLE_CRC_OFFSET) {
            start = 0;
            crcAt = FileHeaderDescriptor.PREAMBLE_CRC_OFFSET;
        } else if (meta && at >= 64 && at < MetaHeaderDescriptor.CONFIG_CRC_OFFSET) {
            start = 64;
            crcAt = MetaHeaderDescriptor.CONFIG_CRC_OFFSET;
        } else if (meta && at >= CommitSlotDescriptor.SLOT0_OFFSET) {
            start =
                    at < CommitSlotDescriptor.SLOT1_OFFSET
                            ? CommitSlotDescriptor.SLOT0_OFFSET
                            : CommitSlotDescriptor.SLOT1_OFFSET;
            crcAt = start + CommitSlotDescriptor.SLOT_CRC_OFFSET;
            if (at >= crcAt) {
                return;
            }
        } else {
            return; // the CRC field itself: left damaged
        }
        byte[] region = Files.readAllBytes(file);
        CRC32C crc = new CRC32C();
        crc.update(region, (int) start, (int) (crcAt - start));
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) crc.getValue());
        writeBytes(file, crcAt, b.array());
    }

    private static long nearStart(SplittableRandom random, long length) {
        if (length == 0) {
            return 0;
        }
        return random.nextBoolean()
                ? random.nextLong(Math.min(length, 4096))
                : random.nextLong(length);
    }

    private static long truncationPoint(SplittableRandom random, long length) {
        long[] marks = {0, 1, 63, 64, 255, 256, 511, length - 1, length / 2, length - 4096};
        long to =
                random.nextBoolean()
                        ? marks[random.nextInt(marks.length)]
                        : random.nextLong(Math.max(1, length));
        return Math.max(0, Math.min(to, Math.max(0, length - 1)));
    }

    private static void flipBit(Path file, long at, int bit) throws IOException {
        if (Files.size(file) == 0) {
            return;
        }
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ (1 << bit)));
            one.rewind();
            ch.write(one, at);
        }
    }

    private static void truncate(Path file, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(to);
        }
    }

    private static void writeBytes(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        }
    }

    private void copyTemplate() {
        try {
            if (Files.exists(work)) {
                try (Stream<Path> old = Files.walk(work)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(work);
            for (Path f : listFiles(template)) {
                Files.copy(f, work.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
            files.removeIf(p -> p.getFileName().toString().equals("write.lock"));
            return files;
        }
    }
}
