package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hnswmap info}: what an index holds and how it was built. Opens it read-only, in O(1). */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Shows an index's parameters, counts, file sizes and the kernel in use.")
final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder.")
    Path index;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        try (HnswIndex idx = HnswIndex.open(index)) {
            Map<String, Object> fields = describe(idx);
            System.out.println(json ? toJson(fields) : toText(fields));
        }
        return 0;
    }

    static Map<String, Object> describe(HnswIndex idx) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("index", idx.directory().toString());
        f.put("format_version", idx.formatVersion());
        f.put("space", idx.space().name().toLowerCase(java.util.Locale.ROOT));
        f.put("dimension", idx.dimension());
        f.put("elements", idx.size());
        f.put("deleted", idx.getDeletedCount());
        f.put("max_elements", idx.getMaxElements());
        f.put("m", idx.m());
        f.put("ef_construction", idx.efConstruction());
        f.put("default_ef", idx.getEf());
        f.put("random_seed", idx.randomSeed());
        f.put("commit_generation", idx.commitGeneration());
        f.put("int8_traversal", idx.int8Traversal());
        f.put("binary_traversal", idx.binaryTraversal());
        f.put("int4_traversal", idx.int4Traversal());
        f.put("traversal_regions", idx.traversalRegions());
        f.put("kernel", idx.kernelName());
        f.put("prefetch", idx.prefetchName());
        f.put("file_bytes", idx.fileSizeBytes());
        idx.fileSizes().forEach((name, bytes) -> f.put("file " + name, bytes));
        return f;
    }

    private static String toText(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach(
                (k, v) -> {
                    String value =
                            v instanceof Long l && (k.startsWith("file")) ? bytes(l) : v.toString();
                    b.append(String.format("%-20s %s%n", k.replace('_', ' '), value));
                });
        return b.toString().stripTrailing();
    }

    private static String bytes(long n) {
        return String.format("%,d bytes (%.1f MB)", n, n / 1e6);
    }

    private static String toJson(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder("{");
        Map<String, Long> files = new LinkedHashMap<>();
        fields.forEach(
                (k, v) -> {
                    if (k.startsWith("file ")) {
                        files.put(k.substring(5), (Long) v);
                        return;
                    }
                    b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":");
                    b.append(
                            v instanceof String s
                                    ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'
                                    : v);
                });
        b.append(",\"files\":{");
        int i = 0;
        for (var e : files.entrySet()) {
            b.append(i++ > 0 ? "," : "")
                    .append('"')
                    .append(e.getKey())
                    .append("\":")
                    .append(e.getValue());
        }
        return b.append("}}").toString();
    }
}
