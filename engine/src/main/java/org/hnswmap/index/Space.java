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
    /**
     * The space named {@code name}, in any case ({@code l2}, {@code ip}, {@code cosine}, as hnswlib
     * names them).
     *
     * @throws org.hnswmap.error.IllegalParameterException naming the choices when it is none of
     *     them
     */
    public static Space parse(String name) {
        if (name != null) {
            for (Space space : values()) {
                if (space.name().equalsIgnoreCase(name.trim())) {
                    return space;
                }
            }
        }
        throw new org.hnswmap.error.IllegalParameterException(
                "space must be l2, ip or cosine, not "
                        + (name == null ? "null" : "'" + name + "'"));
    }
}
