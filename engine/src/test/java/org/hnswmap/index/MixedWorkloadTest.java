package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash test's workload without kills: inserts, updates, replace-deleted, resizes. */
class MixedWorkloadTest {

    @TempDir Path dir;

    @Test
    void shouldStaySoundThroughRoundsOfMixedWork() {
        for (int session = 0; session < 4; session++) {
            CrashWriter.run(dir, 15, true);
            try (HnswIndex reader = HnswIndex.open(dir)) {
                assertEquals(List.of(), reader.verify(), "session " + session);
                CrashRecoveryTest.checkCommittedState(reader, 40 * 14 * (session + 1), session);
            }
        }
    }
}
