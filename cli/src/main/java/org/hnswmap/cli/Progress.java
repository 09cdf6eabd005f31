package org.hnswmap.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr with rate and ETA (me.tongfei progressbar), or nothing when quiet. Not
 * thread-safe: step it from one thread. Close it to print the final state.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar, unless {@code quiet} or standard error is not a terminal (logs, pipes, CI). */
    static Progress start(boolean quiet, String task, long total, String unit) {
        java.io.Console console = System.console();
        if (quiet || console == null || !console.isTerminal()) {
            return new Progress(null);
        }
        ProgressBar bar =
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" " + unit, 1)
                        .showSpeed()
                        .setUpdateIntervalMillis(250)
                        .setMaxRenderedLength(110)
                        .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                        .setEtaFunction(
                                state ->
                                        java.util.Optional.of(
                                                state.getCurrent() == 0
                                                        ? Duration.ZERO
                                                        : state.getElapsedAfterStart()
                                                                .multipliedBy(
                                                                        state.getMax()
                                                                                - state
                                                                                        .getCurrent())
                                                                .dividedBy(state.getCurrent())))
                        .build();
        return new Progress(bar);
    }

    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
