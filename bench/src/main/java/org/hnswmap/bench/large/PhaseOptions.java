package org.hnswmap.bench.large;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the {@code run} commands of the large-index benches share, whichever engine they measure:
 * the data set folder, the memory left while searching, the target recall the ef is chosen for, the
 * report's concurrency, and the two phases (cached, then limited). A picocli mixin: its options are
 * those commands' own, so both engines are searched in the same memory by the same rules.
 */
final class PhaseOptions {

    @Option(names = "--dir", required = true)
    Path dir;

    @Option(
            names = "--budget-mib",
            description =
                    "memory left for the searcher JVM and the page cache (default: a quarter of"
                            + " the hnswmap index files plus --jvm-mib)")
    long budgetMib;

    @Option(
            names = "--jvm-mib",
            defaultValue = "1024",
            description = "the searcher JVM's own memory (-Xmx768m and the rest)")
    long jvmMib;

    @Option(names = "--concurrency", defaultValue = "32")
    int concurrency;

    @Option(names = "--target", defaultValue = "0.95")
    double target;

    @Option(names = "--skip-cached", defaultValue = "false")
    boolean skipCached;

    /** Bytes of the hnswmap index's files, which set the default budget of both engines. */
    long hnswmapFilesBytes() throws java.io.IOException {
        return MemoryHold.filesBytes(dir.resolve("index"));
    }

    /** The memory left while searching, in MiB, for an index of {@code indexBytes}. */
    long budget(long indexBytes) {
        return MemoryHold.budgetMib(indexBytes, budgetMib, jvmMib);
    }

    /**
     * Runs {@code phase} with the files of {@code cached} read into the page cache first (unless
     * {@code --skip-cached}), then again with all but {@code budget} MiB of memory held.
     */
    void cachedThenLimited(Path cached, long budget, MemoryHold.Phase phase) throws Exception {
        if (!skipCached) {
            System.out.println("== cached");
            SearchChild.readThrough(cached);
            phase.run();
        }
        System.out.println("== limited");
        MemoryHold.leaving(budget, phase);
    }
}
