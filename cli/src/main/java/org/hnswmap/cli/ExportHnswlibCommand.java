package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.HnswlibFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hnswmap export-hnswlib}: an hnswmap index as a file hnswlib's {@code load_index} reads.
 */
@Command(
        name = "export-hnswlib",
        mixinStandardHelpOptions = true,
        description =
                "Writes the committed state of an index in hnswlib's save_index layout (load it"
                        + " with hnswlib.Index(space, dim).load_index(FILE)).")
final class ExportHnswlibCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder.")
    Path index;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "FILE",
            description = "hnswlib file to write.")
    Path out;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        try (HnswIndex idx = HnswIndex.open(index)) {
            HnswlibFiles.exportIndex(idx, out);
            System.out.printf(
                    "wrote %,d elements to %s (hnswlib: Index('%s', %d).load_index)%n",
                    idx.size(),
                    out,
                    idx.space().name().toLowerCase(java.util.Locale.ROOT),
                    idx.dimension());
        }
        return 0;
    }
}
