package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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

/**
 * Writer open replays the marks journal: it undoes the committed marks of a commit that died before
 * its slot, redoes those of one whose slot was written, and never replays a journal twice. The
 * crash itself is simulated by writing the files as a killed commit leaves them.
 */
class MarksJournalTest {

    private static final int N = 60;
    private static final int NODE = 7; // label 100 + 7
    private static final long LABEL = 107;
    private static final int DELETED_BOTH = 0b11; // bits 0 and 1

    @TempDir Path dir;
    private Path index;
    private long generation;

    @BeforeEach
    void build() {
        index = dir.resolve("j");
        try (HnswIndex w =
                HnswIndex.create(
                        index, IndexConfig.builder(Space.L2, 8).maxElements(100).m(4).build())) {
            w.addItems(RandomVectors.uniform(N, 8, 3), RandomVectors.sequentialLabels(N, 100), 1);
            w.commit();
            generation = w.commitGeneration();
        }
    }

    @Test
    void shouldUndoMarksWhenCommitDiedBeforeItsSlot() throws IOException {
        journal().write(generation + 1, new MarksJournal.Entry[] {entry()});
        setFlags(DELETED_BOTH); // the killed commit had already changed the flags in place
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            assertFalse(w.isMarkedDeleted(LABEL), "the mark was never committed");
            assertEquals(List.of(), w.verify());
            w.commit(); // a later commit that changes no marks takes generation + 1
        }
        assertFalse(Files.exists(index.resolve(IndexFileNames.MARKS_JOURNAL)));
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            assertFalse(w.isMarkedDeleted(LABEL), "the old journal must not be replayed again");
        }
        try (HnswIndex r = HnswIndex.open(index)) {
            assertFalse(r.isMarkedDeleted(LABEL));
            assertEquals(N, r.size());
        }
    }

    @Test
    void shouldRedoMarksWhenSlotWasWritten() throws IOException {
        journal().write(generation, new MarksJournal.Entry[] {entry()});
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            assertTrue(w.isMarkedDeleted(LABEL));
        }
        try (HnswIndex r = HnswIndex.open(index)) {
            assertTrue(r.isMarkedDeleted(LABEL), "readers use the committed bit the redo wrote");
        }
    }

    @Test
    void shouldIgnoreJournalWhenItIsTornOrOfAnotherGeneration() throws IOException {
        journal().write(generation + 5, new MarksJournal.Entry[] {entry()});
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            assertFalse(w.isMarkedDeleted(LABEL));
        }
        journal().write(generation + 1, new MarksJournal.Entry[] {entry()});
        Path file = index.resolve(IndexFileNames.MARKS_JOURNAL);
        FileBytes.truncate(file, Files.size(file) - 1);
        try (HnswIndex w = HnswIndex.openForWrite(index)) {
            // A torn journal means the flags were never touched (it is synced before them).
            assertFalse(w.isMarkedDeleted(LABEL));
            assertEquals(List.of(), w.verify());
        }
        assertFalse(Files.exists(file));
    }

    private MarksJournal journal() {
        return new MarksJournal(index.resolve(IndexFileNames.MARKS_JOURNAL));
    }

    private static MarksJournal.Entry entry() {
        return new MarksJournal.Entry(NODE, 0, DELETED_BOTH);
    }

    private void setFlags(int flags) throws IOException {
        FileBytes.writeInt(
                index.resolve(IndexFileNames.NODES),
                NodeRecordDescriptor.recordOffset(NODE) + NodeRecordDescriptor.FLAGS_OFFSET,
                flags);
    }
}
