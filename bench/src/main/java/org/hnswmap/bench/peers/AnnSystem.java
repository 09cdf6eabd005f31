package org.hnswmap.bench.peers;

import java.nio.file.Path;
import org.hnswmap.tools.TraversalKind;

/**
 * One vector-search engine under the runner's protocol (L2, M 16, efConstruction 200): build from
 * rows whose labels are their row numbers, then answer single queries. Not thread-safe: the runner
 * drives one system at a time from one thread.
 */
public interface AnnSystem extends AutoCloseable {

    String name();

    /** Thread counts its build can use; the runner builds once per count. */
    int[] buildThreads(int[] requested);

    /** Builds (replacing any earlier build) in {@code dir}; returns the seconds taken. */
    double build(float[][] base, int threads, Path dir) throws Exception;

    /** Row numbers of the {@code k} nearest rows to {@code query}, searched with beam width ef. */
    long[] search(float[] query, int k, int ef) throws Exception;

    /** Bytes the built index takes on disk, or -1 when it lives only in the heap. */
    long indexBytes() throws Exception;

    @Override
    void close() throws Exception;

    /**
     * The system named {@code name}: hnswmap, hnswmap-int8, hnswmap-int4, hnswmap-b1, lucene,
     * hnswlib-java, jvector or hnswlib (C++, through FFM).
     */
    static AnnSystem named(String name) {
        TraversalKind traversal = HnswmapSystem.traversalNamed(name);
        if (traversal != null) {
            return new HnswmapSystem(traversal);
        }
        return switch (name) {
            case "lucene" -> new LuceneSystem();
            case "hnswlib-java" -> new HnswlibJavaSystem();
            case "hnswlib" -> new HnswlibCppSystem();
            case "jvector" -> new JvectorSystem();
            default ->
                    throw new IllegalArgumentException(
                            "unknown system "
                                    + name
                                    + " (hnswmap, hnswmap-int8, hnswmap-int4, hnswmap-b1, lucene, hnswlib-java,"
                                    + " jvector, hnswlib)");
        };
    }
}
