package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify() passes on sound indexes and names what is wrong in damaged ones. */
class VerifyTest {

    private static final int N = 800;

    /** Offset of a level-0 list's copy 0 (the one every list of a single-session build is in). */
    private static final long COPY0 = AdjacencyDescriptor.copyOffset(0, 8);

    @TempDir Path dir;
    private Path index;

    @BeforeEach
    void build() {
        index = dir.resolve("v");
        try (HnswIndex w =
                HnswIndex.create(
                        index, IndexConfig.builder(Space.L2, 8).maxElements(1_000).m(4).build())) {
            w.addItems(
                    RandomVectors.uniform(N, 8, 1),
                    RandomVectors.sequentialLabels(N, 100),
                    1); // node i = label 100 + i
            w.markDeleted(105);
            assertEquals(List.of(), w.verify(), "writer's current state");
            w.commit();
            w.addItem(new float[8], 99_999); // uncommitted: a reader does not see it
        }
    }

    @Test
    void shouldFindNoProblemWhenIndexIsSound() {
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(List.of(), r.verify());
        }
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            assertEquals(List.of(), w.verify(), "after dropping the uncommitted insert");
        }
    }

    @Test
    void shouldReportNeighbourOutOfRangeWhenListIsDamaged() throws IOException {
        int node = 17;
        long record =
                AdjacencyDescriptor.level0RecordOffset(
                        node, AdjacencyDescriptor.singleCopyRecordStride(8));
        FileBytes.writeInt(
                index.resolve(IndexFileNames.LEVEL0),
                record + COPY0 + AdjacencyDescriptor.COPY_NEIGHBORS_OFFSET,
                123_456);
        List<String> problems = verify();
        assertTrue(
                problems.contains("node 17 level 0: neighbour 123456 out of range (limit 1000)"),
                problems.toString());
    }

    @Test
    void shouldReportLabelAndDeletedMismatchWhenRecordsAreDamaged() throws IOException {
        Path nodes = index.resolve(IndexFileNames.NODES);
        FileBytes.writeLong(
                nodes,
                NodeRecordDescriptor.recordOffset(3) + NodeRecordDescriptor.LABEL_OFFSET,
                42L);
        FileBytes.writeInt(
                nodes, NodeRecordDescriptor.recordOffset(4) + NodeRecordDescriptor.FLAGS_OFFSET, 3);
        List<String> problems = verify();
        assertTrue(
                problems.contains("node 3: its label 42 resolves to node -1 in the label table"),
                problems.toString());
        assertTrue(
                problems.contains("deletedCount is 1 but 2 nodes are marked deleted"),
                problems.toString());
    }

    @Test
    void shouldReportDegreeOverLimitWhenCountIsDamaged() throws IOException {
        long record =
                AdjacencyDescriptor.level0RecordOffset(
                        5, AdjacencyDescriptor.singleCopyRecordStride(8));
        FileBytes.writeInt(
                index.resolve(IndexFileNames.LEVEL0),
                record + COPY0 + AdjacencyDescriptor.COPY_COUNT_OFFSET,
                9);
        assertTrue(
                verify().contains("node 5 level 0: 9 neighbours, the limit is 8"),
                verify().toString());
    }

    @Test
    void shouldReportChecksumWhenVectorBytesChangeToOtherFiniteValues() throws IOException {
        int node = 23;
        long row = VectorsDescriptor.rowOffset(node, VectorsDescriptor.rowStride(8));
        FileBytes.writeInt(
                index.resolve(IndexFileNames.VECTORS), row + 4, Float.floatToIntBits(0.25f));
        assertEquals(
                List.of("node 23: checksum of its record and vector does not match"), verify());
    }

    @Test
    void shouldReportChecksumWhenNeighbourIsSwappedForAnotherValidId() throws IOException {
        int node = 31;
        Path level0 = index.resolve(IndexFileNames.LEVEL0);
        long record =
                AdjacencyDescriptor.level0RecordOffset(
                        node, AdjacencyDescriptor.singleCopyRecordStride(8));
        long firstId = record + COPY0 + AdjacencyDescriptor.COPY_NEIGHBORS_OFFSET;
        int other = FileBytes.readInt(level0, firstId) == 400 ? 401 : 400;
        FileBytes.writeInt(level0, firstId, other);
        assertEquals(List.of("node 31 level 0: list checksum does not match its ids"), verify());
    }

    @Test
    void shouldReportChecksumWhenBornGenerationChangesWithinRange() throws IOException {
        Path nodes = index.resolve(IndexFileNames.NODES);
        long born =
                NodeRecordDescriptor.recordOffset(7) + NodeRecordDescriptor.BORN_GENERATION_OFFSET;
        assertEquals(2L, FileBytes.readLong(nodes, born), "inserted before the first commit");
        FileBytes.writeLong(nodes, born, 1L);
        assertEquals(List.of("node 7: checksum of its record and vector does not match"), verify());
    }

    private List<String> verify() {
        try (HnswIndex r = HnswIndex.open(index)) {
            return r.verify();
        }
    }
}
