/**
 * hnswmap's engine: approximate nearest-neighbour search (HNSW) over memory-mapped index files.
 *
 * <p>Exported: the public API ({@code org.hnswmap.index}), its exceptions ({@code
 * org.hnswmap.error}) and the tools that the command line and the benchmarks build on ({@code
 * org.hnswmap.tools}: vector files, ground truth, recall, ef sweeps). The graph algorithm, the
 * storage layer and the distance kernels are internal: their classes may change in any release.
 *
 * <p>The SIMD kernels need {@code jdk.incubator.vector} at run time ({@code
 * --add-modules=jdk.incubator.vector}); without it the scalar kernels give the same answers.
 */
module org.hnswmap.engine {
    requires static jdk.incubator.vector;
    requires org.agrona;

    exports org.hnswmap.index;
    exports org.hnswmap.error;
    exports org.hnswmap.tools;
}
