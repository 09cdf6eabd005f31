package org.hnswmap.index;

/**
 * What "distance" means, as in hnswlib: {@code L2} is the squared Euclidean distance, {@code IP} is
 * {@code 1 - dot}, {@code COSINE} is {@code 1 - cosine similarity} (vectors are normalized on
 * insert and query, and stored normalized).
 */
public enum Space {
    L2,
    IP,
    COSINE;

    /** Parses hnswlib's names ({@code "l2"}, {@code "ip"}, {@code "cosine"}), any case. */
    public static Space parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
