package org.hnswmap.bench;

/** Reading a recall-vs-QPS curve at a target recall, the same way for every runner. Stateless. */
public final class RecallCurves {

    private RecallCurves() {}

    /**
     * QPS at {@code target} recall on a curve given in ef order: log(QPS) interpolated linearly in
     * recall between the two measured points around it. NaN when no point reaches it; when the
     * first point already exceeds it, that point's QPS (a lower bound).
     */
    public static double qpsAtRecall(double[] recalls, double[] qps, double target) {
        for (int i = 0; i < recalls.length; i++) {
            if (recalls[i] >= target) {
                if (i == 0 || recalls[i - 1] >= recalls[i]) {
                    return qps[i];
                }
                double t = (target - recalls[i - 1]) / (recalls[i] - recalls[i - 1]);
                return Math.exp(
                        Math.log(qps[i - 1]) + t * (Math.log(qps[i]) - Math.log(qps[i - 1])));
            }
        }
        return Double.NaN;
    }
}
