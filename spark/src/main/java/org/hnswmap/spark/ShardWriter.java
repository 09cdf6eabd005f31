package org.hnswmap.spark;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.agrona.collections.LongHashSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import scala.Tuple2;

/**
 * Executor side of a build: writes the shard of one partition into a directory of its own task
 * attempt, {@code <index>/_attempts/<attempt>/}, and reports it. Nothing there is visible to a
 * reader: the driver's {@link ShardCommitter} moves the accepted attempt into place and writes the
 * manifest, so a failed or retried task leaves at most an attempt directory that the commit
 * deletes.
 *
 * <p>On a local file system the shard is built where it will live; on any other (HDFS, S3A) it is
 * built in a local temporary directory, because an index is written through memory-mapped files,
 * then copied up once.
 */
final class ShardWriter {
    /** Rows handed to the engine per {@code addItems}. */
    static final int BATCH = 1024;

    /** Capacity of a new shard; doubled as rows arrive (a partition's size is not known first). */
    static final int FIRST_CAPACITY = 1 << 14;

    /** What a task reports to the driver. */
    record Result(
            int partition,
            String attemptDir,
            String shardName,
            long count,
            long generation,
            int dimension)
            implements Serializable {}

    /** Called after a shard is written, before its task reports it; tests make attempts fail. */
    interface AfterWrite {
        void accept(int partition, int attemptNumber);
    }

    static volatile AfterWrite afterWrite;

    private ShardWriter() {}

    /** Writes partition {@code partition}'s rows (id, vector; checked when read) as one shard. */
    static Iterator<Result> write(
            ShardSpec spec, int partition, Iterator<Tuple2<Object, float[]>> rows)
            throws IOException {
        if (!rows.hasNext()) {
            return List.<Result>of().iterator();
        }
        TaskContext task = TaskContext.get();
        int attemptNumber = task == null ? 0 : task.attemptNumber();
        String attempt =
                String.format(
                        "part-%05d-attempt-%d-%d",
                        partition, attemptNumber, task == null ? 0 : task.taskAttemptId());
        Path attemptDir = new Path(new Path(spec.indexPath(), ShardCommitter.ATTEMPTS), attempt);
        FileSystem fs = attemptDir.getFileSystem(spec.hadoopConf().value().get());
        boolean local = "file".equals(fs.getScheme());
        java.nio.file.Path dir =
                local
                        ? Paths.get(fs.makeQualified(attemptDir).toUri())
                        : Files.createTempDirectory("hnswmap-shard-");
        Files.createDirectories(dir);
        String shardName = ShardManifest.shardName(partition, spec.kind());
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        Built built =
                ShardManifest.HNSW.equals(spec.kind())
                        ? buildHnsw(spec, rows, dir.resolve(shardName), threads, partition)
                        : buildBruteForce(spec, rows, dir.resolve(shardName), partition);
        if (built.stringIds != null) {
            writeIds(dir.resolve(ShardManifest.idsName(shardName)), built.stringIds);
        }
        if (!local) {
            fs.mkdirs(attemptDir.getParent());
            fs.copyFromLocalFile(true, true, new Path(dir.toUri()), attemptDir);
        }
        AfterWrite hook = afterWrite;
        if (hook != null) {
            hook.accept(partition, attemptNumber);
        }
        return List.of(
                        new Result(
                                partition,
                                attemptDir.toString(),
                                shardName,
                                built.count,
                                built.generation,
                                built.dimension))
                .iterator();
    }

    private record Built(long count, long generation, int dimension, List<String> stringIds) {}

    /** Assigns labels and refuses a repeated id (hash partitioning sends repeats to one shard). */
    private static final class Labels {
        private final ShardSpec spec;
        private final LongHashSet longIds = new LongHashSet();
        private final Set<String> stringSet;
        private final List<String> stringIds;

        Labels(ShardSpec spec) {
            this.spec = spec;
            boolean strings = spec.idType() == IdType.STRING;
            this.stringSet = strings ? new HashSet<>() : null;
            this.stringIds = strings ? new ArrayList<>() : null;
        }

        long label(Object id) {
            if (stringIds == null) {
                long label = ((Number) id).longValue();
                if (!longIds.add(label)) {
                    throw duplicate(id);
                }
                return label;
            }
            String s = (String) id;
            if (!stringSet.add(s)) {
                throw duplicate(id);
            }
            stringIds.add(s);
            return stringIds.size() - 1;
        }

