package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hnswmap resize}: hnswlib's {@code resize_index} on an index folder. */
@Command(
        name = "resize",
        mixinStandardHelpOptions = true,
        description = {
            "Grows an index's capacity (maxElements) and commits; existing vectors and lists are"
                    + " not rewritten. Open readers pick the growth up on refresh.",
            "Needs the write lock: fails while another process writes the index."
        })
final class ResizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder.")
    Path index;

    @Parameters(index = "1", paramLabel = "MAX_ELEMENTS", description = "New capacity.")
    long maxElements;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (HnswIndex writer = HnswIndex.openForWrite(index)) {
            long before = writer.getMaxElements();
            writer.resizeIndex(maxElements);
            System.out.printf(
                    "%s: maxElements %,d -> %,d in %.1f ms, files %.1f MB%n",
                    index,
                    before,
                    writer.getMaxElements(),
                    (System.nanoTime() - start) / 1e6,
                    writer.fileSizeBytes() / 1e6);
        }
        return 0;
    }
}
