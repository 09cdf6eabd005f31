package org.hnswmap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.cli.FailureHandler.UsageException;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.tools.IndexBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hnswmap build}: an index from a vector file. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Builds an index from a vector file (.fvecs, .bvecs, .npy float32, or an MNIST/"
                    + "Fashion-MNIST idx3-ubyte[.gz] file) and commits it.",
            "Labels are row numbers unless --labels names a file (.npy int64/int32, or text with"
                    + " one integer per line)."
        })
final class BuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATA", description = "Vector file.")
    Path data;

    @Option(
            names = {"-o", "--index"},
            required = true,
            paramLabel = "DIR",
            description = "Index folder to create (must not hold an index yet).")
    Path index;

    @Option(names = "--labels", paramLabel = "FILE", description = "One label per vector.")
    Path labels;

    @Option(
            names = "--space",
            defaultValue = "l2",
            description = "l2, ip or cosine (default: ${DEFAULT-VALUE}).")
    String space;

    @Option(names = "--m", defaultValue = "16", description = "M (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(
            names = "--ef-construction",
            defaultValue = "200",
            description = "efConstruction (default: ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(
            names = "--ef",
            defaultValue = "10",
            description = "Default query ef stored in the index (default: ${DEFAULT-VALUE}).")
    int ef;

    @Option(
            names = "--max-elements",
            paramLabel = "N",
            description = "Capacity (default: the number of vectors).")
    Long maxElements;

    @Option(names = "--seed", defaultValue = "100", description = "Level seed (default: 100).")
    long seed;

    @Option(
            names = "--int8",
            description =
                    "Keep an int8 copy of the vectors (vectors.i8, +1/4 disk) that searches walk"
                            + " the graph with; results are re-ranked in float32.")
    boolean int8;

    @Option(
            names = "--binary",
            description =
                    "Keep a one-bit copy of the vectors (vectors.b1, RaBitQ codes, 112 bytes a"
                            + " row at 784-d) that searches walk the graph with; results are"
                            + " re-ranked in float32. For high-dimensional data; not with --int8.")
    boolean binary;

    @Option(
            names = "--int4",
            description =
                    "Keep a 4-bit copy of the vectors (vectors.i4, +1/8 disk) that searches walk"
                            + " the graph with; results are re-ranked in float32. Faster than"
                            + " --int8 where the rows outgrow the CPU caches; on tightly clustered"
                            + " data it needs a much larger ef (hnswmap tune --traversal shows it).")
    boolean int4;

    @Option(
            names = "--regions",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "With --int8 or --int4: encode each row as its residual to the nearest of N"
                            + " k-means centroids of the data (256 is a good start): on clustered"
                            + " data 4-bit rows then keep the recall of int8 ones (default: 0, no"
                            + " regions).")
    int regions;

    @Option(
            names = "--clustered-inserts",
            description =
                    "Insert a random tenth of the rows first, then the rest grouped by region:"
                            + " much faster builds on data with structure (clusters, classes,"
                            + " embeddings), nothing gained on uniform random data.")
    boolean clusteredInserts;

    @Option(
            names = "--reorder",
            description =
                    "Then renumber the nodes so that graph neighbours sit next to each other in"
                            + " the files (as hnswmap reorder does): faster searches once the"
                            + " vectors outgrow the CPU caches. The graph is built in DIR.unordered,"
                            + " copied into DIR, and that folder removed.")
    boolean reorder;

    @Mixin ThreadsOption threadsOption;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(index.resolve("index.meta"))) {
            throw new UsageException(index + ": already holds an index; choose another folder");
        }
        Path built = IndexBuilder.unorderedSibling(index);
        if (reorder && Files.exists(built)) {
            throw new UsageException(
                    built + ": exists (left by an interrupted build --reorder?); remove it first");
        }
        float[][] vectors = Inputs.vectors(data, "data");
        long[] rowLabels = Inputs.labels(labels, vectors.length);
        IndexConfig config =
                IndexConfig.builder(Space.parse(space), vectors[0].length)
                        .maxElements(maxElements != null ? maxElements : vectors.length)
                        .m(m)
                        .efConstruction(efConstruction)
                        .randomSeed(seed)
                        .ef(ef)
                        .int8Traversal(int8)
                        .binaryTraversal(binary)
                        .int4Traversal(int4)
                        .traversalRegions(regions)
                        .build();
        System.out.printf(
                "building %s: %,d vectors of dimension %d, %s, M %d, efConstruction %d%n",
                index, vectors.length, vectors[0].length, config.space(), m, efConstruction);
        IndexBuilder.BuildStats stats;
        try (Progress bar = Progress.start(common.quiet, "build", vectors.length, "vectors")) {
            stats =
                    IndexBuilder.build(
                            index,
                            config,
                            vectors,
                            rowLabels,
                            IndexBuilder.Options.threads(threadsOption.threads)
                                    .withClusteredInserts(clusteredInserts)
                                    .withReorder(reorder),
                            bar::stepTo);
        }
        double insertSeconds = stats.seconds() - stats.reorderSeconds();
        System.out.printf(
                "built %,d elements in %.2f s (%,.0f inserts/s), files %.1f MB%n",
                stats.elements(),
                insertSeconds,
                stats.elements() / insertSeconds,
                stats.fileBytes() / 1e6);
        if (reorder) {
            System.out.printf(
                    "reordered %,d elements into %s in %.2f s%n",
                    stats.elements(), index, stats.reorderSeconds());
        }
        return 0;
    }
}
