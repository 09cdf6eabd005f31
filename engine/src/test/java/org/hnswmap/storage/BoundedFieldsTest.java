package org.hnswmap.storage;

import static org.hnswmap.index.ErrorsTestAccess.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values read from the files are bounded even where their checksums match (damage that kept the
 * CRC, or a hostile file): a commit slot out of range gives way to the other slot, and nothing
 * stored makes a query allocate without limit, a writer loop forever or an offset overflow.
 */
class BoundedFieldsTest {

    @TempDir Path dir;
    private Path index;
    private Path meta;

    @BeforeEach
    void buildIndex() {
        index = dir.resolve("idx");
        meta = index.resolve(IndexFileNames.META);
        try (HnswIndex w =
                HnswIndex.create(
                        index, IndexConfig.builder(Space.L2, 8).maxElements(500).m(4).build())) {
            w.addItems(RandomVectors.uniform(300, 8, 1), RandomVectors.sequentialLabels(300, 0), 1);
            w.commit(); // generation 2 in slot 0
            w.addItem(new float[8], 1_000);
            w.commit(); // generation 3 in slot 1
        }
    }

    @Test
    void shouldFallBackToTheOtherSlotWhenTheNewestHasAValidCrcButAGenerationOutOfRange()
            throws IOException {
        writeSlotLong(
                CommitSlotDescriptor.SLOT1_OFFSET,
                CommitSlotDescriptor.GENERATION_OFFSET,
                Long.MAX_VALUE);
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(
                    2, r.commitGeneration(), "generation 2^63-1 would hide every later commit");
            assertEquals(300, r.size());
        }
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            w.addItem(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 2_000);
            w.commit(); // generation 3 again, over the damaged slot
        }
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(3, r.commitGeneration());
            assertEquals(301, r.size());
        }
    }

    @Test
    void shouldFallBackWhenRetiredCountExceedsDeletedCountAndRefuseWhenBothSlotsDo()
            throws IOException {
        writeSlotLong(
                CommitSlotDescriptor.SLOT1_OFFSET, CommitSlotDescriptor.RETIRED_COUNT_OFFSET, 5);
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(2, r.commitGeneration());
        }
        writeSlotLong(
                CommitSlotDescriptor.SLOT0_OFFSET, CommitSlotDescriptor.RETIRED_COUNT_OFFSET, 5);
        expect(CorruptIndexException.class, "field retiredCount", () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseAStoredDefaultEfPastTheLimit() throws IOException {
        for (long slot :
                new long[] {CommitSlotDescriptor.SLOT0_OFFSET, CommitSlotDescriptor.SLOT1_OFFSET}) {
            FileBytes.writeInt(
                    meta, slot + CommitSlotDescriptor.DEFAULT_EF_OFFSET, Integer.MAX_VALUE);
            fixSlotCrc(slot);
        }
        expect(CorruptIndexException.class, "field defaultEf", () -> HnswIndex.open(index));
    }

    @Test
    void shouldRefuseAnUpperOffsetNearLongMaxWithoutOverflow() throws IOException {
        int node = nodeWithUpperLevel();
        FileBytes.writeLong(
                index.resolve(IndexFileNames.NODES),
                NodeRecordDescriptor.recordOffset(node) + NodeRecordDescriptor.UPPER_OFFSET_OFFSET,
                Long.MAX_VALUE - 8);
        try (HnswIndex r = HnswIndex.open(index)) {
            assertFalse(r.verify().isEmpty());
            // a search meets the node on an upper level, or does not: either way no other exception
            try {
                r.knnQuery(new float[8], 5, 50);
            } catch (CorruptIndexException expected) {
                // named: upper.adj, field upperOffset
            }
        }
        expect(
                CorruptIndexException.class,
                "upperOffset",
                () -> HnswIndex.openForWrite(index).close());
    }

    @Test
    void shouldRefuseALabelTableWithNoFreeSlotInsteadOfLooping() throws IOException {
        int slots = LabelTableDescriptor.slotCountFor(500);
        Path table = index.resolve(IndexFileNames.labels(slots));
        for (int slot = 0; slot < slots; slot++) {
            long at = LabelTableDescriptor.slotOffset(slot);
            if (FileBytes.readInt(table, at) == LabelTableDescriptor.EMPTY) {
                FileBytes.writeInt(table, at, 1); // node 0 once more: no slot is free
            }
        }
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> {
                    try (HnswIndex w = HnswIndex.openForWrite(index)) {
                        w.addItem(new float[8], 5_000);
                    } catch (CorruptIndexException expected) {
                        // named: the label table
                    }
                });
    }

    private int nodeWithUpperLevel() throws IOException {
        Path nodes = index.resolve(IndexFileNames.NODES);
        for (int node = 0; node < 300; node++) {
            if (FileBytes.readInt(
                            nodes,
                            NodeRecordDescriptor.recordOffset(node)
                                    + NodeRecordDescriptor.LEVEL_OFFSET)
                    > 0) {
                return node;
            }
        }
        throw new AssertionError("no node above level 0 among 300 at M 4");
    }

    private void writeSlotLong(long slot, int field, long value) throws IOException {
        FileBytes.writeLong(meta, slot + field, value);
        fixSlotCrc(slot);
    }

    private void fixSlotCrc(long slot) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(FileBytes.read(meta, slot, CommitSlotDescriptor.SLOT_CRC_OFFSET));
        FileBytes.writeInt(meta, slot + CommitSlotDescriptor.SLOT_CRC_OFFSET, (int) crc.getValue());
    }
}
