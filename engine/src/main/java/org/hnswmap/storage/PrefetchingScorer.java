package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import org.hnswmap.graph.NodeScorer;

/**
 * A scorer over fixed-stride mapped rows whose {@link #distances} first puts the cache misses of
 * every row it will score in flight together, then scores them. Rows of up to {@link
 * #PREFETCH_MAX_LINES} lines it prefetches with the engine's prefetch library ({@link
 * NativePrefetch}) where that is loaded: the instructions retire at once and the scoring runs under
 * the misses. Otherwise (pure Java has no prefetch instruction) it loads some cache lines of every
 * row, plain loads that each wait in the reorder window until their line arrives. How many lines
 * pay off depends on the row size (measured in bench/RESULTS.md): for 3,136-byte float32 rows two
 * (the first and the middle one; more lines were slower; none when the rows in use fit the caches,
 * see {@link MappedVectors#TOUCH_ABOVE_BYTES}), for 832-byte int8 rows all 13, for 112-byte one-bit
 * rows every line they straddle, up to 3. The loaded values enter the result only as {@code (float)
 * bits * 0f}, which is zero, so the distances are bit-identical to {@link #distance}.
 *
 * <p>Immutable, so thread-safe. It captures the mapping current at its creation.
 */
abstract class PrefetchingScorer implements NodeScorer {

    private static final int CACHE_LINE_BYTES = 64;

    /**
     * Touch every cache line of the row: one load every 64 bytes from its start and, when the
     * stride is not a multiple of 64 (so rows straddle lines unevenly), one at its end.
     */
    static final int ALL_LINES = Integer.MAX_VALUE;

    final MemorySegment rows;
    final int stride;
    private final long firstRowOffset;
    private final long touchStep;
    private final int touchCount;
    private final boolean touchLast;

    /**
     * Rows of at most this many cache lines are prefetched ({@link NativePrefetch}), wider ones
     * touched: searches over 64- and 80-byte 4-bit rows answered up to 43 % more queries a second
     * with prefetches, over Fashion-MNIST's 416-byte ones fewer (bench/RESULTS.md, stop 38): a
     * batch's many prefetches queue where its loads would have waited their turn.
     */
    static final int PREFETCH_MAX_LINES = 2;

    /**
     * Lines from a row's start that {@link NativePrefetch#rows} prefetches (it adds the row's last
     * byte), or 0 when the row is touched instead (or, with {@code touchCount} 0, left alone).
     */
    private final int prefetchLines;

    /**
     * Whether a batch asks the OS for its rows' pages before scoring ({@link
     * MemoryAdvice#willNeed}): rows of a file larger than memory, so their disk reads overlap.
     */
    private final boolean requestPages;

    /**
     * @param touchedLines how many evenly spaced cache lines of a row {@link #distances} loads
     *     first (0: none), or {@link #ALL_LINES}
     */
    PrefetchingScorer(MemorySegment rows, int stride, long firstRowOffset, int touchedLines) {
        this(rows, stride, firstRowOffset, touchedLines, false);
    }

    /**
     * @param requestPages cold rows (a file larger than memory): each batch asks the OS for all its
     *     rows' pages at once before scoring, so their reads are in flight together instead of one
     *     fault at a time
     */
    PrefetchingScorer(
            MemorySegment rows,
            int stride,
            long firstRowOffset,
            int touchedLines,
            boolean requestPages) {
        this.requestPages = requestPages;
        this.rows = rows;
        this.stride = stride;
        this.firstRowOffset = firstRowOffset;
        if (touchedLines == ALL_LINES) {
            // one load every 64 bytes from the row's start and one at its end: a row whose stride
            // is not a multiple of 64 (112-byte one-bit rows) can straddle one more line
            this.touchCount = (stride - Integer.BYTES) / CACHE_LINE_BYTES + 1; // loads inside
            this.touchStep = CACHE_LINE_BYTES;
            this.touchLast = stride % CACHE_LINE_BYTES != 0;
        } else {
            int linesPerRow = Math.max(1, stride / CACHE_LINE_BYTES);
            this.touchCount = Math.min(touchedLines, linesPerRow);
            this.touchStep = (long) (linesPerRow / Math.max(1, touchCount)) * CACHE_LINE_BYTES;
            this.touchLast = false;
        }
        // only rows that would be touched are prefetched, so a scorer that touches nothing (rows
        // in the caches) never loads the library
        int lines = (stride + CACHE_LINE_BYTES - 1) / CACHE_LINE_BYTES;
        this.prefetchLines =
                touchCount > 0 && lines <= PREFETCH_MAX_LINES && NativePrefetch.available()
                        ? lines
                        : 0;
    }

    /** Byte offset of {@code node}'s row. */
    final long rowOffset(int node) {
        return firstRowOffset + (long) node * stride;
    }

    @Override
    public final void distances(int[] nodes, int count, float[] out) {
        if (requestPages) {
            for (int i = 0; i < count; i++) {
                MemoryAdvice.willNeed(rows, rowOffset(nodes[i]), stride);
            }
        }
        int touched = 0;
        if (prefetchLines > 0) {
            NativePrefetch.rows(rows, firstRowOffset, stride, nodes, count, prefetchLines);
        } else {
            for (int i = 0; i < count; i++) {
                long at = rowOffset(nodes[i]);
                for (int line = 0; line < touchCount; line++) {
                    touched ^= rows.get(FilePreamble.INT, at + line * touchStep);
                }
                if (touchLast) {
                    touched ^= rows.get(FilePreamble.INT, at + stride - Integer.BYTES);
                }
            }
        }
        float zero = (float) touched * 0f; // keeps the loads; finite, so 0 or -0
        score(nodes, count, out);
        for (int i = 0; i < count; i++) {
            out[i] += zero;
        }
    }

    /**
     * Scores {@code nodes[0..count)} into {@code out[0..count)}, each equal to {@link #distance}.
     * Subclasses may score several rows at once.
     */
    void score(int[] nodes, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(nodes[i]);
        }
    }
}
