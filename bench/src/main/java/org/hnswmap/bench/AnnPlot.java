package org.hnswmap.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The runner's recall-vs-QPS plot, one curve per system (a linear QPS axis from 0: XChart labels a
 * log axis only at powers of ten, and these curves often span less than one).
 */
final class AnnPlot {

    private AnnPlot() {}

    static void write(Map<String, List<AnnRunner.Point>> curves, String data, int queries, Path png)
            throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(560)
                        .title(
                                String.format(
                                        "%s: recall@10 vs QPS (%,d queries, one thread)",
                                        data, queries))
                        .xAxisTitle("recall@10")
                        .yAxisTitle("queries per second")
                        .build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setXAxisDecimalPattern("0.000");
        for (Map.Entry<String, List<AnnRunner.Point>> curve : curves.entrySet()) {
            List<AnnRunner.Point> points = curve.getValue();
            if (points.isEmpty()) {
                continue;
            }
            double[] recall = points.stream().mapToDouble(AnnRunner.Point::recall).toArray();
            double[] qps = points.stream().mapToDouble(AnnRunner.Point::qps).toArray();
            chart.addSeries(curve.getKey(), recall, qps).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmapWithDPI(
                chart,
                png.toString().replaceFirst("\\.png$", ""),
                BitmapEncoder.BitmapFormat.PNG,
                144);
    }
}
