package org.hnswmap.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.HnswIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hnswmap query}: k nearest neighbours of each query, as CSV or JSON. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Searches an index (opened read-only) for the k nearest neighbours of each query.",
            "CSV: query,rank,label,distance (one row per neighbour). JSON: {\"k\":..,\"ef\":..,"
                    + "\"results\":[{\"labels\":[..],\"distances\":[..]},..]}. Distances are"
                    + " printed exactly (shortest text that reads back to the same float)."
        })
final class QueryCommand implements Callable<Integer> {

    enum Format {
        CSV,
        JSON
    }

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder.")
    Path index;

    @Option(
            names = {"-q", "--queries"},
            required = true,
            paramLabel = "FILE",
            description = "Query vectors (.fvecs, .bvecs, .npy, idx3-ubyte).")
    Path queries;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours (default: 10).")
    int k;

    @Option(names = "--ef", description = "Search ef (default: the index's stored ef, >= k).")
    Integer ef;

    @Option(
            names = "--format",
            defaultValue = "csv",
            description = "csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE",
            description = "Output file (default: standard output).")
    Path out;

    @Mixin ThreadsOption threadsOption;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (HnswIndex idx = HnswIndex.open(index)) {
            float[][] q = Inputs.queries(queries, idx.dimension(), "the index");
            int searchEf = ef != null ? ef : Math.max(idx.getEf(), k);
            BatchSearchResult r = idx.knnQuery(q, k, searchEf, threadsOption.threads);
            Writer w =
                    out == null
                            ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                            : Files.newBufferedWriter(out);
            BufferedWriter writer = new BufferedWriter(w, 1 << 16);
            try {
                if (format == Format.CSV) {
                    writeCsv(writer, r);
                } else {
                    writeJson(writer, r, searchEf);
                }
            } finally {
                if (out == null) {
                    writer.flush(); // standard output stays open
                } else {
                    writer.close();
                }
            }
        }
        return 0;
    }

    private static void writeCsv(Writer w, BatchSearchResult r) throws IOException {
        w.write("query,rank,label,distance\n");
        for (int q = 0; q < r.size(); q++) {
            for (int i = 0; i < r.labels()[q].length; i++) {
                w.write(q + "," + i + "," + r.labels()[q][i] + "," + r.distances()[q][i] + "\n");
            }
        }
    }

    private void writeJson(Writer w, BatchSearchResult r, int searchEf) throws IOException {
        w.write("{\"k\":" + k + ",\"ef\":" + searchEf + ",\"results\":[");
        for (int q = 0; q < r.size(); q++) {
            w.write(q == 0 ? "\n" : ",\n");
            w.write("{\"labels\":" + java.util.Arrays.toString(r.labels()[q]));
            StringBuilder d = new StringBuilder("[");
            for (int i = 0; i < r.distances()[q].length; i++) {
                d.append(i == 0 ? "" : ",").append(r.distances()[q][i]);
            }
            w.write(",\"distances\":" + d + "]}");
        }
        w.write("\n]}\n");
    }
}
