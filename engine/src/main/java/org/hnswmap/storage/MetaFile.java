package org.hnswmap.storage;

import static org.hnswmap.storage.CommitSlotDescriptor.*;
import static org.hnswmap.storage.FilePreamble.INT;
import static org.hnswmap.storage.FilePreamble.LONG;
import static org.hnswmap.storage.MetaHeaderDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import org.hnswmap.error.CorruptIndexException;

/**
 * The meta file: preamble, fixed configuration and two commit slots (storage-format.md, "Meta file"
 * and "Commit protocol"). Owns its {@link MappedFile}.
 *
 * <p>Thread-safety: {@link #readLatestCommit} may run concurrently with a commit in another process
 * (a torn slot fails its CRC and is skipped); {@link #writeCommit} must be called by one thread.
 */
final class MetaFile implements AutoCloseable {

    private final MappedFile file;
    private final StoreConfig config;
    private final long[] indexId;

    /** The mapped file (for the store's fault diagnosis). */
    MappedFile file() {
        return file;
    }

    private MetaFile(MappedFile file, StoreConfig config, long[] indexId) {
        this.file = file;
        this.config = config;
        this.indexId = indexId;
    }

    static MetaFile create(Path path, StoreConfig config, long[] indexId, CommitState first) {
        MappedFile file = MappedFile.create(path, META_FILE_LENGTH);
        MemorySegment s = file.segment();
        FilePreamble.write(s, FileHeaderDescriptor.KIND_META, indexId, HEADER_LENGTH, 0);
        s.set(INT, SPACE_OFFSET, config.space());
        s.set(INT, DIMENSION_OFFSET, config.dimension());
        s.set(INT, M_OFFSET, config.m());
        s.set(INT, MAX_DEGREE0_OFFSET, config.maxDegree0());
        s.set(INT, EF_CONSTRUCTION_OFFSET, config.efConstruction());
        s.set(INT, FLAGS_OFFSET, config.flags());
        s.set(LONG, RANDOM_SEED_OFFSET, config.randomSeed());
        s.set(LONG, CREATED_EPOCH_MILLIS_OFFSET, config.createdEpochMillis());
        s.set(INT, REGION_COUNT_OFFSET, config.regionCount());
        s.set(INT, CONFIG_CRC_OFFSET, configCrc(s));
        MetaFile meta = new MetaFile(file, config, indexId);
        meta.writeCommit(first);
        return meta;
    }

