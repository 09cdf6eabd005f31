package org.hnswmap.spark;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.IllegalParameterException;
import scala.Tuple2;

/**
 * Mean recall@k of approximate neighbours against exact ones: per row, the share of the exact
 * neighbours' ids that the approximate column also holds, averaged over rows. The two columns are
 * the output of an {@link HnswmapSimilarityModel} and of a {@link BruteForceSimilarityModel} on the
 * same queries, joined by query id; {@code k} is the exact column's length.
 *
 * <pre>{@code
 * double recall = new KnnSimilarityEvaluator()
 *     .setApproximateNeighborsCol("approximate").setExactNeighborsCol("exact")
 *     .evaluate(joined);
 * }</pre>
 */
public final class KnnSimilarityEvaluator extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> approximateNeighborsCol;
    private final Param<String> exactNeighborsCol;

    public KnnSimilarityEvaluator() {
        this(Identifiable.randomUID("knnEval"));
    }

    public KnnSimilarityEvaluator(String uid) {
        this.uid = uid;
        approximateNeighborsCol =
                new Param<>(
                        this, "approximateNeighborsCol", "column of the approximate neighbours");
        exactNeighborsCol =
                new Param<>(this, "exactNeighborsCol", "column of the exact neighbours");
        setDefault(approximateNeighborsCol, "approximateNeighbors");
        setDefault(exactNeighborsCol, "exactNeighbors");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> approximateNeighborsCol() {
        return approximateNeighborsCol;
    }

    public Param<String> exactNeighborsCol() {
        return exactNeighborsCol;
    }

    public KnnSimilarityEvaluator setApproximateNeighborsCol(String v) {
        set(approximateNeighborsCol, v);
        return this;
    }

    public KnnSimilarityEvaluator setExactNeighborsCol(String v) {
        set(exactNeighborsCol, v);
        return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        String approx = getOrDefault(approximateNeighborsCol);
        String exact = getOrDefault(exactNeighborsCol);
        VectorColumn.fieldIndex(schema, approx, "approximate neighbours");
        VectorColumn.fieldIndex(schema, exact, "exact neighbours");
        Tuple2<Double, Long> sum =
                dataset.toDF()
                        .select(approx, exact)
                        .javaRDD()
                        .map(r -> new Tuple2<>(recall(r.getList(0), r.getList(1)), 1L))
                        .fold(
                                new Tuple2<>(0.0, 0L),
                                (a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()));
        if (sum._2() == 0) {
            throw new IllegalParameterException("there are no rows to evaluate");
        }
        return sum._1() / sum._2();
    }

    /** The share of {@code exact}'s ids found in {@code approximate} (1 when there are none). */
    static double recall(List<Row> approximate, List<Row> exact) {
        if (exact == null || exact.isEmpty()) {
            return 1.0;
        }
        Set<Object> found = new HashSet<>();
        if (approximate != null) {
            for (Row r : approximate) {
                found.add(r.get(0));
            }
        }
        int hits = 0;
        for (Row r : exact) {
            if (found.contains(r.get(0))) {
                hits++;
            }
        }
        return hits / (double) exact.size();
    }

    @Override
    public boolean isLargerBetter() {
        return true;
    }

    @Override
    public KnnSimilarityEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<KnnSimilarityEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    public static KnnSimilarityEvaluator load(String path) {
        return read().load(path);
    }
}
