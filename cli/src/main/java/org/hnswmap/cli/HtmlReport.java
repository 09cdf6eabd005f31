package org.hnswmap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.hnswmap.tools.SweepPoint;
import org.hnswmap.tools.TuneReport;
import org.hnswmap.tools.TuneResult;

/**
 * A self-contained HTML report of a tune run: the SVG plot inlined, the table and the
 * recommendation; no scripts, no external files. Stateless.
 */
final class HtmlReport {

    private HtmlReport() {}

    static void write(TuneReport report, Path svg, Path html) throws IOException {
        String plot = Files.readString(svg, StandardCharsets.UTF_8);
        plot = plot.substring(Math.max(0, plot.indexOf("<svg")));
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>hnswmap tune report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1000px}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("tr.chosen{background:#fde8e8;font-weight:bold}")
                .append("</style></head><body>\n<h1>hnswmap tune report</h1>\n");
        for (String warning : report.recallWarnings()) {
            b.append("<p><strong>Warning:</strong> ").append(escape(warning)).append("</p>\n");
        }
        b.append("<p>")
                .append(escape(report.recommendation()))
                .append("</p>\n<p>")
                .append(
                        String.format(
                                "space %s, dimension %d, %,d queries%s, k %d, %d timed"
                                        + " repeat(s) per ef after a warm-up pass, kernels %s;"
                                        + " generated %s.",
                                report.space(),
                                report.dimension(),
                                report.queries(),
                                report.leaveOneOut() ? " (stored elements, leave-one-out)" : "",
                                report.k(),
                                report.repeats(),
                                escape(report.kernel()),
                                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)))
                .append("</p>\n")
                .append(plot)
                .append('\n');
        for (TuneResult r : report.results()) {
            appendTable(b, report, r);
        }
        b.append("</body></html>\n");
        Files.writeString(html, b.toString(), StandardCharsets.UTF_8);
    }

    private static void appendTable(StringBuilder b, TuneReport report, TuneResult r) {
        b.append("<h2>")
                .append(escape(r.name()))
                .append("</h2><p>")
                .append(
                        String.format(
                                "%,d elements; build %s; index files %.1f MB",
                                r.elements(),
                                Double.isNaN(r.buildSeconds())
                                        ? "not measured (index built earlier)"
                                        : String.format("%.2f s", r.buildSeconds()),
                                r.indexBytes() / 1e6))
                .append("</p>\n<table><tr><th>ef</th><th>recall@")
                .append(report.k())
                .append(
                        "</th><th>QPS (median)</th><th>QPS min&ndash;max</th><th>mean &micro;s</th>")
                .append(
                        "<th>p50 &micro;s</th><th>p99 &micro;s</th><th>QPS, all threads</th></tr>\n");
        for (SweepPoint p : r.points()) {
            b.append(p.ef() == r.recommendedEf() ? "<tr class=\"chosen\">" : "<tr>")
                    .append(
                            String.format(
                                    "<td>%d</td><td>%.4f</td><td>%.0f</td><td>%.0f&ndash;%.0f</td>"
                                            + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td>",
                                    p.ef(),
                                    p.recall(),
                                    p.qpsMedian(),
                                    p.qpsMin(),
                                    p.qpsMax(),
                                    p.meanMicros(),
                                    p.p50Micros(),
                                    p.p99Micros(),
                                    Double.isNaN(p.throughputQps())
                                            ? "&ndash;"
                                            : String.format(
                                                    "%.0f (%d threads)",
                                                    p.throughputQps(), p.throughputThreads())))
                    .append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
