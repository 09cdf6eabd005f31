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

    /**
     * A bit per node for small graphs, the same answers as a hash set, across resets between both
     * forms (every bit cleared, or a node marked in an earlier search would read as visited) and a
     * search whose ids grow past the bits' limit (a writer's graph growing meanwhile).
     */
    @Test
    void shouldAgreeWithAHashSetWithABitPerNodeAndWhenIdsOutgrowTheBits() {
        VisitedSet visited = new VisitedSet();
        SplittableRandom random = new SplittableRandom(11);
        for (int search = 0; search < 300; search++) {
            int bound = search % 3 == 0 ? VisitedSet.DIRECT_LIMIT * 4 : 1 + random.nextInt(5_000);
            visited.reset(bound);
            Set<Integer> expected = new HashSet<>();
            for (int a = 0; a < 3_000; a++) {
                int node =
                        search % 10 == 1 && a > 1_500
                                ? VisitedSet.DIRECT_LIMIT - 100 + random.nextInt(200)
                                : random.nextInt(bound);
                assertEquals(expected.add(node), visited.add(node), "search " + search);
            }
        }
    }

    /**
     * {@link VisitedSet#addAll} marks and keeps what {@link VisitedSet#add} one by one would, with
     * bits, in the hash set, and when a list's ids outgrow the bits midway (repeated ids too).
     */
    @Test
    void shouldAddAListAsAddingItsIdsOneByOneDoes() {
        VisitedSet batch = new VisitedSet();
        VisitedSet single = new VisitedSet();
        SplittableRandom random = new SplittableRandom(17);
        int[] ids = new int[40];
        int[] fresh = new int[40];
        int[] expected = new int[40];
        int kept = 0;
        for (int search = 0; search < 300; search++) {
            int bound = search % 3 == 0 ? VisitedSet.DIRECT_LIMIT * 4 : 1 + random.nextInt(3_000);
            batch.reset(bound);
            single.reset(bound);
            for (int list = 0; list < 60; list++) {
                int count = random.nextInt(ids.length + 1);
                for (int i = 0; i < count; i++) {
                    ids[i] =
                            search % 10 == 1 && list > 30 && i > count / 2
                                    ? VisitedSet.DIRECT_LIMIT - 20 + random.nextInt(40)
                                    : random.nextInt(Math.min(bound, 500));
                }
                int n = 0;
                for (int i = 0; i < count; i++) {
                    if (single.add(ids[i])) {
                        expected[n++] = ids[i];
                    }
                }
                int found = batch.addAll(ids, count, fresh);
                assertEquals(n, found, "search " + search + ", list " + list);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], fresh[i]);
                }
                kept += n;
            }
        }
        assertTrue(kept > 10_000, "kept " + kept);
    }
}
