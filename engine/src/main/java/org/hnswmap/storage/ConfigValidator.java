package org.hnswmap.storage;

import static org.hnswmap.storage.MetaHeaderDescriptor.*;

import java.nio.file.Path;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.graph.LevelGenerator;

/**
 * Range checks of stored fields (storage-format.md, "Limits"), so that a damaged or hostile file
 * can never make the engine allocate absurd memory or index outside a mapping. Stateless.
 */
final class ConfigValidator {

    private ConfigValidator() {}

    static void check(StoreConfig c, Path path) {
        require(c.space() >= SPACE_L2 && c.space() <= SPACE_COSINE, path, "space", c.space());
        require(
                c.dimension() >= 1 && c.dimension() <= MAX_DIMENSION,
                path,
                "dimension",
                c.dimension());
        require(c.m() >= MIN_M && c.m() <= MAX_M, path, "m", c.m());
        require(c.maxDegree0() == 2 * c.m(), path, "maxDegree0", c.maxDegree0());
        require(
                c.efConstruction() >= 1 && c.efConstruction() <= MAX_EF_CONSTRUCTION,
                path,
                "efConstruction",
                c.efConstruction());
        require((c.flags() & ~KNOWN_FLAGS) == 0, path, "flags", c.flags());
        require(Integer.bitCount(c.flags() & TRAVERSAL_FLAGS) <= 1, path, "flags", c.flags());
        boolean regions = (c.flags() & FLAG_TRAVERSAL_REGIONS) != 0;
        require(
                !regions || (c.flags() & (FLAG_INT8_TRAVERSAL | FLAG_INT4_TRAVERSAL)) != 0,
                path,
                "flags",
                c.flags());
        require(
                regions
                        ? c.regionCount() >= 1 && c.regionCount() <= MAX_REGIONS
                        : c.regionCount() == 0,
                path,
                "regionCount",
                c.regionCount());
    }

    /** Checks a commit slot against the configuration and the sizes of the data files. */
    static void check(CommitState s, StoreConfig c, Path path) {
        require(
                s.generation() >= 1 && s.generation() <= MAX_GENERATION,
                path,
                "generation",
                s.generation());
        require(
                s.capacity() >= 1 && s.capacity() <= LabelTableDescriptor.MAX_CAPACITY,
                path,
                "capacity",
                s.capacity());
        require(
                s.nodeCount() >= 0 && s.nodeCount() <= s.capacity(),
                path,
                "nodeCount",
                s.nodeCount());
        boolean empty = s.nodeCount() == 0;
        require(
                empty
                        ? s.entryPoint() == -1
                        : s.entryPoint() >= 0 && s.entryPoint() < s.nodeCount(),
                path,
                "entryPoint",
                s.entryPoint());
        require(
                empty
                        ? s.maxLevel() == -1
                        : s.maxLevel() >= 0 && s.maxLevel() <= LevelGenerator.MAX_LEVEL,
                path,
                "maxLevel",
                s.maxLevel());
        require(
                s.deletedCount() >= 0 && s.deletedCount() <= s.nodeCount(),
                path,
                "deletedCount",
                s.deletedCount());
        require(
                s.retiredCount() >= 0 && s.retiredCount() <= s.deletedCount(),
                path,
                "retiredCount",
                s.retiredCount());
        require(
                s.labelSlotCount() == LabelTableDescriptor.slotCountFor(s.capacity()),
                path,
                "labelSlotCount",
                s.labelSlotCount());
        require(
                s.upperBytesUsed() >= 0 && s.upperBytesUsed() % c.upperStride() == 0,
                path,
                "upperBytesUsed",
                s.upperBytesUsed());
        require(s.defaultEf() >= 1 && s.defaultEf() <= MAX_EF, path, "defaultEf", s.defaultEf());
    }

    /** Checks that a data file is long enough for what the commit says it holds. */
    static void checkLength(MappedFile file, long requiredBytes) {
        long actual = file.sizeBytes();
        if (actual < requiredBytes) {
            throw new CorruptIndexException(
                    file.path()
                            + ": truncated: "
                            + actual
                            + " bytes, the committed state needs "
                            + requiredBytes);
        }
    }

    private static void require(boolean ok, Path path, String field, long value) {
        if (!ok) {
            throw new CorruptIndexException(
                    path + ": field " + field + " has an impossible value " + value);
        }
    }
}
