package org.hnswmap.index;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.agrona.collections.LongHashSet;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.graph.HnswBuilder;
import org.hnswmap.graph.LevelGenerator;
import org.hnswmap.storage.BinaryVectorsDescriptor;
import org.hnswmap.storage.StoreConfig;
import org.hnswmap.storage.StoreWriter;

/**
 * The writer's changes of elements: batch inserts and updates (hnswlib's {@code add_items}, with
 * replace-deleted), and deleted marks. Checks a batch whole before inserting any of it, then links
 * each row into the graph ({@link HnswBuilder}).
 *
 * <p>Thread-safety: every method may be called concurrently. Each insert holds the index's commit
 * lock for reading (a commit waits for inserts in flight), and operations on one label run one at a
 * time, as hnswlib's label locks make them: finding the label's node and changing it must not
 * interleave with another change of the same label (two updates would both retire the old node and
 * both insert the label).
 */
final class Inserter {

    /** Most rows of the first insert whose mean becomes the centroid of one-bit codes. */
    static final int CENTROID_SAMPLE = BinaryVectorsDescriptor.CENTROID_SAMPLE;

    private static final int LABEL_LOCKS = 256;

    private final StoreWriter writer;
    private final HnswBuilder builder;
    private final LevelGenerator levels;
    private final ReentrantReadWriteLock commitLock;
    private final Runnable requireOpen;
    private final Object[] labelLocks = new Object[LABEL_LOCKS];

    /** Whether a slot was reused (its neighbourhood re-selected) since the last commit. */
    private volatile boolean neighbourhoodsRepaired;

    /** Whether large batches are inserted in {@link ClusteredInsertOrder}. */
    private volatile boolean clusteredInserts;

    /**
     * @param commitLock the index's commit lock, held for reading by each insert and mark
     * @param requireOpen throws when the index was closed meanwhile
     */
    Inserter(StoreWriter writer, ReentrantReadWriteLock commitLock, Runnable requireOpen) {
        this.writer = writer;
        this.commitLock = commitLock;
        this.requireOpen = requireOpen;
        StoreConfig c = writer.config();
        long seed = c.randomSeed() + writer.committed().nodeCount() * 0x9E3779B97F4A7C15L;
        this.levels = new LevelGenerator(seed, c.m());
        this.builder =
                new HnswBuilder(writer.builderGraph(), writer.vectors(), c.m(), c.efConstruction());
        for (int i = 0; i < LABEL_LOCKS; i++) {
            labelLocks[i] = new Object();
        }
    }

    private Object labelLock(long label) {
        long h = label * 0x9E3779B97F4A7C15L;
        return labelLocks[(int) (h >>> 56) & (LABEL_LOCKS - 1)];
    }

    /**
     * Inserts {@code rows[i]} (checked and prepared: normalized for cosine) under {@code labels[i]}
     * on {@code workers}. Fails before inserting anything when a label is twice in the batch,
     * present while {@code updateExisting} is false, or the rows do not fit.
     */
    void insertAll(
            float[][] rows,
            long[] labels,
            ParallelFor.Workers workers,
            boolean replaceDeleted,
            boolean updateExisting) {
        checkLabels(labels, updateExisting);
        long room =
                writer.capacity()
                        - writer.visibleCount()
                        + (writer.allowsReplaceDeleted()
                                ? writer.reusableCount(!replaceDeleted)
                                : 0);
        if (rows.length > room) {
            throw new IndexFullException(
                    writer.directory()
                            + ": "
                            + rows.length
                            + " rows do not fit, room for "
                            + room
                            + " of maxElements "
                            + writer.capacity()
                            + (replaceDeleted ? " (free deleted slots included)" : ""));
        }
        writer.prepareTraversalCodes(Arrays.asList(rows));
        int[] order =
                clusteredInserts
                        ? ClusteredInsertOrder.of(
                                rows, writer.config().randomSeed() + writer.visibleCount(), workers)
                        : null;
        workers.run(
                rows.length,
                i -> {
                    int row = order == null ? i : order[i];
                    insert(rows[row], labels[row], replaceDeleted);
                });
    }

    /** See {@link HnswIndex#setClusteredInserts}. */
    void setClusteredInserts(boolean on) {
        clusteredInserts = on;
    }

    boolean clusteredInserts() {
        return clusteredInserts;
    }

    private void checkLabels(long[] labels, boolean updateExisting) {
        LongHashSet seen = new LongHashSet(Math.max(8, labels.length * 2));
        for (long label : labels) {
            if (!seen.add(label)) {
                throw new DuplicateLabelException("label " + label + " appears twice in the batch");
            }
            if (!updateExisting && writer.findNode(label) >= 0) {
                throw new DuplicateLabelException(
                        writer.directory() + ": label " + label + " is already in the index");
            }
        }
    }

    /**
     * One row: an update retires the label's node first; slots are reused only in indexes that
     * allow it (readers then hide reused slots): slots retired by updates always, slots of deleted
     * elements on replaceDeleted.
     */
    private void insert(float[] vector, long label, boolean replaceDeleted) {
        commitLock.readLock().lock();
        try {
            requireOpen.run();
            synchronized (labelLock(label)) {
                int existing = writer.findNode(label);
                if (existing >= 0) {
                    writer.retire(existing);
                }
                int reused =
                        writer.allowsReplaceDeleted() && (replaceDeleted || existing >= 0)
                                ? writer.reuseNode(label, vector, !replaceDeleted)
                                : -1;
                if (reused >= 0) {
                    neighbourhoodsRepaired = true;
                    builder.update(reused, writer.levelOf(reused));
                    writer.setDeleted(reused, false);
                    return;
                }
                int level = levels.nextLevel();
                int node = writer.addNode(label, level, vector);
                builder.insert(node, level);
            }
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /** Marks the element of {@code label} deleted or not; readers see it at the next commit. */
    void setDeleted(long label, boolean deleted) {
        commitLock.readLock().lock();
        try {
            requireOpen.run();
            synchronized (labelLock(label)) {
                int node = writer.findNode(label);
                if (node < 0) {
                    throw new UnknownLabelException(
                            writer.directory() + ": no element with label " + label);
                }
                writer.setDeleted(node, deleted);
            }
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /**
     * Before a commit (inserts paused): when slots were reused since the last one, relinks the
     * nodes their neighbourhood repairs left without an in-link ({@link
     * HnswBuilder#relinkOrphans}), so that every committed element stays reachable.
     */
    void beforeCommit() {
        if (neighbourhoodsRepaired) {
            builder.relinkOrphans();
            neighbourhoodsRepaired = false;
        }
    }
}
