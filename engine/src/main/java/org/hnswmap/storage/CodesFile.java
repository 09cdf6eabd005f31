package org.hnswmap.storage;

/**
 * The traversal codes file an index keeps, if any: its name, kind id and sizes, one constant per
 * kind (storage-format.md sections 5a-5d), so that the code that creates, opens, grows and verifies
 * the file asks one place instead of choosing among the kinds itself.
 */
enum CodesFile {
    INT8(IndexFileNames.QUANTIZED, FileHeaderDescriptor.KIND_QUANTIZED) {
        @Override
        int rowStride(int dimension) {
            return QuantizedVectorsDescriptor.rowStride(dimension);
        }

        @Override
        long rowsOffset(int dimension) {
            return QuantizedVectorsDescriptor.DATA_OFFSET;
        }

        @Override
        long fileLength(long capacity, int dimension) {
            return QuantizedVectorsDescriptor.fileLength(capacity, rowStride(dimension));
        }
    },
    INT4(IndexFileNames.INT4, FileHeaderDescriptor.KIND_INT4) {
        @Override
        int rowStride(int dimension) {
            return Int4VectorsDescriptor.rowStride(dimension);
        }

        @Override
        long rowsOffset(int dimension) {
            return Int4VectorsDescriptor.DATA_OFFSET;
        }

        @Override
        long fileLength(long capacity, int dimension) {
            return Int4VectorsDescriptor.fileLength(capacity, rowStride(dimension));
        }
    },
    BINARY(IndexFileNames.BINARY, FileHeaderDescriptor.KIND_BINARY) {
        @Override
        int rowStride(int dimension) {
            return BinaryVectorsDescriptor.rowStride(dimension);
        }

        @Override
        long rowsOffset(int dimension) {
            return BinaryVectorsDescriptor.rowsOffset(dimension);
        }

        @Override
        long fileLength(long capacity, int dimension) {
            return BinaryVectorsDescriptor.fileLength(capacity, dimension);
        }
    };

    final String fileName;
    final int kind;

    CodesFile(String fileName, int kind) {
        this.fileName = fileName;
        this.kind = kind;
    }

    /** Bytes from one row to the next. */
    abstract int rowStride(int dimension);

    /** Offset of the first row in a file without traversal regions. */
    abstract long rowsOffset(int dimension);

    /** Length of a file without traversal regions for {@code capacity} nodes. */
    abstract long fileLength(long capacity, int dimension);

    /**
     * Length of the file of an index with {@code config} for {@code capacity} nodes: the regions'
     * centroids (storage-format.md, section 5e) move the rows and the end by the same amount.
     */
    long fileLength(long capacity, StoreConfig config) {
        int dimension = config.dimension();
        return fileLength(capacity, dimension) + config.codesRowsOffset() - rowsOffset(dimension);
    }

    /** The codes file of an index with this configuration, or null when it has none. */
    static CodesFile of(StoreConfig config) {
        return config.int8Traversal()
                ? INT8
                : config.int4Traversal() ? INT4 : config.binaryTraversal() ? BINARY : null;
    }
}
