package org.hnswmap.spark;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;

/**
 * Executor side of a search: the shards this JVM has opened, kept open across tasks and jobs. A
 * shard on the local file system is opened where it lies (mapped, nothing read); one on any other
 * file system is copied once to this executor's local directory, then mapped. Each open shard is
 * checked against the manifest (element count, commit generation, dimension), so a shard rewritten
 * after the manifest is refused rather than searched.
 */
final class ShardCache {
    private static final ConcurrentHashMap<String, OpenShard> OPEN = new ConcurrentHashMap<>();

    /** How many shards this JVM has copied from a remote file system (tests read it). */
    private static final java.util.concurrent.atomic.AtomicLong COPIES =
            new java.util.concurrent.atomic.AtomicLong();

    private ShardCache() {}

    /** One open shard: searches return labels turned into ids (Long or String). */
    interface OpenShard {
        BatchSearchResult search(float[][] queries, int k, int ef, int threads);

        Object id(long label);
    }

    /** The open shard {@code shard} of the index at {@code indexPath}, opening it on first use. */
    static OpenShard get(
            String indexPath,
            ShardManifest manifest,
            ShardManifest.Shard shard,
            Configuration conf) {
        String key =
                indexPath + "/" + shard.name() + "@" + shard.generation() + "#" + shard.count();
        return OPEN.computeIfAbsent(key, k -> open(indexPath, manifest, shard, conf));
    }

    static long copies() {
        return COPIES.get();
    }

    /** Closes every shard this JVM holds (tests). */
    static synchronized void closeAll() {
        close("");
    }

    /**
     * Closes the shards of the index at {@code indexPath} this JVM holds (all when empty); a later
     * search opens them again.
     */
    static synchronized void close(String indexPath) {
        String prefix = indexPath.isEmpty() ? "" : indexPath + "/";
        OPEN.entrySet()
                .removeIf(
                        e -> {
                            if (!e.getKey().startsWith(prefix)) {
                                return false;
                            }
                            if (e.getValue() instanceof HnswShard h) {
                                h.index.close();
                            }
                            return true;
                        });
    }

    private static OpenShard open(
            String indexPath,
            ShardManifest manifest,
            ShardManifest.Shard shard,
            Configuration conf) {
        try {
            Path remote = new Path(indexPath, shard.name());
            FileSystem fs = remote.getFileSystem(conf);
            java.nio.file.Path local;
            java.nio.file.Path localIds = null;
            Path remoteIds = new Path(indexPath, ShardManifest.idsName(shard.name()));
            if ("file".equals(fs.getScheme())) {
                local = Paths.get(fs.makeQualified(remote).toUri());
                localIds = Paths.get(fs.makeQualified(remoteIds).toUri());
            } else {
                java.nio.file.Path dir = Files.createTempDirectory(localRoot(), "hnswmap-");
                local = dir.resolve(shard.name());
                fs.copyToLocalFile(false, remote, new Path(local.toUri()), true);
                COPIES.incrementAndGet();
                if (manifest.idType() == IdType.STRING) {
                    localIds = dir.resolve(ShardManifest.idsName(shard.name()));
                    fs.copyToLocalFile(false, remoteIds, new Path(localIds.toUri()), true);
                }
            }
            String[] ids = manifest.idType() == IdType.STRING ? readIds(localIds, shard) : null;
            if (ShardManifest.HNSW.equals(manifest.kind())) {
                HnswIndex index = HnswIndex.open(local);
                try {
                    check(
                            index.size(),
                            index.commitGeneration(),
                            index.dimension(),
                            manifest,
                            shard);
                } catch (RuntimeException e) {
                    index.close();
                    throw e;
                }
                return new HnswShard(index, ids);
            }
            BruteForceIndex index =
                    BruteForceIndex.load(local, manifest.space(), manifest.dimension());
            check(index.size(), 0, index.dimension(), manifest, shard);
            return new BruteForceShard(index, ids);
        } catch (IOException e) {
            throw new IndexIOException(
                    "could not open " + indexPath + "/" + shard.name() + ": " + e.getMessage(), e);
        }
    }

    /** Spark's directory for this executor's files (removed when it exits), else the temp dir. */
    private static java.nio.file.Path localRoot() throws IOException {
        if (SparkEnv.get() != null) {
            java.nio.file.Path root = Paths.get(SparkFiles.getRootDirectory());
            Files.createDirectories(root);
            return root;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    private static void check(
            long count, long generation, int dimension, ShardManifest m, ShardManifest.Shard s) {
        if (count != s.count() || generation != s.generation() || dimension != m.dimension()) {
            throw new CorruptIndexException(
                    s.name()
                            + " holds "
                            + count
                            + " elements of dimension "
                            + dimension
                            + " at commit "
                            + generation
                            + "; the manifest says "
                            + s.count()
                            + " of dimension "
                            + m.dimension()
                            + " at commit "
                            + s.generation()
                            + ": the shard was changed after the index was built");
        }
    }

    private static String[] readIds(java.nio.file.Path file, ShardManifest.Shard shard) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            int n = in.readInt();
            if (n != shard.count()) {
                throw new CorruptIndexException(
                        file + " holds " + n + " ids; the manifest says " + shard.count());
            }
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                ids[i] = new String(b, StandardCharsets.UTF_8);
            }
            return ids;
        } catch (IOException e) {
            throw new CorruptIndexException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private record HnswShard(HnswIndex index, String[] ids) implements OpenShard {
        @Override
        public BatchSearchResult search(float[][] queries, int k, int ef, int threads) {
            return index.knnQuery(queries, k, Math.max(ef, k), threads);
        }

        @Override
        public Object id(long label) {
            return ids == null ? (Object) label : ids[(int) label];
        }
    }

    private record BruteForceShard(BruteForceIndex index, String[] ids) implements OpenShard {
        @Override
        public BatchSearchResult search(float[][] queries, int k, int ef, int threads) {
            return index.knnQuery(queries, k, threads);
        }

        @Override
        public Object id(long label) {
            return ids == null ? (Object) label : ids[(int) label];
        }
    }
}
