package org.hnswmap.cli;

import picocli.CommandLine.Option;

/** The {@code --threads} option of every command that runs in parallel (hnswlib's num_threads). */
final class ThreadsOption {

    @Option(
            names = {"-t", "--threads"},
            defaultValue = "-1",
            description = "Threads, -1 for every core (default: ${DEFAULT-VALUE}).")
    int threads;
}
