package org.hnswmap.tools;

import java.util.Locale;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;

/**
 * How an index's searches walk the graph: float32 rows, an int8 copy, a 4-bit copy, or one-bit
 * codes; the int8 and 4-bit copies also with traversal regions ({@link #REGIONS} centroids, see
 * {@link IndexConfig.Builder#traversalRegions}).
 */
public enum TraversalKind {
    FLOAT32,
    INT8,
    INT4,
    BINARY,
    INT8_REGIONS,
    INT4_REGIONS;

    /** Centroids of the {@code -regions} kinds this configures (an index may have any count). */
    public static final int REGIONS = 256;

    /** The kind of an existing index. */
    public static TraversalKind of(HnswIndex index) {
        boolean regions = index.traversalRegions() > 0;
        return index.int8Traversal()
                ? (regions ? INT8_REGIONS : INT8)
                : index.int4Traversal()
                        ? (regions ? INT4_REGIONS : INT4)
                        : index.binaryTraversal() ? BINARY : FLOAT32;
    }

    /**
     * Parses {@code float32}, {@code int8}, {@code int4}, {@code binary}, {@code int8-regions} or
     * {@code int4-regions} (any case).
     */
    public static TraversalKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalParameterException(
                    "traversal must be float32, int8, int4, binary, int8-regions or int4-regions,"
                            + " not '"
                            + name
                            + "'");
        }
    }

    /** Sets this kind on {@code builder}. */
    public IndexConfig.Builder configure(IndexConfig.Builder builder) {
        return builder.int8Traversal(this == INT8 || this == INT8_REGIONS)
                .int4Traversal(this == INT4 || this == INT4_REGIONS)
                .binaryTraversal(this == BINARY)
                .traversalRegions(this == INT8_REGIONS || this == INT4_REGIONS ? REGIONS : 0);
    }

    /** Lower-case name, as {@link #parse} reads it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
