package org.hnswmap.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The order in which {@link Compare} asks its systems, one at a time: which system builds first in
 * a build round, and which system answers which efs in which turn of a search round. No system is
 * always measured right after the same one, so that the VM's drift and whatever one process leaves
 * in the caches fall on all systems alike.
 */
final class Turns {

    private Turns() {}

    /** One turn of a search round: {@code system} answers a sweep over {@code efs}. */
    record Turn(String system, int[] efs) {

        /** The worker command: {@code sweep EF[,EF...]}. */
        String command() {
            return "sweep "
                    + Arrays.stream(efs)
                            .mapToObj(Integer::toString)
                            .collect(Collectors.joining(","));
        }
    }

    /**
     * The turns of search round {@code round}, in order. {@code perEf}: the systems take turns at
     * every ef, the first of them rotating from ef to ef (and from round to round), so that the
     * points two systems are compared at are measured within a fraction of a second of each other;
     * otherwise each system answers the whole sweep in its turn, the first rotating from round to
     * round (the points then lie seconds apart, and the VM's drift between them shows in the
     * per-round ratios: bench/RESULTS.md, stop 37).
     */
    static List<Turn> ofSearchRound(List<String> systems, int[] sweep, int round, boolean perEf) {
        List<Turn> turns = new ArrayList<>();
        if (!perEf) {
            for (String system : rotated(systems, round)) {
                turns.add(new Turn(system, sweep.clone()));
            }
            return turns;
        }
        for (int e = 0; e < sweep.length; e++) {
            for (String system : rotated(systems, round + e)) {
                turns.add(new Turn(system, new int[] {sweep[e]}));
            }
        }
        return turns;
    }

    /**
     * {@code list} starting at element {@code round mod size}: each round starts with another
     * system.
     */
    static List<String> rotated(List<String> list, int round) {
        List<String> copy = new ArrayList<>(list);
        Collections.rotate(copy, -(round % list.size()));
        return copy;
    }
}
