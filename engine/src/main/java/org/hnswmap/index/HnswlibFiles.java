package org.hnswmap.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.MutableGraph;
import org.hnswmap.storage.IndexStore;
import org.hnswmap.storage.StoreWriter;

/**
 * Index files of hnswlib's {@code save_index} (versions 0.6 to 0.8 share the layout), both ways.
 * hnswlib does not store the space or the dimension: the caller names them, and the dimension is
 * checked against the record size.
 *
 * <p>Layout: a 96-byte little-endian header (see {@link HnswlibHeader}); {@code curElementCount}
 * level-0 records of {@code sizeDataPerElement} bytes: a u32 whose low 16 bits are the neighbour
 * count and whose bit 16 is the deleted mark, {@code maxM0} u32 neighbour ids, the vector (float32,
 * normalized for cosine), the label (u64); then per element a u32 byte length of its upper lists
 * followed by {@code level} lists of a u32 count and {@code maxM} ids.
 *
 * <p>Every field is checked before it sizes anything, so a malformed file (hnswlib itself overflows
 * the heap on some, hnswlib#677) gets a {@link CorruptIndexException} naming the field. Stateless.
 */
public final class HnswlibFiles {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int DELETED_BIT = 1 << 16;

    private HnswlibFiles() {}

    /**
     * Creates an hnswmap index in {@code directory} holding exactly the graph of {@code
     * hnswlibFile}: labels, levels, links, entry point and deleted marks (so searches with the same
     * ef visit the same nodes), commits it and returns it open for writing.
     */
    public static HnswIndex importIndex(
            Path hnswlibFile, Space space, int dimension, Path directory) {
        HnswlibHeader h = readHeader(hnswlibFile, dimension);
        int[][][] upper = readUpperLists(hnswlibFile, h);
        IndexConfig config =
                IndexConfig.builder(space, dimension)
                        .maxElements(Math.max(1, h.maxElements()))
                        .m(h.m())
                        .efConstruction(h.efConstruction())
                        .build();
        HnswIndex index = HnswIndex.create(directory, config);
        try {
            copyLevel0(hnswlibFile, h, upper, index.writer());
            MutableGraph graph = index.writer().builderGraph();
            for (int node = 0; node < h.count(); node++) {
                for (int level = 1; level < upper[node].length + 1; level++) {
                    int[] list = upper[node][level - 1];
                    graph.setNeighbors(node, level, list, list.length);
                }
            }
            if (h.count() > 0) {
                graph.setEntryPoint(h.entryPoint(), h.maxLevel());
            }
            index.commit();
            return index;
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /**
     * Writes {@code index} (its committed state for a reader, its current state for the writer) in
     * hnswlib's layout, readable by {@code hnswlib.Index.load_index}. An index holding slots
     * retired by updates cannot be written: hnswlib has no place for a second node under a label.
     */
    public static void exportIndex(HnswIndex index, Path hnswlibFile) {
        IndexStore store = index.store();
        GraphView view = store.searchView();
        index.requireNoReplacedSlots(view, "hnswlib's format has no place for them", "export");
        HnswlibHeader h = HnswlibHeader.of(store, view);
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(hnswlibFile), BUFFER_BYTES)) {
            out.write(h.toBytes());
            writeLevel0(out, h, store, view);
            writeUpperLists(out, h, store, view);
        } catch (IOException e) {
            throw new IndexIOException("cannot write " + hnswlibFile + ": " + e, e);
        }
    }

