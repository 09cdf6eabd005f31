package org.hnswmap.graph;

import java.util.Arrays;

/**
 * A binary heap of (node, distance) pairs packed into longs, without per-element allocation. A
 * min-queue pops the nearest first; a max-queue pops the farthest first.
 *
 * <p>Each pair is one long: the high 32 bits are the distance mapped to an int that sorts like the
 * float, the low 32 bits the node id. Ties in distance order by node id.
 *
 * <p>Not thread-safe: one per searching thread.
 */
public final class NeighborQueue {

    private final boolean maxFirst;
    private long[] heap;
    private int size;

    public NeighborQueue(int initialCapacity, boolean maxFirst) {
        this.heap = new long[Math.max(4, initialCapacity) + 1];
        this.maxFirst = maxFirst;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public void push(int node, float distance) {
        long code = encode(node, distance);
        add(maxFirst ? ~code : code);
    }

    /**
     * Replaces the top with ({@code node}, {@code distance}): the same queue as {@link #push} then
     * {@link #pop} when the new pair sorts below the top, in one sift instead of two.
     */
    public void replaceTop(int node, float distance) {
        long code = encode(node, distance);
        heap[1] = maxFirst ? ~code : code;
        if (size > 1) {
            siftDown(1);
        }
    }

    /** The node at the top (nearest for a min-queue, farthest for a max-queue). */
    public int topNode() {
        return (int) decoded(heap[1]);
    }

    public float topDistance() {
        return decodeDistance(decoded(heap[1]));
    }

    /** Removes the top and returns its node. */
    public int pop() {
        long top = heap[1];
        heap[1] = heap[size];
        size--;
        if (size > 1) {
            siftDown(1);
        }
        return (int) decoded(top);
    }

    /** Node at heap position {@code i} in {@code [0, size)}, in no particular order. */
    public int nodeAt(int i) {
        return (int) decoded(heap[i + 1]);
    }

    /** Distance at heap position {@code i} in {@code [0, size)}, in no particular order. */
    public float distanceAt(int i) {
        return decodeDistance(decoded(heap[i + 1]));
    }

    /**
     * The {@code k} nearest pairs (a max-queue's last {@code k}) into {@code nodes} and {@code
     * distances}, nearest first; returns how many (the queue is left empty).
     */
    public int drainNearest(int k, int[] nodes, float[] distances) {
        while (size > k) {
            pop();
        }
        return drainAscending(nodes, distances);
    }

    /** Encoded pairs in ascending distance order (the heap is left empty). */
    public int drainAscending(int[] nodes, float[] distances) {
        int n = size;
        long[] codes = new long[n];
        for (int i = 0; i < n; i++) {
            codes[i] = decoded(heap[i + 1]);
        }
        Arrays.sort(codes);
        for (int i = 0; i < n; i++) {
            nodes[i] = (int) codes[i];
            distances[i] = decodeDistance(codes[i]);
        }
        size = 0;
        return n;
    }

    static long encode(int node, float distance) {
        int bits = Float.floatToIntBits(distance);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | (node & 0xffffffffL);
    }

    static float decodeDistance(long code) {
        int bits = (int) (code >>> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    private long decoded(long stored) {
        return maxFirst ? ~stored : stored;
    }

    private void add(long value) {
        if (size + 1 == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int i = ++size;
        while (i > 1) {
            int parent = i >>> 1;
            if (heap[parent] <= value) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
    }

    private void siftDown(int start) {
        long value = heap[start];
        int i = start;
        int half = size >>> 1;
        while (i <= half) {
            int child = i << 1;
            if (child < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= value) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }
}
