package org.hnswmap.index;

import java.nio.file.Path;
import org.hnswmap.testutil.RandomVectors;

/**
 * Run in a second JVM by {@link ReopenTest}: opens an index read-only, answers seeded queries and
 * prints the results in {@link #format}. Args: indexDir, queryCount, dim, querySeed, k, ef.
 */
public final class ChildProcessQuery {

    private ChildProcessQuery() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        float[][] queries =
                RandomVectors.uniform(
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        Long.parseLong(args[3]));
        try (HnswIndex index = HnswIndex.open(dir)) {
            BatchSearchResult result =
                    index.knnQuery(
                            queries, Integer.parseInt(args[4]), Integer.parseInt(args[5]), 1);
            System.out.print(format(result));
        }
    }

    /** One line per query: label/distance-bits pairs, exact to the bit. */
    static String format(BatchSearchResult result) {
        StringBuilder out = new StringBuilder();
        for (int q = 0; q < result.size(); q++) {
            for (int i = 0; i < result.labels()[q].length; i++) {
                out.append(result.labels()[q][i])
                        .append('/')
                        .append(Integer.toHexString(Float.floatToIntBits(result.distances()[q][i])))
                        .append(' ');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
