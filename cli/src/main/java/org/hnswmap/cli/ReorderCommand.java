package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.LocalityReorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hnswmap reorder}: a copy of an index with node ids renumbered for memory locality. */
@Command(
        name = "reorder",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a copy of an index (its committed state) whose nodes are renumbered so that"
                    + " graph neighbours sit next to each other in the files: the same labels,"
                    + " vectors, links and answers, searched faster once the vectors outgrow the"
                    + " CPU caches. Run it once a build is complete, before serving.",
        })
final class ReorderCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder to read.")
    Path source;

    @Option(
            names = {"-o", "--index"},
            required = true,
            paramLabel = "DIR",
            description = "Index folder to create.")
    Path target;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (HnswIndex from = HnswIndex.open(source);
                HnswIndex copy = LocalityReorder.copy(from, target)) {
            System.out.printf(
                    "reordered %,d elements of %s into %s in %.2f s%n",
                    copy.size(), source, target, (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
