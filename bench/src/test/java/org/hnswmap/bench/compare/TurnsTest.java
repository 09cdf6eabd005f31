package org.hnswmap.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order in which a search round asks the systems: every system every ef once, the first of them
 * rotating so that none is always measured right after the same one.
 */
class TurnsTest {

    private static final List<String> SYSTEMS = List.of("a", "b", "c");
    private static final int[] SWEEP = {10, 20, 40, 80};

    @Test
    void shouldTakeTurnsAtEveryEfWithTheFirstSystemRotating() {
        List<Turns.Turn> turns = Turns.ofSearchRound(SYSTEMS, SWEEP, 1, true);

        assertEquals(SYSTEMS.size() * SWEEP.length, turns.size());
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            Turns.Turn turn = turns.get(i);
            assertArrayEquals(new int[] {SWEEP[i / SYSTEMS.size()]}, turn.efs());
            assertEquals("sweep " + SWEEP[i / SYSTEMS.size()], turn.command());
            order.append(turn.system());
        }
        // round 1: ef 10 starts with b, ef 20 with c, ef 40 with a, ef 80 with b
        assertEquals("bca" + "cab" + "abc" + "bca", order.toString());
    }

    @Test
    void shouldAskEachSystemForTheWholeSweepWhenInterleavingBySweep() {
        List<Turns.Turn> turns = Turns.ofSearchRound(SYSTEMS, SWEEP, 2, false);

        assertEquals(List.of("c", "a", "b"), turns.stream().map(Turns.Turn::system).toList());
        for (Turns.Turn turn : turns) {
            assertArrayEquals(SWEEP, turn.efs());
            assertEquals("sweep 10,20,40,80", turn.command());
        }
    }
}
