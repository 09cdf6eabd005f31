package org.hnswmap.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.hnswmap.error.IllegalParameterException;

/**
 * Runs {@code body(i)} for {@code i} in {@code [0, count)} on several workers, each taking the next
 * index (hnswlib's {@code ParallelFor}): on threads of its own, or as tasks of the caller's {@link
 * ExecutorService}. The first failure stops the others from taking new work and is rethrown in the
 * caller. With one thread, runs in the caller's thread, in order.
 */
final class ParallelFor {

    private ParallelFor() {}

    /** Where a batch's work runs: the caller's choice of a thread count or an executor. */
    @FunctionalInterface
    interface Workers {
        void run(int count, IntConsumer body);
    }

    /** On {@code threads} threads of this class's own (1: in the caller's thread). */
    static Workers threads(int threads) {
        return (count, body) -> run(count, threads, body);
    }

    /** On tasks of the caller's {@code executor}. */
    static Workers on(ExecutorService executor) {
        if (executor == null) {
            throw new IllegalParameterException("executor is null");
        }
        return (count, body) -> run(count, executor, body);
    }

    /**
     * Resolves hnswlib's convention: -1 means {@code defaultThreads} (what {@code set_num_threads}
     * set, every core unless changed).
     */
    static int resolveThreads(int numThreads, int defaultThreads) {
        if (numThreads == -1) {
            return defaultThreads;
        }
        return checkThreads(numThreads);
    }

    static int checkThreads(int numThreads) {
        if (numThreads < 1) {
            throw new IllegalParameterException(
                    "numThreads must be at least 1, or -1 for the default, not " + numThreads);
        }
        return numThreads;
    }

    static int everyCore() {
        return Runtime.getRuntime().availableProcessors();
    }

    static void run(int count, int threads, IntConsumer body) {
        if (threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        Work work = new Work(count, body);
        Thread[] pool = new Thread[Math.min(threads, count)];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = Thread.ofPlatform().name("hnswmap-worker-" + t).start(work::drain);
        }
        for (Thread thread : pool) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                work.fail(e);
            }
        }
        work.rethrow();
    }

    /**
     * As {@link #run(int, int, IntConsumer)} on the tasks of {@code executor}: as many tasks as the
     * executor has threads when it says (a {@link ThreadPoolExecutor}), else one per core; each
     * takes indexes until none is left, so more tasks than threads only cost a few empty tasks.
     */
    private static void run(int count, ExecutorService executor, IntConsumer body) {
        if (count == 0) {
            return;
        }
        int tasks =
                Math.min(
                        count,
                        executor instanceof ThreadPoolExecutor pool
                                ? Math.max(1, Math.min(pool.getMaximumPoolSize(), 1024))
                                : everyCore());
        Work work = new Work(count, body);
        List<Future<?>> futures = new ArrayList<>(tasks);
        try {
            for (int t = 0; t < tasks; t++) {
                futures.add(executor.submit(work::drain));
            }
        } catch (RejectedExecutionException e) {
            work.fail(
                    new IllegalParameterException(
                            "the executor refused the work (shut down?): " + e.getMessage(), e));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                work.fail(e);
                futures.forEach(f -> f.cancel(false));
                break;
            } catch (ExecutionException e) {
                work.fail(e.getCause());
            }
        }
        work.rethrow();
    }

    /** The indexes left and the first failure, shared by the workers of one run. */
    private static final class Work {
        private final int count;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Work(int count, IntConsumer body) {
            this.count = count;
            this.body = body;
        }

        void drain() {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    fail(t);
                }
            }
        }

        void fail(Throwable t) {
            failure.compareAndSet(null, t);
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
