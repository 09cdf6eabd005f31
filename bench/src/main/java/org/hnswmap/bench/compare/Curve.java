package org.hnswmap.bench.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hnswmap.bench.RecallCurves;

/** One system's recall-vs-QPS points from one round, and the statistics {@link Compare} reports. */
record Curve(List<Point> points) {

    /** One measured ef. */
    record Point(int ef, double recall, double qps, double p50Us, double p99Us) {
        static Point parse(String line) {
            String[] w = line.split(" ");
            return new Point(
                    Integer.parseInt(w[1]),
                    Double.parseDouble(w[2]),
                    Double.parseDouble(w[3]),
                    Double.parseDouble(w[4]),
                    Double.parseDouble(w[5]));
        }
    }

    /**
     * QPS at {@code recall}: log(QPS) interpolated linearly in recall between the two measured
     * points around it, taken in ef order. NaN when no point reaches it; when the smallest ef
     * already exceeds it, that ef's QPS, flagged by {@link #belowFirst}: a lower bound.
     */
    double qpsAt(double recall) {
        List<Point> byEf = points.stream().sorted(Comparator.comparingInt(Point::ef)).toList();
        return RecallCurves.qpsAtRecall(
                byEf.stream().mapToDouble(Point::recall).toArray(),
                byEf.stream().mapToDouble(Point::qps).toArray(),
                recall);
    }

    /** True when even the smallest measured ef is above {@code recall}. */
    boolean belowFirst(double recall) {
        return points.stream().min(Comparator.comparingInt(Point::ef)).orElseThrow().recall()
                > recall;
    }

    /** Median of the finite values (NaN when there are none); the mean of the two middle ones. */
    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).max().orElse(Double.NaN);
    }
}
