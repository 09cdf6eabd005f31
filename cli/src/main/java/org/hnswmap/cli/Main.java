package org.hnswmap.cli;

import picocli.CommandLine;

/**
 * Entry point of the {@code hnswmap} command: runs one subcommand and exits with its code (0
 * success, 1 failure or problems found, 2 bad usage).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM (tests call this). */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HnswmapCommand());
        cli.setExecutionExceptionHandler(new FailureHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
