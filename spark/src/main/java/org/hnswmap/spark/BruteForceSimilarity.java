package org.hnswmap.spark;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;

/**
 * The exact twin of {@link HnswmapSimilarity}: the same columns, partitions and output, each shard
 * an exhaustive index (hnswlib's brute-force file layout). Its answers are the ground truth that
 * {@link KnnSimilarityEvaluator} measures an {@link HnswmapSimilarityModel}'s recall against. Each
 * executor holds a shard it searches in its heap: meant for evaluation on a sample of queries, not
 * for serving.
 */
public final class BruteForceSimilarity
        extends KnnEstimator<BruteForceSimilarityModel, BruteForceSimilarity> {
    private static final long serialVersionUID = 1L;

    public BruteForceSimilarity() {
        this(Identifiable.randomUID("bruteforce"));
    }

    public BruteForceSimilarity(String uid) {
        super(uid);
    }

    @Override
    protected String shardKind() {
        return ShardManifest.BRUTE_FORCE;
    }

    @Override
    protected ShardSpec shardSpec(ShardSpec base) {
        return base;
    }

    @Override
    protected BruteForceSimilarityModel newModel(String indexPath, ShardManifest manifest) {
        return new BruteForceSimilarityModel(uid(), indexPath, manifest);
    }

    public static MLReader<BruteForceSimilarity> read() {
        return new DefaultParamsReader<>();
    }

    public static BruteForceSimilarity load(String path) {
        return read().load(path);
    }
}
