package org.hnswmap.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.hnswmap.error.HnswmapException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one line on stderr, {@code hnswmap <command>: <message>}, and exit code 1;
 * the stack trace only with {@code --verbose}. Expected failures (bad files, engine errors, bad
 * arguments found late) print their message alone; anything else also names its class.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        CommandLine leaf = cli;
        boolean verbose = false;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            verbose |= p.hasMatchedOption("--verbose");
            leaf = p.commandSpec().commandLine();
        }
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        cli.getErr().println(leaf.getCommandSpec().qualifiedName() + ": " + describe(cause));
        if (verbose) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return e instanceof UsageException ? 2 : 1;
    }

    private static String describe(Throwable t) {
        boolean expected =
                t instanceof HnswmapException
                        || t instanceof IOException
                        || t instanceof UsageException
                        || t instanceof IllegalArgumentException;
        String message = t.getMessage() == null ? "" : t.getMessage();
        return expected ? message : t.getClass().getSimpleName() + ": " + message;
    }

    /** Arguments that parse but do not fit together (exit code 2). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