        private DuplicateLabelException duplicate(Object id) {
            return new DuplicateLabelException(
                    "the id "
                            + id
                            + " occurs more than once in the column '"
                            + spec.idColumn()
                            + "': ids must be unique");
        }
    }

    private static Built buildHnsw(
            ShardSpec spec,
            Iterator<Tuple2<Object, float[]>> rows,
            java.nio.file.Path dir,
            int threads,
            int partition) {
        Labels labels = new Labels(spec);
        // With traversal regions the first addItems holds as many rows per centroid as the engine
        // learns them from: a 1,024-row first batch would leave it 4 per centroid at 256
        // (bench/RESULTS.md, stop 33).
        int batch =
                Math.max(BATCH, IndexConfig.TRAVERSAL_REGION_SAMPLE_ROWS * spec.traversalRegions());
        float[][] vectors = new float[batch][];
        long[] batchLabels = new long[batch];
        HnswIndex index = null;
        try {
            int n = 0;
            int dimension = -1;
            long capacity = FIRST_CAPACITY;
            long count = 0;
            while (rows.hasNext()) {
                Tuple2<Object, float[]> t = rows.next();
                float[] v = t._2();
                if (index == null) {
                    dimension = v.length;
                    index = HnswIndex.create(dir, config(spec, dimension, capacity));
                } else if (v.length != dimension) {
                    throw mixed(t._1(), v.length, dimension, partition);
                }
                vectors[n] = v;
                batchLabels[n] = labels.label(t._1());
                n++;
                if (n == batch || !rows.hasNext()) {
                    while (count + n > capacity) {
                        capacity *= 2;
                        index.resizeIndex(Math.min(capacity, 1L << 29));
                    }
                    index.addItems(
                            n == batch ? vectors : java.util.Arrays.copyOf(vectors, n),
                            n == batch ? batchLabels : java.util.Arrays.copyOf(batchLabels, n),
                            threads);
                    count += n;
                    n = 0;
                    if (batch > BATCH) { // the training batch is done: the usual size from here
                        batch = BATCH;
                        vectors = new float[batch][];
                        batchLabels = new long[batch];
                    }
                }
            }
            index.commit();
            return new Built(count, index.commitGeneration(), dimension, labels.stringIds);
        } finally {
            if (index != null) {
                index.close();
            }
        }
    }

    private static IndexConfig config(ShardSpec spec, int dimension, long capacity) {
        IndexConfig.Builder b =
                IndexConfig.builder(spec.space(), dimension)
                        .maxElements(capacity)
                        .m(spec.m())
                        .efConstruction(spec.efConstruction())
                        .ef(spec.ef())
                        .randomSeed(spec.seed());
        switch (spec.traversal()) {
            case "int8" -> b.int8Traversal(true);
            case "int4" -> b.int4Traversal(true);
            case "one-bit" -> b.binaryTraversal(true);
            default -> {}
        }
        return b.traversalRegions(spec.traversalRegions()).build();
    }

    private static Built buildBruteForce(
            ShardSpec spec,
            Iterator<Tuple2<Object, float[]>> rows,
            java.nio.file.Path file,
            int partition) {
        Labels labels = new Labels(spec);
        List<float[]> vectors = new ArrayList<>();
        org.agrona.collections.LongArrayList ids = new org.agrona.collections.LongArrayList();
        int dimension = -1;
        while (rows.hasNext()) {
            Tuple2<Object, float[]> t = rows.next();
            float[] v = t._2();
            if (dimension < 0) {
                dimension = v.length;
            } else if (v.length != dimension) {
                throw mixed(t._1(), v.length, dimension, partition);
            }
            vectors.add(v);
            ids.addLong(labels.label(t._1()));
        }
        BruteForceIndex index =
                BruteForceIndex.of(
                        spec.space(), vectors.toArray(float[][]::new), ids.toLongArray());
        index.save(file);
        return new Built(vectors.size(), 0, dimension, labels.stringIds);
    }

    private static DimensionMismatchException mixed(Object id, int got, int expected, int part) {
        return new DimensionMismatchException(
                "the vector of id "
                        + id
                        + " has dimension "
                        + got
                        + ", others in partition "
                        + part
                        + " have "
                        + expected
                        + ": every vector must have the same dimension");
    }

    /** The shard's string ids in label order: per id a big-endian int length, then UTF-8. */
    private static void writeIds(java.nio.file.Path file, List<String> ids) {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
            out.writeInt(ids.size());
            for (String id : ids) {
                byte[] b = id.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new IndexIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
