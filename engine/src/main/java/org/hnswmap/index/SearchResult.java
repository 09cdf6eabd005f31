package org.hnswmap.index;

/**
 * The answer to one query: user labels and their distances, nearest first. Fewer than {@code k}
 * entries when the index holds fewer matching elements.
 */
public record SearchResult(long[] labels, float[] distances) {

    public int size() {
        return labels.length;
    }
}
