package org.hnswmap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.index.BatchSearchResult;
import scala.Tuple2;

/**
 * A model's {@code transform}: every query goes to every shard, the nearest of each shard are
 * merged into the nearest overall.
 *
 * <p>Plan: the query rows are cut into blocks (per input partition, up to {@link #BLOCK} rows);
 * each block's vectors go to one task per shard (with {@code numReplicas} tasks per shard, each
 * takes a share of the blocks, for throughput); a task opens its shard from {@link ShardCache} and
 * searches a block in one engine call on {@code spark.task.cpus} threads; the shards' answers to a
 * block are reduced by block into the {@code k} nearest per row. Shipping blocks rather than one
 * record per query and shard keeps Spark's per-record cost (serialization, shuffle bookkeeping) off
 * each query: measured in bench/RESULTS.md. The query rows themselves travel with the block's copy
 * for shard 0, so the answer meets its row without a second read of the input.
 */
final class ShardedSearch {
    /** Query rows per block. */
    static final int BLOCK = 1024;

    private ShardedSearch() {}

    /** What the executors need to search, sent with the tasks. */
    record Spec(
            String indexPath,
            ShardManifest manifest,
            Broadcast<HadoopConf> conf,
            VectorColumn vectors,
            int queryIdIndex,
            int k,
            int ef,
            int replicas,
            boolean excludeSelf,
            double distanceThreshold,
            CompactRows compactRows)
            implements Serializable {
        int keep() {
            return excludeSelf ? k + 1 : k;
        }
    }

    /** The output schema: the input's columns and the neighbours column. */
    static StructType outputSchema(StructType input, String predictionCol, IdType idType) {
        for (String name : input.fieldNames()) {
            if (name.equals(predictionCol)) {
                throw new IllegalParameterException(
                        "the output column '" + predictionCol + "' is already in the data");
            }
        }
        StructType neighbor =
                new StructType(
                        new StructField[] {
                            DataTypes.createStructField("neighbor", idType.sparkType(), false),
                            DataTypes.createStructField("distance", DataTypes.FloatType, false)
                        });
        return input.add(predictionCol, new ArrayType(neighbor, false), false);
    }

    static Dataset<Row> run(Dataset<?> dataset, Spec spec, StructType outSchema) {
        JavaRDD<Row> rows = dataset.toDF().javaRDD();
        int queryPartitions = Math.max(1, rows.getNumPartitions());
        int tasks = spec.manifest().shards().size() * spec.replicas();
        JavaPairRDD<Long, Answers> answers =
                rows.mapPartitionsWithIndex((p, it) -> route(spec, p, it), false)
                        .mapToPair(t -> t)
                        .partitionBy(new TaskPartitioner(tasks))
                        .mapPartitionsToPair(it -> searchTask(spec, it));
        int keep = spec.keep();
        JavaRDD<Row> out =
                answers.reduceByKey((a, b) -> Answers.merge(a, b, keep), queryPartitions)
                        .flatMap(t -> t._2().toRows(spec));
        return SparkSession.active().createDataFrame(out, outSchema);
    }

