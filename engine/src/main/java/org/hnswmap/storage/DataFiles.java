package org.hnswmap.storage;

import static org.hnswmap.storage.FileHeaderDescriptor.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hnswmap.error.NotAnIndexException;

/**
 * The data files of an index (storage-format.md, section 1): created at full size for the capacity,
 * or opened and validated (preamble, index id, record stride, length). The owning {@link
 * IndexStore} closes them. {@code codes} is the traversal copy ({@code vectors.i8} or {@code
 * vectors.b1}), null unless the index has one. {@code level0Copies} holds {@code level0.alt} (the
 * level-0 lists' second copies) for an index whose flags put them apart, else null; the file itself
 * appears when first needed.
 */
record DataFiles(
        MappedFile vectors,
        MappedFile codes,
        MappedFile level0,
        SecondCopies level0Copies,
        MappedFile upper,
        MappedFile nodes,
        MappedFile labels,
        int labelSlotCount) {

    /** Every data file that exists now ({@code level0.alt} once created). */
    List<MappedFile> all() {
        List<MappedFile> all = new ArrayList<>(List.of(vectors));
        if (codes != null) {
            all.add(codes);
        }
        all.add(level0);
        MappedFile second = level0Copies == null ? null : level0Copies.fileOrNull();
        if (second != null) {
            all.add(second);
        }
        all.addAll(List.of(upper, nodes, labels));
        return all;
    }

    /** Closes every file, {@code level0.alt} (through its owner) included. */
    void closeAll() {
        if (level0Copies != null) {
            IndexStore.closeQuietly(level0Copies); // from now on all() leaves level0.alt out
        }
        for (MappedFile f : all()) {
            IndexStore.closeQuietly(f);
        }
    }

    static DataFiles create(Path dir, StoreConfig config, long capacity, int slots, long[] id) {
        List<MappedFile> created = new ArrayList<>();
        try {
            long upperReserve = (capacity / (config.m() - 1) + 64) * config.upperStride();
            MappedFile vectors =
                    newFile(
                            dir,
                            IndexFileNames.VECTORS,
                            KIND_VECTORS,
                            config.vectorStride(),
                            VectorsDescriptor.fileLength(capacity, config.vectorStride()),
                            id,
                            created);
            MappedFile codes =
                    config.traversalCodes()
                            ? newFile(
                                    dir,
                                    CodesFile.of(config).fileName,
                                    CodesFile.of(config).kind,
                                    config.codesStride(),
                                    CodesFile.of(config).fileLength(capacity, config),
                                    id,
                                    created)
                            : null;
            if (config.binaryTraversal()) {
                BinaryVectors.initializeHeader(codes.segment(), config.randomSeed());
            }
            MappedFile level0 =
                    newFile(
                            dir,
                            IndexFileNames.LEVEL0,
                            KIND_LEVEL0,
                            config.level0Stride(),
                            AdjacencyDescriptor.level0FileLength(capacity, config.level0Stride()),
                            id,
                            created);
            MappedFile upper =
                    newFile(
                            dir,
                            IndexFileNames.UPPER,
                            KIND_UPPER,
                            config.upperStride(),
                            AdjacencyDescriptor.UPPER_DATA_OFFSET + upperReserve,
                            id,
                            created);
            MappedFile nodes =
                    newFile(
                            dir,
                            IndexFileNames.NODES,
                            KIND_NODES,
                            NodeRecordDescriptor.RECORD_STRIDE,
                            NodeRecordDescriptor.fileLength(capacity),
                            id,
                            created);
            MappedFile labels = newLabelTable(dir, slots, id, created);
            SecondCopies level0Copies =
                    config.level0CopiesApart()
                            ? SecondCopies.none(dir, id, config.level0CopyStride(), capacity)
                            : null;
            return new DataFiles(vectors, codes, level0, level0Copies, upper, nodes, labels, slots);
        } catch (RuntimeException e) {
            created.forEach(MappedFile::close);
            throw e;
        }
    }

    /** A new, empty label table of {@code slots} slots (creation and resize). */
    static MappedFile newLabelTable(Path dir, int slots, long[] id, List<MappedFile> created) {
        return newFile(
                dir,
                IndexFileNames.labels(slots),
                KIND_LABELS,
                LabelTableDescriptor.SLOT_BYTES,
                LabelTableDescriptor.fileLength(slots),
                id,
                created);
    }

    /**
     * Opens the label table of {@code slots} slots (open and a reader's refresh after a resize).
     */
    static MappedFile openLabelTable(
            Path dir, int slots, long[] id, boolean writable, List<AutoCloseable> opened) {
        MappedFile file =
                openFile(
                        dir,
                        IndexFileNames.labels(slots),
                        KIND_LABELS,
                        LabelTableDescriptor.SLOT_BYTES,
                        id,
                        writable,
                        opened);
        ConfigValidator.checkLength(file, LabelTableDescriptor.fileLength(slots));
        return file;
    }

    /** The same files with another label table. */
    DataFiles withLabels(MappedFile table, int slots) {
        return new DataFiles(vectors, codes, level0, level0Copies, upper, nodes, table, slots);
    }

    private static MappedFile newFile(
            Path dir,
            String name,
            int kind,
            int stride,
            long length,
            long[] id,
            List<MappedFile> created) {
        MappedFile file = MappedFile.create(dir.resolve(name), length);
        created.add(file);
        FilePreamble.write(file.segment(), kind, id, PREAMBLE_LENGTH, stride);
        return file;
    }

    static DataFiles open(
            Path dir,
            MetaFile meta,
            CommitState state,
            boolean writable,
            List<AutoCloseable> opened) {
        StoreConfig c = meta.config();
        long[] id = meta.indexId();
        DataFiles files =
                new DataFiles(
                        openFile(
                                dir,
                                IndexFileNames.VECTORS,
                                KIND_VECTORS,
                                c.vectorStride(),
                                id,
                                writable,
                                opened),
                        c.traversalCodes()
                                ? openFile(
                                        dir,
                                        CodesFile.of(c).fileName,
                                        CodesFile.of(c).kind,
                                        c.codesStride(),
                                        id,
                                        writable,
                                        opened)
                                : null,
                        openFile(
                                dir,
                                IndexFileNames.LEVEL0,
                                KIND_LEVEL0,
                                c.level0Stride(),
                                id,
                                writable,
                                opened),
                        c.level0CopiesApart()
                                ? openSecondCopies(dir, c, id, writable, state, opened)
                                : null,
                        openFile(
                                dir,
                                IndexFileNames.UPPER,
                                KIND_UPPER,
                                c.upperStride(),
                                id,
                                writable,
                                opened),
                        openFile(
                                dir,
                                IndexFileNames.NODES,
                                KIND_NODES,
                                NodeRecordDescriptor.RECORD_STRIDE,
                                id,
                                writable,
                                opened),
                        openLabelTable(dir, state.labelSlotCount(), id, writable, opened),
                        state.labelSlotCount());
        files.checkLengths(c, state);
        return files;
    }

    private static SecondCopies openSecondCopies(
            Path dir,
            StoreConfig c,
            long[] id,
            boolean writable,
            CommitState state,
            List<AutoCloseable> opened) {
        SecondCopies copies =
                SecondCopies.open(dir, id, c.level0CopyStride(), writable, state.capacity());
        opened.add(copies);
        return copies;
    }

    private static MappedFile openFile(
            Path dir,
            String name,
            int kind,
            int stride,
            long[] id,
            boolean writable,
            List<AutoCloseable> opened) {
        Path path = dir.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new NotAnIndexException(dir + ": incomplete index, " + name + " is missing");
        }
        MappedFile file = MappedFile.open(path, writable);
        opened.add(file);
        file.mapWhole();
        FilePreamble.validate(file.segment(), path, kind);
        FilePreamble.checkBelongs(file.segment(), path, id, stride);
        return file;
    }

    /**
     * Checks that every file is long enough for what {@code s} commits (storage-format.md 11.6).
     */
    void checkLengths(StoreConfig c, CommitState s) {
        DataFiles files = this;
        ConfigValidator.checkLength(
                files.vectors(), VectorsDescriptor.fileLength(s.capacity(), c.vectorStride()));
        if (codes != null) {
            ConfigValidator.checkLength(codes, CodesFile.of(c).fileLength(s.capacity(), c));
        }
        ConfigValidator.checkLength(
                files.level0(),
                AdjacencyDescriptor.level0FileLength(s.capacity(), c.level0Stride()));
        MappedFile second = level0Copies == null ? null : level0Copies.fileOrNull();
        if (second != null) {
            ConfigValidator.checkLength(
                    second,
                    AdjacencyDescriptor.level0AltFileLength(s.capacity(), c.level0CopyStride()));
        }
        ConfigValidator.checkLength(
                files.upper(), AdjacencyDescriptor.UPPER_DATA_OFFSET + s.upperBytesUsed());
        ConfigValidator.checkLength(files.nodes(), NodeRecordDescriptor.fileLength(s.capacity()));
        ConfigValidator.checkLength(
                files.labels(), LabelTableDescriptor.fileLength(labelSlotCount));
    }
}
