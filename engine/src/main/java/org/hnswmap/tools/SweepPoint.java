package org.hnswmap.tools;

/**
 * One measured ef: recall@k, single-thread sequential latency (mean, p50, p99 over every timed
 * query of every repeat, in microseconds), single-thread QPS (median, min and max over the repeats)
 * and multi-threaded throughput (NaN when measured with one thread only).
 */
public record SweepPoint(
        int ef,
        double recall,
        double qpsMedian,
        double qpsMin,
        double qpsMax,
        double meanMicros,
        double p50Micros,
        double p99Micros,
        double throughputQps,
        int throughputThreads) {}
