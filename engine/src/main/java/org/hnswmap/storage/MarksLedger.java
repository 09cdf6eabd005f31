package org.hnswmap.storage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The writer's bookkeeping of deleted marks, updates and slot reuse: which nodes' marks changed
 * since the last commit, which slots replace-deleted may reuse, and the deleted and retired counts
 * that the next commit records. A commit moves the changed marks to their committed bits through
 * the marks journal ({@link #commitMarks}).
 *
 * <p>Thread-safety: every method except the count getters must be called with the writer's
 * allocation lock held ({@link StoreWriter}); the counts are volatile and read freely.
 */
final class MarksLedger {

    private final GraphData graph;
    private final MarksJournal journal;
    private final boolean reuseAllowed;

    /** Nodes whose deleted mark changed since the last commit. */
    private final BitSet changed = new BitSet();

    /**
     * Nodes deleted as committed whose slots replace-deleted may reuse. Only committed deletions: a
     * crash before the next commit must not lose the vector of an element the last commit holds as
     * live.
     */
    private final BitSet reusable = new BitSet();

    /** The retired ones among {@link #reusable}, which updates reuse first. */
    private final BitSet reusableRetired = new BitSet();

    /** Deleted nodes in the current state. */
    private volatile long deletedCount;

    /** Of those, nodes retired by updates. */
    private volatile long retiredCount;

    MarksLedger(GraphData graph, MarksJournal journal, boolean reuseAllowed, CommitState state) {
        this.graph = graph;
        this.journal = journal;
        this.reuseAllowed = reuseAllowed;
        this.deletedCount = state.deletedCount();
        this.retiredCount = state.retiredCount();
    }

    long deletedCount() {
        return deletedCount;
    }

    long retiredCount() {
        return retiredCount;
    }

    /**
     * Update of a label: marks {@code node} deleted and retired (its label moves to a new node).
     * Counted once, however often it is called: deletedCount >= retiredCount at every commit.
     */
    void retire(int node) {
        if (graph.isRetired(node, false)) {
            return;
        }
        if (!graph.isDeleted(node, false)) {
            deletedCount++;
        }
        graph.retire(node);
        retiredCount++;
        changed.set(node);
    }

    /**
     * Sets or clears the deleted mark of {@code node}; returns whether it changed. A retired node
     * stays deleted: its label moved on.
     */
    boolean setDeleted(int node, boolean deleted) {
        if (graph.isRetired(node, false) || !graph.setDeleted(node, deleted)) {
            return false;
        }
        if (!deleted) {
            reusable.clear(node);
            reusableRetired.clear(node);
        }
        changed.set(node);
        deletedCount += deleted ? 1 : -1;
        return true;
    }

    /**
     * Takes a slot for reuse: a retired one first, then (unless {@code retiredOnly}) any deleted
     * one; -1 when none is free. The slot leaves the retired count (its node gets a new label).
     */
    int takeReusable(boolean retiredOnly) {
        int node = reusableRetired.nextSetBit(0);
        if (node < 0 && !retiredOnly) {
            node = reusable.nextSetBit(0);
        }
        if (node < 0) {
            return -1;
        }
        reusable.clear(node);
        reusableRetired.clear(node);
        if (graph.isRetired(node, false)) {
            retiredCount--;
        }
        return node;
    }

    /** Slots reusable now, by any replace-deleted insert or only by updates. */
    int reusableCount(boolean retiredOnly) {
        return (retiredOnly ? reusableRetired : reusable).cardinality();
    }

    /** Writer open: a slot deleted as committed, reusable when the index allows it. */
    void recoveredDeleted(int node) {
        if (reuseAllowed) {
            markReusable(node);
        }
    }

    /**
     * Writer open: a slot an uncommitted replace reused; it stays deleted and becomes retired (its
     * new label is never found) and is reusable again.
     */
    void recoveredReuse(int node) {
        if (!graph.isRetired(node, false)) { // a retired slot reused: already counted
            graph.retire(node);
            retiredCount++;
        }
        changed.set(node);
        if (reuseAllowed) {
            reusable.set(node);
            reusableRetired.set(node);
        }
    }

    private void markReusable(int node) {
        reusable.set(node);
        if (graph.isRetired(node, true)) {
            reusableRetired.set(node);
        }
    }

    /**
     * Commit step 1: the marks changed since the last commit go to their committed bits, through
     * the marks journal (written and synced first, so that writer open can redo or undo the change
     * whatever the crash point). Deleted slots become reusable once their deletion is committed.
     */
    void commitMarks(long generation) {
        List<MarksJournal.Entry> entries = new ArrayList<>();
        changed.stream()
                .forEach(
                        node -> {
                            int flags = graph.flags(node);
                            int next = GraphData.committedFlags(flags);
                            if (next != flags) {
                                entries.add(new MarksJournal.Entry(node, flags, next));
                            }
                        });
        if (!entries.isEmpty()) {
            journal.write(generation, entries.toArray(new MarksJournal.Entry[0]));
        }
        for (MarksJournal.Entry e : entries) {
            graph.setCommittedBits(e.node(), e.newFlags());
            if (reuseAllowed && graph.isDeleted(e.node(), true)) {
                markReusable(e.node());
            }
        }
        changed.clear();
    }
}
