package org.hnswmap.index;

import java.nio.file.Path;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.LocalityOrder;
import org.hnswmap.graph.MutableGraph;
import org.hnswmap.storage.IndexStore;
import org.hnswmap.storage.StoreWriter;

/**
 * Writes a copy of an index whose node ids follow the graph ({@link LocalityOrder}): the same
 * labels, vectors, levels, lists, entry point, deleted marks, configuration and default ef, with
 * every node renumbered so that neighbours sit next to each other in the files. Searches on the
 * copy visit the same nodes in the same order and return the same answers; their rows come from
 * fewer pages and cache lines, which pays once the rows outgrow the CPU caches (bench/RESULTS.md).
 * A graph is ordered best once it is complete: reorder after the build, before serving.
 *
 * <p>The source is read as its handle sees it: a reader's committed state, or a writer's current
 * one (then no insert may run meanwhile). Stateless.
 */
public final class LocalityReorder {

    /**
     * How many of the last placed nodes vote for the next: 8 searched faster than 4, 16 and 64 on
     * the tune half of the queries of the bench's clustered shape (bench/RESULTS.md, 2026-12-06).
     */
    public static final int WINDOW = 8;

    private LocalityReorder() {}

    /**
     * Creates the reordered copy of {@code source} in {@code directory} (created if missing, must
     * not hold an index), commits it and returns it open for writing.
     *
     * @throws IllegalParameterException when the source holds slots retired by updates (their old
     *     vectors have no label to copy them under)
     */
    public static HnswIndex copy(HnswIndex source, Path directory) {
        IndexStore store = source.store();
        GraphView view = store.searchView();
        source.requireNoReplacedSlots(
                view, "a reordered copy has no label to keep them under", "reorder");
        int count = view.nodeBound();
        HnswIndex target = HnswIndex.create(directory, configOf(source, store));
        try {
            StoreWriter writer = target.writer();
            MutableGraph graph = writer.builderGraph();
            int maxDegree0 = graph.maxDegree(0);
            int[] order = LocalityOrder.of(view, maxDegree0, WINDOW);
            int[] newId = LocalityOrder.inverse(order);
            float[][] centroids = store.traversalCentroids();
            if (centroids != null) {
                writer.adoptTraversalCentroids(centroids);
            }
            for (int node = 0; node < count; node++) {
                int old = order[node];
                int added =
                        writer.addNode(store.labelOf(old), view.levelOf(old), store.vectorOf(old));
                if (added != node) {
                    throw new IllegalStateException("node " + node + " was stored as " + added);
                }
                if (store.isDeleted(old)) {
                    writer.setDeleted(node, true);
                }
            }
            int[] ids = new int[maxDegree0 + 1];
            for (int node = 0; node < count; node++) {
                int old = order[node];
                for (int level = view.levelOf(old); level >= 0; level--) {
                    int n = view.neighbors(old, level, ids);
                    for (int i = 0; i < n; i++) {
                        ids[i] = newId[ids[i]];
                    }
                    graph.setNeighbors(node, level, ids, n);
                }
            }
            if (count > 0) {
                graph.setEntryPoint(newId[view.entryPoint()], view.maxLevel());
            }
            target.commit();
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private static IndexConfig configOf(HnswIndex source, IndexStore store) {
        return IndexConfig.builder(source.space(), source.dimension())
                .maxElements(source.getMaxElements())
                .m(source.m())
                .efConstruction(source.efConstruction())
                .randomSeed(source.randomSeed())
                .ef(store.committed().defaultEf())
                .allowReplaceDeleted(store.allowsReplaceDeleted())
                .int8Traversal(source.int8Traversal())
                .binaryTraversal(source.binaryTraversal())
                .int4Traversal(source.int4Traversal())
                .traversalRegions(source.traversalRegions())
                .build();
    }
}
