package org.hnswmap.storage;

/** File names inside an index directory (storage-format.md, "Files"). */
public final class IndexFileNames {

    public static final String META = "index.meta";
    public static final String VECTORS = "vectors.f32";
    public static final String LEVEL0 = "level0.adj";

    /** Second copies of the level-0 lists (indexes with {@code FLAG_LEVEL0_COPIES_APART}). */
    public static final String LEVEL0_ALT = "level0.alt";

    public static final String UPPER = "upper.adj";
    public static final String NODES = "nodes.rec";

    /** Present only in indexes created with int8 traversal. */
    public static final String QUANTIZED = "vectors.i8";

    /** Present only in indexes created with one-bit traversal. */
    public static final String BINARY = "vectors.b1";

    /** Present only in indexes created with 4-bit traversal. */
    public static final String INT4 = "vectors.i4";

    /** The label table is {@code labels-<labelSlotCount>.tab}: a resize writes a new one. */
    public static final String LABELS_PREFIX = "labels-";

    public static final String LABELS_SUFFIX = ".tab";
    public static final String WRITE_LOCK = "write.lock";
    public static final String MARKS_JOURNAL = "marks.jrn";

    private IndexFileNames() {}

    /** Name of the label table with {@code slotCount} slots. */
    public static String labels(int slotCount) {
        return LABELS_PREFIX + slotCount + LABELS_SUFFIX;
    }
}
