package org.hnswmap.cli;

import picocli.CommandLine.Command;

/** The top-level {@code hnswmap} command; does nothing but list its subcommands. */
@Command(
        name = "hnswmap",
        mixinStandardHelpOptions = true,
        version = "hnswmap 0.1.0",
        description = "Approximate nearest-neighbour search (HNSW) over memory-mapped files.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {
            "",
            "The ./hnswmap launcher also runs the benchmarks of bench/: ./hnswmap bench"
                    + " [--data fashion|uniform:N] [--systems hnswmap,hnswmap-int8,hnswmap-b1,hnswlib,lucene,"
                    + "jvector,hnswlib-java] [--efs LIST] [--build-threads LIST] [--out DIR]"
        },
        subcommands = {
            BuildCommand.class,
            QueryCommand.class,
            InfoCommand.class,
            VerifyCommand.class,
            ResizeCommand.class,
            ImportHnswlibCommand.class,
            ExportHnswlibCommand.class,
            ReorderCommand.class,
            GroundTruthCommand.class,
            TuneCommand.class,
            DemoCommand.class
        })
final class HnswmapCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
