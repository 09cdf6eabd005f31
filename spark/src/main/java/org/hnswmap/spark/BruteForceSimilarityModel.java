package org.hnswmap.spark;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/** The exact model made by {@link BruteForceSimilarity}: every shard searched exhaustively. */
public final class BruteForceSimilarityModel extends KnnModel<BruteForceSimilarityModel> {
    private static final long serialVersionUID = 1L;

    BruteForceSimilarityModel(String uid, String indexPath, ShardManifest manifest) {
        super(uid, indexPath, manifest);
    }

    @Override
    protected int searchEf() {
        return 0;
    }

    @Override
    public BruteForceSimilarityModel copy(ParamMap extra) {
        return copyValues(new BruteForceSimilarityModel(uid(), indexPath(), manifest()), extra)
                .setParent(parent());
    }

    public static MLReader<BruteForceSimilarityModel> read() {
        return new Reader<>(BruteForceSimilarityModel.class, BruteForceSimilarityModel::new);
    }

    public static BruteForceSimilarityModel load(String path) {
        return read().load(path);
    }
}
