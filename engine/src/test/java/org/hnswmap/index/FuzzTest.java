package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hnswmap.tools.TraversalKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded damage to a small index (IndexFuzzer): every case must end in success or an engine
 * exception, within 20 s. A fast slice here; {@code -Dhnswmap.fuzz.cases=N} (bench/fuzz.sh) runs a
 * long one. Failures name the seed and the mutation, so a case replays alone with {@code
 * -Dhnswmap.fuzz.first=SEED -Dhnswmap.fuzz.cases=1}.
 */
class FuzzTest {

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TraversalKind.class,
            names = {"FLOAT32", "BINARY", "INT4", "INT4_REGIONS"})
    void shouldEndEveryDamagedCaseInAnEngineExceptionOrSuccess(TraversalKind traversal) {
        int cases = Integer.getInteger("hnswmap.fuzz.cases", 400);
        long first = Long.getLong("hnswmap.fuzz.first", 1);
        IndexFuzzer fuzzer = new IndexFuzzer(dir, traversal);
        List<String> findings = new ArrayList<>();
        Map<String, Integer> results = new TreeMap<>();
        for (long seed = first; seed < first + cases; seed++) {
            long s = seed;
            IndexFuzzer.Outcome outcome =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(20), () -> fuzzer.run(s), () -> "hang, seed " + s);
            results.merge(outcome.result(), 1, Integer::sum);
            if (outcome.finding() != null && findings.size() < 10) {
                findings.add("seed " + seed + " (" + outcome.mutation() + "): " + trace(outcome));
            }
        }
        System.out.println(
                "fuzz: "
                        + cases
                        + " mutated indexes"
                        + " with "
                        + traversal.label()
                        + " traversal"
                        + " from seed "
                        + first
                        + ", outcomes "
                        + results);
        assertTrue(
                cases < 100 || results.getOrDefault("ok", 0) > cases / 10,
                "almost no damage left the index usable; the fuzzer is not reaching searches");
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    private static String trace(IndexFuzzer.Outcome outcome) {
        StringWriter w = new StringWriter();
        outcome.finding().printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 8)));
    }
}