    private static HnswlibHeader readHeader(Path file, int dimension) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(HnswlibHeader.BYTES);
            return HnswlibHeader.parse(file, bytes, dimension, Files.size(file));
        } catch (IOException e) {
            throw new IndexIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Pass 1: the upper lists (after the level-0 block), checked; element i's levels 1..L. */
    private static int[][][] readUpperLists(Path file, HnswlibHeader h) {
        try (DataInputStream in = open(file)) {
            in.skipNBytes(HnswlibHeader.BYTES + (long) h.count() * h.sizeDataPerElement());
            int[][][] upper = new int[h.count()][][];
            byte[] list = new byte[h.sizeLinksPerElement()];
            ByteBuffer b = ByteBuffer.wrap(list).order(ByteOrder.LITTLE_ENDIAN);
            for (int node = 0; node < h.count(); node++) {
                long bytes = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                int level = h.levelOf(file, node, bytes);
                upper[node] = new int[level][];
                for (int l = 0; l < level; l++) {
                    in.readFully(list);
                    upper[node][l] = h.neighbours(file, node, l + 1, b, 0, h.maxM());
                }
            }
            if (in.read() != -1) {
                throw corrupt(file, "bytes after the last link list", "length");
            }
            return upper;
        } catch (EOFException e) {
            throw corrupt(file, "file ends inside the link lists", "length");
        } catch (IOException e) {
            throw new IndexIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Pass 2: level-0 records into the store, in id order so that node ids stay hnswlib's. */
    private static void copyLevel0(Path file, HnswlibHeader h, int[][][] upper, StoreWriter store) {
        MutableGraph graph = store.builderGraph();
        try (DataInputStream in = open(file)) {
            in.skipNBytes(HnswlibHeader.BYTES);
            byte[] record = new byte[h.sizeDataPerElement()];
            ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            float[] vector = new float[h.dimension()];
            for (int node = 0; node < h.count(); node++) {
                in.readFully(record);
                int header = b.getInt(0);
                int[] list = h.neighbours(file, node, 0, b, 0, h.maxM0());
                b.position(h.offsetData());
                b.asFloatBuffer().get(vector);
                long label = b.getLong(h.labelOffset());
                checkVector(file, node, vector);
                int added = store.addNode(label, upper[node].length, vector);
                if (added != node) {
                    throw new IllegalStateException("node " + node + " was stored as " + added);
                }
                graph.setNeighbors(node, 0, list, list.length);
                if ((header & DELETED_BIT) != 0) {
                    store.setDeleted(node, true);
                }
            }
        } catch (org.hnswmap.error.DuplicateLabelException e) {
            throw corrupt(file, e.getMessage(), "label");
        } catch (EOFException e) {
            throw corrupt(file, "file ends inside the level-0 records", "length");
        } catch (IOException e) {
            throw new IndexIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static void checkVector(Path file, int node, float[] vector) {
        for (float x : vector) {
            if (!Float.isFinite(x)) {
                throw corrupt(file, "element " + node + " has a non-finite component", "data");
            }
        }
    }

    private static void writeLevel0(
            OutputStream out, HnswlibHeader h, IndexStore store, GraphView view)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(h.sizeDataPerElement()).order(ByteOrder.LITTLE_ENDIAN);
        int[] ids = new int[h.maxM0() + 1];
        for (int node = 0; node < h.count(); node++) {
            b.clear();
            int n = view.neighbors(node, 0, ids);
            b.putInt(n | (store.isDeleted(node) ? DELETED_BIT : 0));
            for (int i = 0; i < h.maxM0(); i++) {
                b.putInt(i < n ? ids[i] : 0);
            }
            for (float x : store.vectorOf(node)) {
                b.putFloat(x);
            }
            b.putLong(store.labelOf(node));
            out.write(b.array());
        }
    }

    private static void writeUpperLists(
            OutputStream out, HnswlibHeader h, IndexStore store, GraphView view)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(h.sizeLinksPerElement()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        int[] ids = new int[h.maxM0() + 1];
        for (int node = 0; node < h.count(); node++) {
            int level = view.levelOf(node);
            size.clear();
            size.putInt(level * h.sizeLinksPerElement());
            out.write(size.array());
            for (int l = 1; l <= level; l++) {
                b.clear();
                int n = view.neighbors(node, l, ids);
                b.putInt(n);
                for (int i = 0; i < h.maxM(); i++) {
                    b.putInt(i < n ? ids[i] : 0);
                }
                out.write(b.array());
            }
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(
                new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES));
    }

    static CorruptIndexException corrupt(Path file, String problem, String field) {
        return new CorruptIndexException(
                file + ": not a valid hnswlib index: " + problem + " (field " + field + ")");
    }
}
