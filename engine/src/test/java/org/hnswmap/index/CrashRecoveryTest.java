package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer JVM with SIGKILL at seeded random moments (while inserting or committing) and
 * checks after each kill: the index opens, holds every element whose commit was reported, finds
 * each by its own vector, passes verify(), and takes a new writer at once (the lock died with the
 * process). A handful of kill points here; {@code -Dhnswmap.crash.rounds=N} runs more.
 */
class CrashRecoveryTest {

    @TempDir Path dir;

    @Test
    void shouldKeepEveryCommittedElementWhenWriterIsKilled() throws Exception {
        int rounds = Integer.getInteger("hnswmap.crash.rounds", 3);
        SplittableRandom random = new SplittableRandom(Long.getLong("tests.seed", 42));
        Path index = dir.resolve("crash");
        int lastCommitted = 0;
        for (int round = 0; round < rounds; round++) {
            int reported = runAndKill(index, 400 + random.nextInt(1_200));
            lastCommitted = Math.max(lastCommitted, reported);
            try (HnswIndex reader = HnswIndex.open(index)) {
                int size = reader.size();
                assertTrue(
                        size >= lastCommitted,
                        "round " + round + ": " + size + " < committed " + lastCommitted);
                for (long label = 0; label < size; label++) {
                    float[] v = CrashWriter.vectorOf(label);
                    assertArrayEquals(v, reader.getItem(label), "label " + label);
                    assertEquals(
                            label,
                            reader.knnQuery(v, 1, 64).labels()[0],
                            "self-search of label " + label);
                }
                assertEquals(List.of(), reader.verify(), "round " + round);
                lastCommitted = size;
            }
            try (HnswIndex writer = HnswIndex.openForWrite(index)) {
                assertEquals(lastCommitted, writer.size());
                assertEquals(List.of(), writer.verify(), "writer after recovery, round " + round);
            }
        }
        assertTrue(lastCommitted > 0, "the writer never committed");
    }

    /** Starts the writer, kills it after {@code millis}, returns the last count it reported. */
    private static int runAndKill(Path index, long millis) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child =
                new ProcessBuilder(
                                java,
                                "--add-modules=jdk.incubator.vector",
                                "-cp",
                                System.getProperty("java.class.path"),
                                CrashWriter.class.getName(),
                                index.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        AtomicInteger reported = new AtomicInteger();
        Thread reader =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            child.getInputStream(),
                                                            StandardCharsets.UTF_8))) {
                                        String line;
                                        while ((line = in.readLine()) != null) {
                                            if (line.startsWith("COMMITTED ")) {
                                                reported.set(Integer.parseInt(line.substring(10)));
                                            }
                                        }
                                    } catch (Exception ignored) {
                                        // the stream ends when the child is killed
                                    }
                                });
        // give the JVM time to start, then kill at a random instant of the insert/commit loop
        Thread.sleep(millis);
        child.destroyForcibly(); // SIGKILL on Linux
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join();
        return reported.get();
    }
}
