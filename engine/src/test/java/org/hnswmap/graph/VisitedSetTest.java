package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VisitedSetTest {

    @Test
    void shouldAgreeWithAHashSetOverManySearchesAndGrowthsAndKeepItsSizeToTheVisits() {
        VisitedSet visited = new VisitedSet();
        SplittableRandom random = new SplittableRandom(7);
        for (int search = 0; search < 200; search++) {
            visited.reset();
            Set<Integer> expected = new HashSet<>();
            int adds = 1 + random.nextInt(search % 20 == 0 ? 40_000 : 2_000);
            for (int a = 0; a < adds; a++) {
                int node = random.nextInt(search % 2 == 0 ? 3_000 : Integer.MAX_VALUE);
                assertEquals(expected.add(node), visited.add(node), "search " + search);
            }
        }
        // sized by the largest search's distinct visits (< 40,000), not by the ids seen (2^31)
        assertTrue(visited.capacity() <= 1 << 17, "capacity " + visited.capacity());
    }

    @Test
    void shouldForgetEveryMarkOnResetAcrossTheGenerationWrap() {
        VisitedSet visited = new VisitedSet();
        visited.generationForTest(Integer.MAX_VALUE - 2);
        for (int round = 0; round < 4; round++) {
            visited.reset();
            for (int node = 0; node < 5_000; node += 3) {
                assertTrue(visited.add(node), "round " + round + ", node " + node);
                assertFalse(visited.add(node));
            }
        }
    }
}
