package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.HnswlibFiles;
import org.hnswmap.index.Space;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hnswmap import-hnswlib}: an index saved by hnswlib's {@code save_index} to hnswmap. */
@Command(
        name = "import-hnswlib",
        mixinStandardHelpOptions = true,
        description = {
            "Converts a file written by hnswlib's save_index (0.6-0.8) into an hnswmap index,"
                    + " keeping labels, levels, links and deleted marks: searches answer as"
                    + " hnswlib's do for the same ef.",
            "hnswlib does not store the space or the dimension: give them."
        })
final class ImportHnswlibCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "hnswlib index file.")
    Path file;

    @Option(names = "--space", required = true, description = "l2, ip or cosine.")
    String space;

    @Option(names = "--dim", required = true, description = "Vector dimension.")
    int dimension;

    @Option(
            names = {"-o", "--index"},
            required = true,
            paramLabel = "DIR",
            description = "Index folder to create.")
    Path index;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (HnswIndex imported =
                HnswlibFiles.importIndex(file, Space.parse(space), dimension, index)) {
            System.out.printf(
                    "imported %,d elements (%,d deleted, M %d, efConstruction %d) into %s in"
                            + " %.2f s%n",
                    imported.size(),
                    imported.getDeletedCount(),
                    imported.m(),
                    imported.efConstruction(),
                    index,
                    (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
