package org.hnswmap.index;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i} in {@code [0, count)} on {@code threads} threads, each taking
 * the next index (hnswlib's {@code ParallelFor}). The first failure stops the others from taking
 * new work and is rethrown in the caller. With one thread, runs in the caller's thread, in order.
 */
final class ParallelFor {

    private ParallelFor() {}

    /** Resolves hnswlib's convention: -1 means every core. */
    static int resolveThreads(int numThreads) {
        if (numThreads == -1) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (numThreads < 1) {
            throw new org.hnswmap.error.IllegalParameterException(
                    "numThreads must be at least 1, or -1 for every core, not " + numThreads);
        }
        return numThreads;
    }

    static void run(int count, int threads, IntConsumer body) {
        if (threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker =
                () -> {
                    int i;
                    while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                        try {
                            body.accept(i);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    }
                };
        Thread[] pool = new Thread[Math.min(threads, count)];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = Thread.ofPlatform().name("hnswmap-worker-" + t).start(worker);
        }
        for (Thread thread : pool) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
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
