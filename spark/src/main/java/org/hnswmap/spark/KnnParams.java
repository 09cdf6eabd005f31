package org.hnswmap.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.hnswmap.index.IndexConfig;

/**
 * The parameters an estimator and its model both have, declared once: name, doc, validator and
 * default. Spark copies an estimator's values to its model by parameter name, so the two must
 * agree; each class still exposes them through its own public accessors, which is how Spark ML
 * finds a stage's parameters.
 */
final class KnnParams {
    private KnnParams() {}

    static Param<String> queryIdentifierCol(Params owner) {
        return new Param<>(owner, "queryIdentifierCol", "column of the query ids, for excludeSelf");
    }

    static Param<String> featuresCol(Params owner) {
        Param<String> p =
                new Param<>(
                        owner,
                        "featuresCol",
                        "column of the vectors (array<float>, array<double> or ML Vector)");
        owner.setDefault(p, "features");
        return p;
    }

    static Param<String> predictionCol(Params owner) {
        Param<String> p =
                new Param<>(
                        owner,
                        "predictionCol",
                        "output column of (neighbor, distance), nearest first");
        owner.setDefault(p, "prediction");
        return p;
    }

    static IntParam k(Params owner) {
        IntParam p = new IntParam(owner, "k", "neighbours per query", ParamValidators.gtEq(1));
        owner.setDefault(p, 5);
        return p;
    }

    static IntParam ef(Params owner) {
        IntParam p =
                new IntParam(
                        owner,
                        "ef",
                        "beam width of searches in each shard (at least k is used)",
                        ParamValidators.gtEq(1));
        owner.setDefault(p, IndexConfig.DEFAULT_EF);
        return p;
    }

    static IntParam numReplicas(Params owner) {
        IntParam p =
                new IntParam(
                        owner,
                        "numReplicas",
                        "search tasks per shard: more serve more queries at once",
                        ParamValidators.gtEq(1));
        owner.setDefault(p, 1);
        return p;
    }

    static BooleanParam excludeSelf(Params owner) {
        BooleanParam p =
                new BooleanParam(
                        owner, "excludeSelf", "leave out the neighbour whose id is the query's id");
        owner.setDefault(p, false);
        return p;
    }

    static DoubleParam distanceThreshold(Params owner) {
        DoubleParam p =
                new DoubleParam(
                        owner, "distanceThreshold", "keep only neighbours at most this far away");
        owner.setDefault(p, Double.POSITIVE_INFINITY);
        return p;
    }
}
