package org.hnswmap.storage;

/**
 * What one commit slot records: the state a reader sees (storage-format.md, "Commit slots").
 * Immutable.
 */
public record CommitState(
        long generation,
        long nodeCount,
        long capacity,
        long upperBytesUsed,
        int entryPoint,
        int maxLevel,
        long deletedCount,
        long retiredCount,
        int defaultEf,
        int labelSlotCount,
        long commitEpochMillis) {}
