package org.hnswmap.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.index.Space;

/**
 * The file {@code _manifest} of a sharded index: what the shards are, so that a reader knows them
 * without listing the directory, and can tell a shard that is not the one committed. Written last
 * by {@link ShardCommitter}: a directory without it holds no index (storage-format.md section 14).
 *
 * @param kind {@code hnsw} (shards are hnswmap index directories) or {@code brute-force} (shards
 *     are hnswlib brute-force files)
 * @param idType {@code long} (labels are the ids) or {@code string} (labels are ordinals into the
 *     shard's id file)
 * @param shards the shards in order
 */
record ShardManifest(String kind, Space space, int dimension, IdType idType, List<Shard> shards)
        implements Serializable {

    static final String FILE_NAME = "_manifest";
    static final String FORMAT = "hnswmap-shards/1";
    static final String HNSW = "hnsw";
    static final String BRUTE_FORCE = "brute-force";

    /**
     * One shard.
     *
     * @param name the shard's directory (hnsw) or file (brute-force) name under the index path
     * @param count how many elements it holds
     * @param generation its commit generation (hnsw; 0 for brute-force)
     */
    record Shard(String name, long count, long generation) implements Serializable {}

    ShardManifest {
        shards = List.copyOf(shards);
    }

    long totalCount() {
        return shards.stream().mapToLong(Shard::count).sum();
    }

    static String shardName(int partition, String kind) {
        return String.format("shard-%05d", partition) + (BRUTE_FORCE.equals(kind) ? ".bf" : "");
    }

    /** The file of a shard's string ids, beside the shard. */
    static String idsName(String shardName) {
        return shardName + ".ids";
    }

    void write(FileSystem fs, Path indexPath) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("kind", kind);
        p.setProperty("space", space.name().toLowerCase());
        p.setProperty("dimension", Integer.toString(dimension));
        p.setProperty("idType", idType.name().toLowerCase());
        p.setProperty("shards", Integer.toString(shards.size()));
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            p.setProperty("shard." + i + ".name", s.name());
            p.setProperty("shard." + i + ".count", Long.toString(s.count()));
            p.setProperty("shard." + i + ".generation", Long.toString(s.generation()));
        }
        // Written under a temporary name and renamed, so that a reader sees the whole manifest or
        // none (rename is atomic on HDFS and local file systems).
        Path tmp = new Path(indexPath, "_manifest.tmp");
        Path target = new Path(indexPath, FILE_NAME);
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                p.store(
                        new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
                        "hnswmap sharded index (storage-format.md section 14)");
            }
            if (!fs.rename(tmp, target)) {
                throw new IndexIOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            throw new IndexIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(FileSystem fs, Path indexPath) {
        try {
            return fs.exists(new Path(indexPath, FILE_NAME));
        } catch (IOException e) {
            throw new IndexIOException("could not read " + indexPath + ": " + e.getMessage(), e);
        }
    }

    static ShardManifest read(Configuration conf, Path indexPath) {
        Path file = new Path(indexPath, FILE_NAME);
        Properties p = new Properties();
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file)) {
                throw new CorruptIndexException(
                        indexPath
                                + " holds no sharded index: "
                                + FILE_NAME
                                + " is missing (an index whose build did not finish has none)");
            }
            try (InputStream in = fs.open(file)) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            throw new CorruptIndexException(
                    file + " fails its checksum (changed after it was written): " + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new IndexIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new CorruptIndexException(
                    file + ": format is '" + p.getProperty("format") + "', expected " + FORMAT);
        }
        String kind = required(p, file, "kind");
        if (!HNSW.equals(kind) && !BRUTE_FORCE.equals(kind)) {
            throw new CorruptIndexException(file + ": unknown kind '" + kind + "'");
        }
        Space space;
        IdType idType;
        try {
            space = Space.parse(required(p, file, "space"));
            idType = IdType.valueOf(required(p, file, "idType").toUpperCase());
        } catch (RuntimeException e) {
            throw new CorruptIndexException(file + ": " + e.getMessage(), e);
        }
        int dimension = (int) number(p, file, "dimension");
        int count = (int) number(p, file, "shards");
        List<Shard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            shards.add(
                    new Shard(
                            required(p, file, "shard." + i + ".name"),
                            number(p, file, "shard." + i + ".count"),
                            number(p, file, "shard." + i + ".generation")));
        }
        return new ShardManifest(kind, space, dimension, idType, shards);
    }

    private static String required(Properties p, Path file, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new CorruptIndexException(file + ": the field '" + key + "' is missing");
        }
        return v;
    }

    private static long number(Properties p, Path file, String key) {
        String v = required(p, file, key);
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CorruptIndexException(
                    file + ": the field '" + key + "' is '" + v + "', not a count");
        }
    }
}
