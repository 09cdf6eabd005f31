package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;

/**
 * A code format over residuals: each row encodes its vector minus the centroid of its region
 * ({@link Centroids}) with the codes and kernel of another format (int8 or 4-bit), scaled on its
 * own as that format's rows are. A residual spans much less than the vector where the data has
 * regions, so the same number of levels resolves neighbours inside a region apart.
 *
 * <p>The row header keeps 16 bytes: bias and scale, then the centroid's index and one float per
 * row, {@code 2 <c, r> + |r|^2} of the decoded residual {@code r}, so that a squared L2 estimate is
 * {@code |q - c|^2 + rowTerm - 2 <q, r>}; for inner products it is {@code 1 - <q, c> - <q, r>}.
 * {@code <q, r>} is the inner format's own code dot product; {@code |q - c|^2} or {@code <q, c>} is
 * computed once per centroid a search meets.
 *
 * <p>Not thread-safe: it holds the query of the search under way; one instance per searcher.
 */
final class ResidualCodes extends CodeFormat {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private final CodeFormat inner;
    private final Centroids regions;

    /** The query's term per centroid, NaN until a search first needs it. */
    private final float[] centroidTerms;

    private float[] query;

    ResidualCodes(CodeFormat inner, Centroids regions) {
        super(inner.codeMin, inner.codeMax - inner.codeMin + 1);
        this.inner = inner;
        this.regions = regions;
        this.centroidTerms = new float[regions.centroids.length];
    }

    @Override
    String name() {
        return inner.name() + " residual " + regions.centroids.length;
    }

    @Override
    int rowBytes(int dimension) {
        return inner.rowBytes(dimension);
    }

    @Override
    void store(MemorySegment rows, long codesAt, int component, int code) {
        inner.store(rows, codesAt, component, code);
    }

    @Override
    void prepare(float[] q) {
        query = q;
        inner.prepare(q);
        Arrays.fill(centroidTerms, Float.NaN);
    }

    @Override
    double codeDot(MemorySegment rows, long codesAt) {
        return inner.codeDot(rows, codesAt);
    }

    @Override
    double component(HnswlibGraph graph, int node, int i) {
        return super.component(graph, node, i)
                - (double) regions.centroids[regions.assignment[node]][i];
    }

    @Override
    void writeHeaderTail(
            MemorySegment rows, long at, int node, float bias, float scale, int[] codes) {
        int region = regions.assignment[node];
        float[] c = regions.centroids[region];
        double term = 0;
        for (int i = 0; i < codes.length; i++) {
            double r = bias + (double) scale * codes[i];
            term += 2 * c[i] * r + r * r;
        }
        rows.set(ProbeSearcher.INT, at + 8, region);
        rows.set(HnswlibGraph.FLOAT, at + 12, (float) term);
    }

    @Override
    float estimate(
            MemorySegment rows,
            long rowAt,
            MemorySegment codes,
            long codesAt,
            ProbeSearcher search) {
        double bias = rows.get(HnswlibGraph.FLOAT, rowAt);
        double scale = rows.get(HnswlibGraph.FLOAT, rowAt + 4);
        int region = rows.get(ProbeSearcher.INT, rowAt + 8);
        double queryResidual = bias * search.querySum + scale * codeDot(codes, codesAt);
        float centroidTerm = centroidTerms[region];
        if (Float.isNaN(centroidTerm)) {
            float[] c = regions.centroids[region];
            centroidTerm =
                    search.innerProduct ? KERNELS.dot(query, c) : KERNELS.squaredL2(query, c);
            centroidTerms[region] = centroidTerm;
        }
        if (search.innerProduct) {
            return (float) (1 - centroidTerm - queryResidual);
        }
        double rowTerm = rows.get(HnswlibGraph.FLOAT, rowAt + 12);
        return (float) Math.max(0, centroidTerm + rowTerm - 2 * queryResidual);
    }
}
