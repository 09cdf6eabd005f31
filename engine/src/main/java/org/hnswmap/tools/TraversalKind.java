package org.hnswmap.tools;

import java.util.Locale;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;

/**
 * How an index's searches walk the graph: float32 rows, an int8 copy, a 4-bit copy, or one-bit
 * codes.
 */
public enum TraversalKind {
    FLOAT32,
    INT8,
    INT4,
    BINARY;

    /** The kind of an existing index. */
    public static TraversalKind of(HnswIndex index) {
        return index.int8Traversal()
                ? INT8
                : index.int4Traversal() ? INT4 : index.binaryTraversal() ? BINARY : FLOAT32;
    }

    /** Parses {@code float32}, {@code int8}, {@code int4} or {@code binary} (any case). */
    public static TraversalKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalParameterException(
                    "traversal must be float32, int8, int4 or binary, not '" + name + "'");
        }
    }

    /** Sets this kind on {@code builder}. */
    public IndexConfig.Builder configure(IndexConfig.Builder builder) {
        return builder.int8Traversal(this == INT8)
                .int4Traversal(this == INT4)
                .binaryTraversal(this == BINARY);
    }

    /** Lower-case name, as {@link #parse} reads it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
