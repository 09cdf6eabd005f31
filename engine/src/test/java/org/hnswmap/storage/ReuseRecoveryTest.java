package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer killed inside a replace-deleted reuse, after the slot's traversal codes row and before
 * its vector: recovery seals the slot over the vector it finds, and must encode the codes row again
 * from that vector, or verify reports the two as disagreeing (found by the crash loop).
 */
class ReuseRecoveryTest {

    private static final int DIM = 16;

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(
            ints = {
                MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL,
                MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL,
                MetaHeaderDescriptor.FLAG_BINARY_TRAVERSAL
            })
    void shouldEncodeTheCodesRowOfAReusedSlotAgainWhenRecovering(int codesFlag) {
        StoreConfig config =
                new StoreConfig(
                        MetaHeaderDescriptor.SPACE_L2,
                        DIM,
                        8,
                        16,
                        50,
                        codesFlag | MetaHeaderDescriptor.FLAG_ALLOW_REPLACE_DELETED,
                        1,
                        0);
        float[][] rows = RandomVectors.uniform(20, DIM, 3);
        Path path = dir.resolve("r");
        try (StoreWriter w = IndexStore.create(path, config, 20, 10)) {
            for (int i = 0; i < rows.length; i++) {
                w.addNode(i, 0, rows[i]);
            }
            w.builderGraph().setEntryPoint(0, 0); // lists stay empty: only rows are checked here
            w.commit(10);
            w.setDeleted(5, true);
            w.commit(10);
            int node = w.reuseNode(100, RandomVectors.uniform(1, DIM, 9)[0], false);
            assertEquals(5, node);
            // the kill came after the new codes row, before the new vector: the old vector stays
            MappedVectors vectors = (MappedVectors) w.vectors();
            MemorySegment.copy(
                    rows[5], 0, vectors.rows(), FilePreamble.FLOAT, vectors.rowOffset(5), DIM);
        } // closed without a commit, as a killed writer leaves it
        try (StoreWriter w = StoreWriter.open(path)) {
            assertEquals(List.of(), w.verify());
        }
    }
}
