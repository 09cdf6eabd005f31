package org.hnswmap.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.index.IndexConfig;

/**
 * Builds a sharded hnswmap index from a DataFrame of ids and vectors: one index per partition, in
 * parallel on the executors, under {@code indexPath}. hnswlib-spark's {@code HnswSimilarity}, on
 * memory-mapped shards: each shard is a plain hnswmap index directory that {@code hnswmap info},
 * {@code verify} and {@code query} open, and {@code HnswIndex.open} too.
 *
 * <pre>{@code
 * HnswmapSimilarityModel model = new HnswmapSimilarity()
 *     .setIdentifierCol("id").setFeaturesCol("features")
 *     .setDistanceFunction("cosine").setNumPartitions(4)
 *     .setM(16).setEfConstruction(200).setEf(64).setK(10)
 *     .setIndexPath("hdfs:///indexes/items")
 *     .fit(items);
 * Dataset<Row> neighbours = model.transform(queries);
 * }</pre>
 */
public final class HnswmapSimilarity
        extends KnnEstimator<HnswmapSimilarityModel, HnswmapSimilarity> {
    private static final long serialVersionUID = 1L;

    private final IntParam m;
    private final IntParam efConstruction;
    private final IntParam ef;
    private final Param<String> traversal;
    private final IntParam traversalRegions;
    private final LongParam seed;

    public HnswmapSimilarity() {
        this(Identifiable.randomUID("hnswmap"));
    }

    public HnswmapSimilarity(String uid) {
        super(uid);
        m =
                new IntParam(
                        this,
                        "m",
                        "neighbours per node and level (hnswlib's M)",
                        ParamValidators.inRange(2, 1024));
        efConstruction =
                new IntParam(
                        this, "efConstruction", "beam width of inserts", ParamValidators.gtEq(1));
        ef = KnnParams.ef(this);
        traversal =
                new Param<>(
                        this,
                        "traversal",
                        "what searches walk the graph with: float32, int8, int4 or one-bit (the last"
                                + " three re-rank by float32 distance)",
                        ParamValidators.inArray(
                                new String[] {"float32", "int8", "int4", "one-bit"}));
        traversalRegions =
                new IntParam(
                        this,
                        "traversalRegions",
                        "with int8 or int4 traversal, k-means centroids of each shard's rows that"
                                + " the codes are residuals to (0: none; for data with clusters)",
                        ParamValidators.inRange(0, IndexConfig.MAX_TRAVERSAL_REGIONS));
        seed = new LongParam(this, "seed", "seed of the level generator");
        setDefault(m, IndexConfig.DEFAULT_M);
        setDefault(efConstruction, IndexConfig.DEFAULT_EF_CONSTRUCTION);
        setDefault(traversal, "float32");
        setDefault(traversalRegions, 0);
        setDefault(seed, IndexConfig.DEFAULT_RANDOM_SEED);
    }

    public IntParam m() {
        return m;
    }

    public IntParam efConstruction() {
        return efConstruction;
    }

    public IntParam ef() {
        return ef;
    }

    public Param<String> traversal() {
        return traversal;
    }

    public IntParam traversalRegions() {
        return traversalRegions;
    }

    public LongParam seed() {
        return seed;
    }

    public HnswmapSimilarity setM(int v) {
        set(m, v);
        return this;
    }

    public HnswmapSimilarity setEfConstruction(int v) {
        set(efConstruction, v);
        return this;
    }

    public HnswmapSimilarity setEf(int v) {
        set(ef, v);
        return this;
    }

    public HnswmapSimilarity setTraversal(String v) {
        set(traversal, v);
        return this;
    }

    public HnswmapSimilarity setTraversalRegions(int v) {
        set(traversalRegions, v);
        return this;
    }

    public HnswmapSimilarity setSeed(long v) {
        set(seed, v);
        return this;
    }

    @Override
    protected String shardKind() {
        return ShardManifest.HNSW;
    }

    @Override
    protected ShardSpec shardSpec(ShardSpec b) {
        int regions = (Integer) getOrDefault(traversalRegions);
        String walk = getOrDefault(traversal);
        if (regions > 0 && !walk.equals("int8") && !walk.equals("int4")) {
            throw new IllegalParameterException(
                    "traversalRegions "
                            + regions
                            + " needs traversal int8 or int4, not "
                            + walk
                            + ": regions are centroids the codes' rows are residuals to");
        }
        return new ShardSpec(
                b.kind(),
                b.indexPath(),
                b.space(),
                b.idType(),
                b.idColumn(),
                b.vectors(),
                (Integer) getOrDefault(m),
                (Integer) getOrDefault(efConstruction),
                (Integer) getOrDefault(ef),
                walk,
                regions,
                (Long) getOrDefault(seed),
                b.hadoopConf());
    }

    @Override
    protected HnswmapSimilarityModel newModel(String indexPath, ShardManifest manifest) {
        return new HnswmapSimilarityModel(uid(), indexPath, manifest);
    }

    public static MLReader<HnswmapSimilarity> read() {
        return new DefaultParamsReader<>();
    }

    public static HnswmapSimilarity load(String path) {
        return read().load(path);
    }
}
