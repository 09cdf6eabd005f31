package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hnswmap.error.IllegalParameterException;
import org.junit.jupiter.api.Test;

class ColdRowsDecisionTest {

    private static final long GIB = 1L << 30;

    @Test
    void shouldTreatRowsAsColdOnlyWhenTheyOutgrowMemoryAndCodesCarryTheSearch() {
        assertTrue(MappedVectors.coldRows("auto", true, 9 * GIB, () -> 4 * GIB));
        assertFalse(MappedVectors.coldRows("auto", true, GIB, () -> 4 * GIB), "fits: left alone");
        assertFalse(
                MappedVectors.coldRows("auto", false, 9 * GIB, () -> 4 * GIB),
                "float32 traversal reads rows on every hop: they are not cold");
        assertFalse(MappedVectors.coldRows("auto", true, 9 * GIB, () -> -1), "memory unknown");
        assertTrue(MappedVectors.coldRows(" TRUE ", false, 1, () -> 4 * GIB));
        assertFalse(MappedVectors.coldRows("false", true, 9 * GIB, () -> 4 * GIB));
        IllegalParameterException e =
                assertThrows(
                        IllegalParameterException.class,
                        () -> MappedVectors.coldRows("yes", true, 1, () -> 1));
        assertTrue(e.getMessage().contains("hnswmap.vectors.cold"), e.getMessage());
    }
}
