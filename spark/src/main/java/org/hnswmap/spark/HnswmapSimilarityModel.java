package org.hnswmap.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/**
 * A sharded hnswmap index made by {@link HnswmapSimilarity}: {@code transform} adds to each query
 * row its {@code k} nearest (neighbor, distance) over all shards. {@code ef} can be changed between
 * transforms (the shards stay open on the executors), which is how it is tuned: see {@link
 * KnnSimilarityEvaluator}.
 */
public final class HnswmapSimilarityModel extends KnnModel<HnswmapSimilarityModel> {
    private static final long serialVersionUID = 1L;

    private final IntParam ef;

    HnswmapSimilarityModel(String uid, String indexPath, ShardManifest manifest) {
        super(uid, indexPath, manifest);
        ef = KnnParams.ef(this);
    }

    public IntParam ef() {
        return ef;
    }

    public HnswmapSimilarityModel setEf(int v) {
        return with(ef, v);
    }

    @Override
    protected int searchEf() {
        return (Integer) getOrDefault(ef);
    }

    @Override
    public HnswmapSimilarityModel copy(ParamMap extra) {
        return copyValues(new HnswmapSimilarityModel(uid(), indexPath(), manifest()), extra)
                .setParent(parent());
    }

    public static MLReader<HnswmapSimilarityModel> read() {
        return new Reader<>(HnswmapSimilarityModel.class, HnswmapSimilarityModel::new);
    }

    public static HnswmapSimilarityModel load(String path) {
        return read().load(path);
    }
}