    /** One input partition cut into blocks, each block as many times as there are shards. */
    private static Iterator<Tuple2<Integer, Block>> route(
            Spec spec, int partition, Iterator<Row> rows) {
        int shards = spec.manifest().shards().size();
        List<Tuple2<Integer, Block>> out = new ArrayList<>();
        List<Row> chunk = new ArrayList<>(BLOCK);
        int blockNumber = 0;
        while (rows.hasNext()) {
            chunk.add(rows.next());
            if (chunk.size() == BLOCK || !rows.hasNext()) {
                long key = ((long) partition << 32) | blockNumber;
                float[][] vectors = new float[chunk.size()][];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = read(spec, chunk.get(i), key, i);
                }
                Object[][] blockRows = new Object[chunk.size()][];
                for (int i = 0; i < blockRows.length; i++) {
                    blockRows[i] = spec.compactRows().compact(chunk.get(i));
                }
                int replica =
                        (int) Math.floorMod(key * 0x9E3779B97F4A7C15L >>> 17, spec.replicas());
                for (int s = 0; s < shards; s++) {
                    out.add(
                            new Tuple2<>(
                                    s * spec.replicas() + replica,
                                    new Block(key, vectors, s == 0 ? blockRows : null)));
                }
                chunk.clear();
                blockNumber++;
            }
        }
        return out.iterator();
    }

    private static float[] read(Spec spec, Row row, long block, int i) {
        Object queryId = spec.queryIdIndex() >= 0 ? row.get(spec.queryIdIndex()) : "row " + i;
        float[] v = spec.vectors().read(row, queryId);
        if (v.length != spec.manifest().dimension()) {
            throw new DimensionMismatchException(
                    "the query vector of "
                            + queryId
                            + " has dimension "
                            + v.length
                            + ", the index "
                            + spec.manifest().dimension());
        }
        return v;
    }

    /** A task: searches its shard for each block it was sent, a block per engine call. */
    private static Iterator<Tuple2<Long, Answers>> searchTask(
            Spec spec, Iterator<Tuple2<Integer, Block>> blocks) {
        TaskContext task = TaskContext.get();
        int shardIndex = task.partitionId() / spec.replicas();
        ShardManifest.Shard shard = spec.manifest().shards().get(shardIndex);
        ShardCache.OpenShard open =
                ShardCache.get(spec.indexPath(), spec.manifest(), shard, spec.conf().value().get());
        int threads = Math.max(1, task.cpus());
        boolean strings = spec.manifest().idType() == IdType.STRING;
        List<Tuple2<Long, Answers>> out = new ArrayList<>();
        while (blocks.hasNext()) {
            Block b = blocks.next()._2();
            BatchSearchResult r = open.search(b.vectors(), spec.keep(), spec.ef(), threads);
            long[][] labels = r.labels();
            String[][] names = null;
            if (strings) {
                names = new String[labels.length][];
                for (int i = 0; i < labels.length; i++) {
                    names[i] = new String[labels[i].length];
                    for (int j = 0; j < labels[i].length; j++) {
                        names[i][j] = (String) open.id(labels[i][j]);
                    }
                }
                labels = null;
            }
            out.add(new Tuple2<>(b.key(), new Answers(b.rows(), labels, names, r.distances())));
        }
        return out.iterator();
    }

    /** Query rows of one block: their vectors, and the rows themselves in shard 0's copy. */
    record Block(long key, float[][] vectors, Object[][] rows) implements Serializable {}

    /**
     * The nearest found so far for each query of a block, nearest first: ids as {@code labels}
     * (long ids) or {@code names} (string ids); {@code rows} once shard 0 answered.
     */
    record Answers(Object[][] rows, long[][] labels, String[][] names, float[][] distances)
            implements Serializable {

        static Answers merge(Answers a, Answers b, int keep) {
            int n = a.distances.length;
            long[][] labels = a.labels == null ? null : new long[n][];
            String[][] names = a.names == null ? null : new String[n][];
            float[][] distances = new float[n][];
            for (int q = 0; q < n; q++) {
                float[] da = a.distances[q];
                float[] db = b.distances[q];
                int m = Math.min(keep, da.length + db.length);
                float[] d = new float[m];
                long[] l = labels == null ? null : new long[m];
                String[] s = names == null ? null : new String[m];
                int i = 0;
                int j = 0;
                for (int o = 0; o < m; o++) {
                    boolean takeA = j >= db.length || (i < da.length && da[i] <= db[j]);
                    if (takeA) {
                        if (l != null) {
                            l[o] = a.labels[q][i];
                        } else {
                            s[o] = a.names[q][i];
                        }
                        d[o] = da[i++];
                    } else {
                        if (l != null) {
                            l[o] = b.labels[q][j];
                        } else {
                            s[o] = b.names[q][j];
                        }
                        d[o] = db[j++];
                    }
                }
                distances[q] = d;
                if (labels != null) {
                    labels[q] = l;
                } else {
                    names[q] = s;
                }
            }
            return new Answers(a.rows != null ? a.rows : b.rows, labels, names, distances);
        }

        /** The output rows: each query row, then its neighbours after exclusion and threshold. */
        Iterator<Row> toRows(Spec spec) {
            List<Row> out = new ArrayList<>(rows.length);
            for (int q = 0; q < rows.length; q++) {
                Object[] row = rows[q];
                Object self = spec.excludeSelf() ? normalize(row[spec.queryIdIndex()]) : null;
                List<Row> neighbors = new ArrayList<>(spec.k());
                float[] d = distances[q];
                for (int i = 0; i < d.length && neighbors.size() < spec.k(); i++) {
                    Object id = labels != null ? (Object) labels[q][i] : names[q][i];
                    if (self != null && self.equals(id)) {
                        continue;
                    }
                    if (d[i] > spec.distanceThreshold()) {
                        break;
                    }
                    neighbors.add(RowFactory.create(id, d[i]));
                }
                Object[] values = CompactRows.restore(row, 1);
                // Spark's row encoder takes a Scala Seq for an array column, not a java.util.List.
                values[row.length] =
                        scala.jdk.javaapi.CollectionConverters.asScala(neighbors).toSeq();
                out.add(RowFactory.create(values));
            }
            return out.iterator();
        }

        private static Object normalize(Object id) {
            return id instanceof Integer i ? (Object) (long) i : id;
        }
    }

    /** Sends key {@code i} to partition {@code i}: one partition per (shard, replica). */
    static final class TaskPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        TaskPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaskPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
