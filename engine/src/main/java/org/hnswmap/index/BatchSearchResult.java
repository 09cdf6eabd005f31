package org.hnswmap.index;

/**
 * The answers to a batch of queries, row {@code i} for query {@code i}, like hnswlib's {@code
 * knn_query} arrays. A row is shorter than {@code k} when the index holds fewer elements.
 */
public record BatchSearchResult(long[][] labels, float[][] distances) {

    public int size() {
        return labels.length;
    }

    public SearchResult get(int query) {
        return new SearchResult(labels[query], distances[query]);
    }
}
