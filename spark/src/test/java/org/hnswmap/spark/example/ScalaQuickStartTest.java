package org.hnswmap.spark.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Scala example, compiled by scala-maven-plugin, runs and does what it says. */
class ScalaQuickStartTest {
    @TempDir Path dir;

    @Test
    void readmeScalaExampleFindsTenOtherItems() {
        SparkSession spark =
                SparkSession.builder()
                        .master("local[2,2]")
                        .config("spark.ui.enabled", "false")
                        .getOrCreate();
        Dataset<Row> items =
                spark.sql(
                        "SELECT id, transform(sequence(1, 16), d -> CAST(sin((id + 1) * d) AS FLOAT))"
                                + " AS features FROM range(3000)");
        List<Row> rows =
                ScalaQuickStart.run(items, dir.resolve("index").toString()).collectAsList();
        assertEquals(3_000, rows.size());
        for (Row r : rows) {
            List<Object> n = r.getList(1);
            assertEquals(10, n.size());
            assertFalse(n.contains(r.getLong(0)), "an item is its own neighbour: " + r);
        }
    }
}
