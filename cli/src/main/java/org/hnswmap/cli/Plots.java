package org.hnswmap.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.tools.SweepPoint;
import org.hnswmap.tools.TuneReport;
import org.hnswmap.tools.TuneResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The recall-vs-latency plot of a tune report, drawn with XChart: median single-thread latency
 * (robust to the odd slow query on a noisy machine) against recall@k. Stateless.
 */
final class Plots {

    private Plots() {}

    /** Writes {@code <base>.png} and {@code <base>.svg}; returns the chart for reuse. */
    static XYChart writeRecallLatency(TuneReport report, Path base) throws IOException {
        XYChart chart = recallLatency(report);
        BitmapEncoder.saveBitmapWithDPI(
                chart, base.toString() + ".png", BitmapEncoder.BitmapFormat.PNG, 144);
        VectorGraphicsEncoder.saveVectorGraphic(
                chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return chart;
    }

    static XYChart recallLatency(TuneReport report) {
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(560)
                        .title(
                                String.format(
                                        "recall@%d vs latency (%,d queries%s, %s, one thread)",
                                        report.k(),
                                        report.queries(),
                                        report.leaveOneOut() ? ", leave-one-out" : "",
                                        report.kernel()))
                        .xAxisTitle("recall@" + report.k())
                        .yAxisTitle("median latency per query (microseconds)")
                        .build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0.000");
        for (TuneResult r : report.results()) {
            List<SweepPoint> pts = r.points();
            double[] x = pts.stream().mapToDouble(SweepPoint::recall).toArray();
            double[] y = pts.stream().mapToDouble(SweepPoint::p50Micros).toArray();
            String name =
                    report.results().size() > 1
                            ? String.format(
                                    "%s (build %.1f s, %.0f MB)",
                                    r.name(), r.buildSeconds(), r.indexBytes() / 1e6)
                            : r.name();
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
            SweepPoint chosen = r.recommendedPoint();
            if (chosen != null) {
                XYSeries s =
                        chart.addSeries(
                                r.name() + ": ef " + chosen.ef() + " meets the target",
                                new double[] {chosen.recall()},
                                new double[] {chosen.p50Micros()});
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(Color.RED);
                s.setLineStyle(new BasicStroke(0f));
            }
        }
        if (!Double.isNaN(report.targetRecall())) {
            double lo = 0;
            double hi =
                    report.results().stream()
                            .flatMap(r -> r.points().stream())
                            .mapToDouble(SweepPoint::p50Micros)
                            .max()
                            .orElse(10);
            XYSeries target =
                    chart.addSeries(
                            String.format("target recall %.3f", report.targetRecall()),
                            new double[] {report.targetRecall(), report.targetRecall()},
                            new double[] {lo, hi});
            target.setMarker(SeriesMarkers.NONE);
            target.setLineColor(Color.GRAY);
        }
        return chart;
    }
}
