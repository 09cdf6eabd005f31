package org.hnswmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.tools.TuneReport;

/** Writes a tune report's files into one folder. Stateless. */
final class ReportFiles {

    static final String PLOT = "recall-latency";

    private ReportFiles() {}

    /** tune.csv, tune.json, recall-latency.png, recall-latency.svg and report.html. */
    static void write(TuneReport report, Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("tune.csv"), report.toCsv());
        Files.writeString(out.resolve("tune.json"), report.toJson());
        Plots.writeRecallLatency(report, out.resolve(PLOT));
        HtmlReport.write(report, out.resolve(PLOT + ".svg"), out.resolve("report.html"));
    }
}
