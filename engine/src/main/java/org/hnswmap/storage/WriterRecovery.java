package org.hnswmap.storage;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.error.IndexIOException;

/**
 * The writer's open: forgets whatever the previous writer left uncommitted (it stopped without
 * committing, or was killed), so that the new session starts from the last commit exactly
 * (storage-format.md, section 9, last paragraphs). O(N) in the number of committed nodes, run once
 * per writer open before anything else is written. Stateless.
 */
final class WriterRecovery {

    private WriterRecovery() {}

    /**
     * In order: label tables of a resize that never committed go; the marks journal is redone or
     * undone; label slots of uncommitted nodes become tombstones; list copies written after the
     * commit are dropped and committed marks restored; committed labels get their slots back.
     */
    static void run(
            Path directory,
            DataFiles files,
            GraphData graph,
            MarksJournal journal,
            MarksLedger ledger,
            CommitState c,
            NodeSealer sealer) {
        removeStaleLabelTables(directory, c.labelSlotCount());
        replayMarksJournal(files, graph, journal, c);
        LabelTable.dropUncommitted(
                files.labels().segment(), c.labelSlotCount(), (int) c.nodeCount());
        graph.dropUncommittedLists((int) c.nodeCount(), c.generation());
        restoreCommittedLabels(files, graph, ledger, c, sealer);
    }

    /**
     * Rewrites a reused node's traversal codes row from its vector, then the checksum of its record
     * and vector.
     */
    interface NodeSealer {
        void seal(int node);
    }

    /** Label tables other than the committed one are leftovers of a resize. */
    private static void removeStaleLabelTables(Path directory, int slots) {
        String current = IndexFileNames.labels(slots);
        try (var entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(IndexFileNames.LABELS_PREFIX)
                        && name.endsWith(IndexFileNames.LABELS_SUFFIX)
                        && !name.equals(current)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IndexIOException("cannot list " + directory + ": " + e, e);
        }
    }

    /**
     * Finishes the committed marks of the last commit if its slot was written, or undoes those of a
     * commit that died before its slot (storage-format.md, marks journal).
     */
    private static void replayMarksJournal(
            DataFiles files, GraphData graph, MarksJournal journal, CommitState c) {
        MarksJournal.Contents j = journal.read();
        if (j != null
                && (j.generation() == c.generation() || j.generation() == c.generation() + 1)) {
            boolean redo = j.generation() == c.generation();
            for (MarksJournal.Entry e : j.entries()) {
                if (e.node() >= 0 && e.node() < c.nodeCount()) {
                    graph.setCommittedBits(e.node(), redo ? e.newFlags() : e.oldFlags());
                }
            }
            files.nodes().force(); // durable before the journal goes
        }
        journal.delete();
    }

    /**
     * After the lists (which restored the committed marks): a slot reused by an uncommitted replace
     * stays deleted and becomes retired (its new label is never found; the deleted element it held
     * loses its label), free slots are collected, and every committed node whose record's label has
     * no slot pointing at it gets one back.
     */
    private static void restoreCommittedLabels(
            DataFiles files,
            GraphData graph,
            MarksLedger ledger,
            CommitState c,
            NodeSealer sealer) {
        MemorySegment table = files.labels().segment();
        int count = (int) c.nodeCount();
        for (int node = 0; node < count; node++) {
            // Every committed node holds one slot under its record's label. A kill inside a reuse
            // (between removing the old label's slot and publishing the new one) or an
            // uncommitted update (which tombstoned a live node's slot) leaves a node without one.
            graph.checkCommittedRecord(node, c.generation());
            int self = node;
            long label = graph.labelOf(node);
            if (LabelTable.find(
                            table,
                            c.labelSlotCount(),
                            graph.nodeRecords(),
                            label,
                            count,
                            n -> n == self)
                    != node) {
                LabelTable.insert(table, c.labelSlotCount(), graph.nodeRecords(), node);
            }
            if (graph.bornGeneration(node) > c.generation()) {
                // the reuse may have stopped between its label, codes row, vector and seal: the
                // codes row is encoded again from the vector the seal then covers
                sealer.seal(node);
                ledger.recoveredReuse(node);
            } else if (graph.isDeleted(node, true)) {
                ledger.recoveredDeleted(node);
            }
        }
    }
}
