package org.hnswmap.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.hnswmap.graph.GraphView;
import org.hnswmap.storage.IndexStore;

/**
 * The 96-byte header of an hnswlib index file (little-endian), with the checks that make every
 * later read bounded. Immutable.
 *
 * <pre>
 *   0 u64 offsetLevel0 (0)          48 i32 maxLevel
 *   8 u64 maxElements               52 u32 entryPoint
 *  16 u64 curElementCount           56 u64 maxM (= M)
 *  24 u64 sizeDataPerElement        64 u64 maxM0 (= 2M)
 *  32 u64 labelOffset               72 u64 M
 *  40 u64 offsetData                80 f64 mult (1 / ln M)
 *                                   88 u64 efConstruction
 * </pre>
 */
record HnswlibHeader(
        long maxElements,
        int count,
        int maxLevel,
        int entryPoint,
        int m,
        int efConstruction,
        int dimension) {

    static final int BYTES = 96;
    private static final long MAX_ELEMENTS = 1L << 29;
    private static final int MAX_LEVEL = 30;

    int maxM() {
        return m;
    }

    int maxM0() {
        return 2 * m;
    }

    int sizeLinksLevel0() {
        return 4 + 4 * maxM0();
    }

    int sizeLinksPerElement() {
        return 4 + 4 * maxM();
    }

    int offsetData() {
        return sizeLinksLevel0();
    }

    int labelOffset() {
        return offsetData() + 4 * dimension;
    }

    int sizeDataPerElement() {
        return labelOffset() + 8;
    }

    /** Parses and checks the header against the caller's dimension and the file's length. */
    static HnswlibHeader parse(Path file, byte[] bytes, int dimension, long fileBytes) {
        if (bytes.length < BYTES) {
            throw HnswlibFiles.corrupt(file, "shorter than the 96-byte header", "length");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long offsetLevel0 = b.getLong(0);
        long maxElements = b.getLong(8);
        long count = b.getLong(16);
        long sizeData = b.getLong(24);
        long labelOffset = b.getLong(32);
        long offsetData = b.getLong(40);
        int maxLevel = b.getInt(48);
        int entryPoint = b.getInt(52);
        long maxM = b.getLong(56);
        long maxM0 = b.getLong(64);
        long m = b.getLong(72);
        long efConstruction = b.getLong(88);
        require(file, offsetLevel0 == 0, "offsetLevel0", offsetLevel0);
        require(file, maxElements >= 0 && maxElements <= MAX_ELEMENTS, "max_elements", maxElements);
        require(file, count >= 0 && count <= maxElements, "cur_element_count", count);
        require(file, m >= 2 && m <= 1024, "M", m);
        require(file, maxM == m, "maxM", maxM);
        require(file, maxM0 == 2 * m, "maxM0 (hnswmap keeps 2M on level 0)", maxM0);
        require(
                file,
                efConstruction >= 1 && efConstruction <= (1 << 20),
                "ef_construction",
                efConstruction);
        HnswlibHeader h =
                new HnswlibHeader(
                        maxElements,
                        (int) count,
                        maxLevel,
                        entryPoint,
                        (int) m,
                        (int) efConstruction,
                        dimension);
        require(file, offsetData == h.offsetData(), "offsetData", offsetData);
        if (sizeData != h.sizeDataPerElement() || labelOffset != h.labelOffset()) {
            throw HnswlibFiles.corrupt(
                    file,
                    String.format(
                            "records of %d bytes with the label at %d do not hold %d-d vectors"
                                    + " (expected %d and %d: is the dimension right?)",
                            sizeData,
                            labelOffset,
                            dimension,
                            h.sizeDataPerElement(),
                            h.labelOffset()),
                    "size_data_per_element");
        }
        long level0End = BYTES + count * sizeData;
        require(
                file,
                fileBytes >= level0End + 4 * count,
                "cur_element_count (file too short)",
                count);
        if (count > 0) {
            require(file, maxLevel >= 0 && maxLevel <= MAX_LEVEL, "maxlevel", maxLevel);
            require(file, entryPoint >= 0 && entryPoint < count, "enterpoint_node", entryPoint);
        }
        return h;
    }

    /** The header describing {@code store}'s state as seen through {@code view}. */
    static HnswlibHeader of(IndexStore store, GraphView view) {
        return new HnswlibHeader(
                store.capacity(),
                view.nodeBound(),
                view.nodeBound() == 0 ? -1 : view.maxLevel(),
                view.nodeBound() == 0 ? -1 : view.entryPoint(),
                store.config().m(),
                store.config().efConstruction(),
                store.config().dimension());
    }

    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(maxElements).putLong(count).putLong(sizeDataPerElement());
        b.putLong(labelOffset()).putLong(offsetData()).putInt(maxLevel).putInt(entryPoint);
        b.putLong(maxM()).putLong(maxM0()).putLong(m).putDouble(1.0 / Math.log(m));
        b.putLong(efConstruction);
        return b.array();
    }

    /** The level of element {@code node} from the byte length of its upper lists. */
    int levelOf(Path file, int node, long bytes) {
        if (bytes % sizeLinksPerElement() != 0 || bytes / sizeLinksPerElement() > maxLevel) {
            throw HnswlibFiles.corrupt(
                    file,
                    "element " + node + " has " + bytes + " bytes of upper lists",
                    "linkListSize");
        }
        return (int) (bytes / sizeLinksPerElement());
    }

    /** One list (count then ids) at {@code offset} of {@code b}, checked. */
    int[] neighbours(Path file, int node, int level, ByteBuffer b, int offset, int max) {
        int n = b.getInt(offset) & 0xffff;
        if (n > max) {
            throw HnswlibFiles.corrupt(
                    file,
                    "element "
                            + node
                            + " has "
                            + n
                            + " neighbours on level "
                            + level
                            + ", limit "
                            + max,
                    "linklist count");
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int id = b.getInt(offset + 4 + 4 * i);
            if (id < 0 || id >= count || id == node) {
                throw HnswlibFiles.corrupt(
                        file,
                        "element " + node + " links to " + id + " on level " + level,
                        "linklist id");
            }
            ids[i] = id;
        }
        return ids;
    }

    private static void require(Path file, boolean ok, String field, long value) {
        if (!ok) {
            throw HnswlibFiles.corrupt(file, "impossible value " + value, field);
        }
    }
}
