package org.hnswmap.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A {@code +poolX} system is served from the index of the same system without the suffix. */
class CompareWorkerTest {

    @Test
    void shouldBuildAndStoreAPoolSystemAsTheSystemWithoutIt() {
        assertEquals(
                "hnswmap-int4+reorder", CompareWorker.withoutPool("hnswmap-int4+reorder+pool0.25"));
        assertEquals(
                "hnswmap-int8+reorder", CompareWorker.withoutPool("hnswmap-int8+pool.5+reorder"));
        assertEquals("hnswmap+reorder", CompareWorker.withoutPool("hnswmap+pool2+reorder"));
        assertEquals(
                "hnswmap-int4+regions256", CompareWorker.withoutPool("hnswmap-int4+regions256"));
    }
}
