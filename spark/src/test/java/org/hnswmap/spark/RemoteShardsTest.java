package org.hnswmap.spark;

import static org.hnswmap.spark.SparkTestSupport.clustered;
import static org.hnswmap.spark.SparkTestSupport.frame;
import static org.hnswmap.spark.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards on a file system other than the local one: copied up after the build, down once to search.
 */
class RemoteShardsTest {
    @TempDir Path dir;

    @AfterEach
    void close() {
        ShardCache.closeAll();
    }

    @Test
    void shardsAreCopiedUpOnceAndDownOncePerExecutor() throws Exception {
        spark().sparkContext()
                .hadoopConfiguration()
                .set(
                        "fs." + SimulatedRemoteFileSystem.SCHEME + ".impl",
                        SimulatedRemoteFileSystem.class.getName());
        String path = SimulatedRemoteFileSystem.SCHEME + "://" + dir.resolve("remote");
        float[][] items = clustered(2_000, 12, 4, 11);
        Dataset<Row> data = frame(items, 0, DataTypes.StringType, DataTypes.FloatType);
        HnswmapSimilarityModel model =
                new HnswmapSimilarity()
                        .setNumPartitions(2)
                        .setK(1)
                        .setDistanceFunction("l2")
                        .setIndexPath(path)
                        .fit(data);
        assertTrue(
                model.indexPath().startsWith(SimulatedRemoteFileSystem.SCHEME + ":"),
                model.indexPath());
        assertTrue(Files.isDirectory(dir.resolve("remote").resolve("shard-00000")));
        assertTrue(Files.isRegularFile(dir.resolve("remote").resolve("shard-00000.ids")));

        long before = ShardCache.copies();
        List<Row> first = model.transform(data.limit(50)).collectAsList();
        assertEquals(2, ShardCache.copies() - before, "one copy per shard");
        for (Row r : first) {
            assertEquals(r.getString(0), ((Row) r.getList(2).get(0)).getString(0));
        }
        model.transform(data.limit(50)).count();
        assertEquals(2, ShardCache.copies() - before, "the second search reuses the local copies");
    }
}
