package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.cli.FailureHandler.UsageException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.Space;
import org.hnswmap.tools.GroundTruth;
import org.hnswmap.tools.QuerySet;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hnswmap groundtruth}: exact top-k by brute force (SIMD, multi-threaded) to .ivecs. */
@Command(
        name = "groundtruth",
        mixinStandardHelpOptions = true,
        description = {
            "Computes the exact k nearest neighbours of each query by brute force (SIMD kernels,"
                    + " every core) and writes them as .ivecs: one row of k labels per query.",
            "The base is a vector file (labels are row numbers) or an index (its labels)."
        })
final class GroundTruthCommand implements Callable<Integer> {

    static final class Base {
        @Option(names = "--base", paramLabel = "FILE", description = "Base vector file.")
        Path file;

        @Option(
                names = "--index",
                paramLabel = "DIR",
                description = "Index whose elements are the base.")
        Path index;
    }

    @ArgGroup(multiplicity = "1")
    Base base;

    @Option(
            names = {"-q", "--queries"},
            required = true,
            paramLabel = "FILE",
            description = "Query vectors.")
    Path queries;

    @Option(
            names = "-k",
            defaultValue = "100",
            description = "Neighbours per query (default: 100).")
    int k;

    @Option(
            names = "--space",
            defaultValue = "l2",
            description = "l2, ip or cosine, with --base (default: ${DEFAULT-VALUE}).")
    String space;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "FILE",
            description = "Output .ivecs file.")
    Path out;

    @Mixin ThreadsOption threadsOption;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new UsageException("-k must be at least 1");
        }
        long start = System.nanoTime();
        long[][] truth;
        int baseCount;
        if (base.file != null) {
            float[][] vectors = Inputs.vectors(base.file, "base");
            float[][] q = Inputs.queries(queries, vectors[0].length, base.file.toString());
            truth =
                    GroundTruth.compute(
                            Space.parse(space), vectors, null, q, k, threadsOption.threads);
            baseCount = vectors.length;
        } else {
            try (HnswIndex idx = HnswIndex.open(base.index)) {
                float[][] q = Inputs.queries(queries, idx.dimension(), "the index");
                truth = GroundTruth.compute(idx, QuerySet.of(q), k, threadsOption.threads);
                baseCount = idx.size();
            }
        }
        VectorFiles.writeIvecs(out, GroundTruth.toIvecs(truth));
        System.out.printf(
                "exact top-%d of %,d queries over %,d vectors in %.2f s -> %s%n",
                k, truth.length, baseCount, (System.nanoTime() - start) / 1e9, out);
        return 0;
    }
}
