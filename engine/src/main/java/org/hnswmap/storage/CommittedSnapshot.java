package org.hnswmap.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.hnswmap.graph.GraphView;

/**
 * A reader's view of an index: every file mapped read-only, and exactly the state of the commit it
 * opened or last {@link #refresh refreshed}: its node count, entry point, counts and, through the
 * per-commit neighbour lists (storage-format.md, section 6), its graph. Nothing a writer does
 * meanwhile changes what it reads, except deleted marks of later commits (section 10).
 *
 * <p>Thread-safety: every method may be called concurrently; {@link #refresh} calls are serialized.
 * {@link #close} must not overlap anything.
 */
public final class CommittedSnapshot extends IndexStore {

    private volatile CommitState committed;

    private CommittedSnapshot(Path directory, MetaFile meta, DataFiles files, CommitState state) {
        super(directory, meta, files, false, state);
        this.committed = state;
    }

    /** Opens the index in {@code directory} read-only. O(1) in the number of elements. */
    static CommittedSnapshot open(Path directory) {
        return openMapped(
                directory,
                false,
                (meta, files, state, opened) ->
                        new CommittedSnapshot(directory, meta, files, state));
    }

    @Override
    public CommitState committed() {
        return committed;
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public int visibleCount() {
        return (int) committed.nodeCount();
    }

    @Override
    public GraphView searchView() {
        CommitState c = committed;
        return new MappedGraphView(graph, (int) c.nodeCount(), c.entryPoint(), c.maxLevel());
    }

    /** False for a slot that replace-deleted reused in a commit newer than this snapshot. */
    @Override
    public boolean isVisible(int node) {
        return !allowsReplaceDeleted() || graph.bornGeneration(node) <= committed.generation();
    }

    @Override
    public IntPredicate resultFilter() {
        if (allowsReplaceDeleted()) {
            return node -> !isDeleted(node) && isVisible(node);
        }
        return super.resultFilter();
    }

    @Override
    public long deletedCount() {
        return committed.deletedCount();
    }

    @Override
    public long userDeletedCount() {
        CommitState c = committed;
        return c.deletedCount() - c.retiredCount();
    }

    @Override
    public int elementCount() {
        CommitState c = committed;
        return (int) (c.nodeCount() - c.retiredCount());
    }

    /**
     * Adopts the newest commit if it is newer than the one held. O(1): reads the meta slots and
     * maps files anew only when they grew. Concurrent calls are serialized, so that a commit's
     * state is adopted whole (its upper-level limit and list generation together).
     *
     * @return whether a newer commit was adopted
     */
    @Override
    public synchronized boolean refresh() {
        CommitState latest = meta.readLatestCommit();
        if (latest.generation() <= committed.generation()) {
            return false; // nothing newer (or the newer slot is damaged and the older one serves)
        }
        if (latest.labelSlotCount() != files.labelSlotCount()) {
            // A resize: map the new label table before the new state is adopted.
            MappedFile table =
                    DataFiles.openLabelTable(
                            directory,
                            latest.labelSlotCount(),
                            meta.indexId(),
                            false,
                            new ArrayList<>());
            replacedTables.add(files.labels());
            files = files.withLabels(table, latest.labelSlotCount());
        }
        if (files.level0Copies() != null) {
            // maps level0.alt if the writer created it since (before its lists are read)
            files.level0Copies().refresh();
        }
        files.checkLengths(config, latest);
        for (MappedFile f : files.all()) {
            f.remapIfGrown();
        }
        graph.setUpperLimit(AdjacencyDescriptor.UPPER_DATA_OFFSET + latest.upperBytesUsed());
        graph.setCommitted(latest.generation());
        committed = latest;
        return true;
    }

    /**
     * Checks the committed snapshot. The deleted counts are compared with the marks only while this
     * is the newest commit (marks are shared with later commits).
     */
    @Override
    public List<String> verify() {
        CommitState c = committed;
        return verify(c, false, meta.readLatestCommit().generation() == c.generation());
    }
}
