package org.hnswmap.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.index.HnswIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hnswmap verify}: integrity and structure of the committed state. Exit code 0 when sound, 1
 * when damaged (every problem found is printed, at most 100), as for a file that fails to open.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks an index read-only: headers and checksums at open, then levels, neighbour ids"
                    + " and degrees, entry point, label table, deleted marks and vector values.",
            "Exit code 0 when sound, 1 when damaged."
        })
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index folder.")
    Path index;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        List<String> problems;
        int elements;
        long generation;
        try (HnswIndex idx = HnswIndex.open(index)) {
            problems = idx.verify();
            elements = idx.size();
            generation = idx.commitGeneration();
        } catch (CorruptIndexException e) {
            System.out.println("DAMAGED " + index + ": " + e.getMessage());
            return 1;
        }
        if (problems.isEmpty()) {
            System.out.printf(
                    "OK %s: %,d elements, commit generation %d%n", index, elements, generation);
            return 0;
        }
        System.out.printf("DAMAGED %s: %d problem(s)%n", index, problems.size());
        problems.forEach(p -> System.out.println("  " + p));
        return 1;
    }
}