    /** Opens and validates the meta file: preamble, configuration CRC and ranges. */
    static MetaFile open(Path path, boolean writable) {
        MappedFile file = MappedFile.open(path, writable);
        try {
            file.mapWhole();
            MemorySegment s = file.segment();
            long[] indexId = FilePreamble.validate(s, path, FileHeaderDescriptor.KIND_META);
            if (s.byteSize() < META_FILE_LENGTH) {
                throw new CorruptIndexException(
                        path
                                + ": truncated: "
                                + s.byteSize()
                                + " bytes, the meta file has "
                                + META_FILE_LENGTH);
            }
            if (s.get(INT, CONFIG_CRC_OFFSET) != configCrc(s)) {
                throw new CorruptIndexException(
                        path + ": configuration checksum mismatch (field configCrc32c)");
            }
            StoreConfig config = readConfig(s);
            ConfigValidator.check(config, path);
            return new MetaFile(file, config, indexId);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    StoreConfig config() {
        return config;
    }

    long[] indexId() {
        return indexId.clone();
    }

    Path path() {
        return file.path();
    }

    /**
     * The newest slot whose CRC matches.
     *
     * @throws CorruptIndexException when neither slot is valid
     */
    CommitState readLatestCommit() {
        MemorySegment s = file.segment();
        CommitState a = readSlot(s, 0);
        CommitState b = readSlot(s, 1);
        if (a == null && b == null) {
            throw new CorruptIndexException(
                    file.path() + ": no valid commit slot (both fail field slotCrc32c)");
        }
        CommitState newer = b == null || (a != null && a.generation() >= b.generation()) ? a : b;
        CommitState older = newer == a ? b : a;
        // A slot whose checksum matches but whose fields are out of range (damage that kept the
        // CRC, or a hostile file) is no more a commit than a torn one: the other slot serves.
        CorruptIndexException damage = fieldDamage(newer);
        if (damage == null) {
            return newer;
        }
        if (older != null && fieldDamage(older) == null) {
            return older;
        }
        throw damage;
    }

    private CorruptIndexException fieldDamage(CommitState state) {
        try {
            ConfigValidator.check(state, config, file.path());
            return null;
        } catch (CorruptIndexException e) {
            return e;
        }
    }

    /**
     * Commit protocol, step 3: writes {@code state} into the slot that does not hold the newest
     * generation (generation odd: slot 1, even: slot 0), CRC last, then syncs the meta file.
     */
    void writeCommit(CommitState state) {
        MemorySegment s = file.segment();
        long base = slotOffset((int) (state.generation() & 1));
        s.set(LONG, base + GENERATION_OFFSET, state.generation());
        s.set(LONG, base + NODE_COUNT_OFFSET, state.nodeCount());
        s.set(LONG, base + CAPACITY_OFFSET, state.capacity());
        s.set(LONG, base + UPPER_BYTES_USED_OFFSET, state.upperBytesUsed());
        s.set(INT, base + ENTRY_POINT_OFFSET, state.entryPoint());
        s.set(INT, base + MAX_LEVEL_OFFSET, state.maxLevel());
        s.set(LONG, base + DELETED_COUNT_OFFSET, state.deletedCount());
        s.set(INT, base + DEFAULT_EF_OFFSET, state.defaultEf());
        s.set(INT, base + LABEL_SLOT_COUNT_OFFSET, state.labelSlotCount());
        s.set(LONG, base + COMMIT_EPOCH_MILLIS_OFFSET, state.commitEpochMillis());
        s.set(LONG, base + RETIRED_COUNT_OFFSET, state.retiredCount());
        VarHandle.storeStoreFence();
        s.set(INT, base + SLOT_CRC_OFFSET, Checksums.crc32c(s, base, SLOT_CRC_OFFSET));
        VarHandle.fullFence();
        file.force();
    }

    private static CommitState readSlot(MemorySegment s, int index) {
        long base = slotOffset(index);
        byte[] copy = s.asSlice(base, SLOT_LENGTH).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        MemorySegment slot = MemorySegment.ofArray(copy);
        if (slot.get(INT, SLOT_CRC_OFFSET) != Checksums.crc32c(slot, 0, SLOT_CRC_OFFSET)) {
            return null;
        }
        return new CommitState(
                slot.get(LONG, GENERATION_OFFSET),
                slot.get(LONG, NODE_COUNT_OFFSET),
                slot.get(LONG, CAPACITY_OFFSET),
                slot.get(LONG, UPPER_BYTES_USED_OFFSET),
                slot.get(INT, ENTRY_POINT_OFFSET),
                slot.get(INT, MAX_LEVEL_OFFSET),
                slot.get(LONG, DELETED_COUNT_OFFSET),
                slot.get(LONG, RETIRED_COUNT_OFFSET),
                slot.get(INT, DEFAULT_EF_OFFSET),
                slot.get(INT, LABEL_SLOT_COUNT_OFFSET),
                slot.get(LONG, COMMIT_EPOCH_MILLIS_OFFSET));
    }

    private static StoreConfig readConfig(MemorySegment s) {
        return new StoreConfig(
                s.get(INT, SPACE_OFFSET),
                s.get(INT, DIMENSION_OFFSET),
                s.get(INT, M_OFFSET),
                s.get(INT, MAX_DEGREE0_OFFSET),
                s.get(INT, EF_CONSTRUCTION_OFFSET),
                s.get(INT, FLAGS_OFFSET),
                s.get(LONG, RANDOM_SEED_OFFSET),
                s.get(LONG, CREATED_EPOCH_MILLIS_OFFSET),
                s.get(INT, REGION_COUNT_OFFSET));
    }

    private static int configCrc(MemorySegment s) {
        long from = FileHeaderDescriptor.PREAMBLE_LENGTH;
        return Checksums.crc32c(s, from, CONFIG_CRC_OFFSET - from);
    }

    @Override
    public void close() {
        file.close();
    }
}
