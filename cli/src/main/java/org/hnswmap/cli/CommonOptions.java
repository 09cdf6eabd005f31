package org.hnswmap.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {

    @Option(
            names = "--verbose",
            description = "Print the stack trace of a failure.",
            scope = picocli.CommandLine.ScopeType.LOCAL)
    boolean verbose;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;
}
