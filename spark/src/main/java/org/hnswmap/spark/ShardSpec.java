package org.hnswmap.spark;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.hnswmap.index.Space;

/**
 * What every task of a build needs to write its shard, sent to the executors with the tasks.
 *
 * @param kind {@link ShardManifest#HNSW} or {@link ShardManifest#BRUTE_FORCE}
 * @param indexPath the index directory, a Hadoop path
 * @param idColumn the id column's name, for messages
 * @param vectors how to read a row's vector
 * @param m, efConstruction, ef, traversal, seed hnsw parameters (unused for brute force)
 * @param traversalRegions k-means centroids the int8 or 4-bit rows are residuals to (0: none)
 */
record ShardSpec(
        String kind,
        String indexPath,
        Space space,
        IdType idType,
        String idColumn,
        VectorColumn vectors,
        int m,
        int efConstruction,
        int ef,
        String traversal,
        int traversalRegions,
        long seed,
        Broadcast<HadoopConf> hadoopConf)
        implements Serializable {}
