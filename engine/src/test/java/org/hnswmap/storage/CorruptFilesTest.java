package org.hnswmap.storage;

import static org.hnswmap.index.ErrorsTestAccess.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.error.UnsupportedFormatVersionException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files are refused at open with an exception naming the file and field, never a crash. */
class CorruptFilesTest {

    @TempDir Path dir;
    private Path index;

    @BeforeEach
    void buildIndex() {
        index = dir.resolve("idx");
        try (HnswIndex w =
                HnswIndex.create(
                        index, IndexConfig.builder(Space.L2, 8).maxElements(500).build())) {
            w.addItems(RandomVectors.uniform(300, 8, 1), RandomVectors.sequentialLabels(300, 0), 1);
            w.commit();
        }
    }

    @Test
    void shouldRefuseWhenDataFileIsTruncated() throws IOException {
        for (String name :
                new String[] {
                    IndexFileNames.VECTORS,
                    IndexFileNames.LEVEL0,
                    IndexFileNames.NODES,
                    IndexFileNames.labels(LabelTableDescriptor.slotCountFor(500))
                }) {
            Path copy = copyIndex(name);
            FileBytes.truncate(copy.resolve(name), Files.size(copy.resolve(name)) / 2);
            expect(CorruptIndexException.class, name + ": truncated", () -> HnswIndex.open(copy));
        }
        Path copy = copyIndex("short");
        FileBytes.truncate(copy.resolve(IndexFileNames.VECTORS), 10);
        expect(
                CorruptIndexException.class,
                "shorter than the 64-byte preamble",
                () -> HnswIndex.open(copy));
        Path meta = copyIndex("meta");
        FileBytes.truncate(meta.resolve(IndexFileNames.META), 300);
        expect(CorruptIndexException.class, "the meta file has 512", () -> HnswIndex.open(meta));
    }

    @Test
    void shouldRefuseWhenPreambleByteIsFlipped() throws IOException {
        FileBytes.flipByte(index.resolve(IndexFileNames.LEVEL0), 20);
        expect(
                CorruptIndexException.class,
                "preamble checksum mismatch",
                () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseWhenMagicIsWrongOrFileIsOfAnotherKind() throws IOException {
        Path other = copyIndex("kind");
        Files.writeString(index.resolve(IndexFileNames.META), "x".repeat(600));
        expect(NotAnIndexException.class, "wrong magic", () -> HnswIndex.open(index));
        Files.copy(
                other.resolve(IndexFileNames.LEVEL0),
                other.resolve(IndexFileNames.VECTORS),
                StandardCopyOption.REPLACE_EXISTING);
        expect(
                NotAnIndexException.class,
                "is a level-0 adjacency file, expected the vectors file",
                () -> HnswIndex.open(other));
    }

    @Test
    void shouldRefuseWhenWrittenByNewerMajorVersion() throws IOException {
        Path meta = index.resolve(IndexFileNames.META);
        FileBytes.writeShort(meta, FileHeaderDescriptor.FORMAT_MAJOR_OFFSET, (short) 3);
        fixPreambleCrc(meta);
        expect(
                UnsupportedFormatVersionException.class,
                "newer hnswmap: format 3.0",
                () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseWhenWrittenByFormatOneWhoseListsAreNotPerCommit() throws IOException {
        Path meta = index.resolve(IndexFileNames.META);
        FileBytes.writeShort(meta, FileHeaderDescriptor.FORMAT_MAJOR_OFFSET, (short) 1);
        fixPreambleCrc(meta);
        expect(
                UnsupportedFormatVersionException.class,
                "older hnswmap: format 1.x",
                () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseWhenFilesComeFromAnotherIndex() throws IOException {
        Path other = dir.resolve("other");
        try (HnswIndex w =
                HnswIndex.create(
                        other, IndexConfig.builder(Space.L2, 8).maxElements(500).build())) {
            w.commit();
        }
        Files.copy(
                other.resolve(IndexFileNames.NODES),
                index.resolve(IndexFileNames.NODES),
                StandardCopyOption.REPLACE_EXISTING);
        expect(
                CorruptIndexException.class,
                "belongs to another index",
                () -> HnswIndex.open(index));
    }

    @Test
    void shouldFallBackToPreviousCommitWhenNewestSlotIsTornAndRefuseWhenBothAre()
            throws IOException {
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            w.addItem(new float[8], 1_000);
            w.commit(); // generation 3 in slot 1; generation 2 (300 elements) in slot 0
        }
        Path meta = index.resolve(IndexFileNames.META);
        FileBytes.flipByte(
                meta, CommitSlotDescriptor.SLOT1_OFFSET + CommitSlotDescriptor.NODE_COUNT_OFFSET);
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(300, r.size());
            assertEquals(2, r.commitGeneration());
        }
        FileBytes.flipByte(
                meta, CommitSlotDescriptor.SLOT0_OFFSET + CommitSlotDescriptor.ENTRY_POINT_OFFSET);
        expect(CorruptIndexException.class, "no valid commit slot", () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseWhenConfigurationFieldIsAbsurd() throws IOException {
        Path meta = index.resolve(IndexFileNames.META);
        FileBytes.flipByte(meta, MetaHeaderDescriptor.DIMENSION_OFFSET + 3);
        expect(
                CorruptIndexException.class,
                "configuration checksum mismatch",
                () -> HnswIndex.open(index));
    }

    private Path copyIndex(String name) throws IOException {
        Path copy = dir.resolve("copy-" + name);
        Files.createDirectories(copy);
        try (var files = Files.list(index)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private static void fixPreambleCrc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(FileBytes.read(file, 0, FileHeaderDescriptor.PREAMBLE_CRC_OFFSET));
        FileBytes.writeInt(file, FileHeaderDescriptor.PREAMBLE_CRC_OFFSET, (int) crc.getValue());
    }
}
