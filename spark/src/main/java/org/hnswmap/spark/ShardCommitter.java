package org.hnswmap.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.index.Space;

/**
 * Driver side of a build, in the manner of a Hadoop output committer: before the job it makes sure
 * the index path holds no index; after it, it moves the attempt directory each task reported into
 * place, deletes what failed or duplicate attempts left, and writes the manifest last. Until the
 * manifest is there, the directory is not an index.
 */
final class ShardCommitter {
    static final String ATTEMPTS = "_attempts";

    private ShardCommitter() {}

    /** Refuses a path that holds an index or shards; removes what an unfinished build left. */
    static void prepare(FileSystem fs, Path indexPath) {
        try {
            if (ShardManifest.exists(fs, indexPath)) {
                throw new IllegalParameterException(
                        indexPath
                                + " already holds a sharded index: choose another indexPath or"
                                + " delete it");
            }
            if (fs.exists(indexPath)) {
                for (FileStatus s : fs.listStatus(indexPath)) {
                    if (s.getPath().getName().startsWith("shard-")) {
                        throw new IllegalParameterException(
                                indexPath
                                        + " holds "
                                        + s.getPath().getName()
                                        + " but no manifest (a build that did not finish?):"
                                        + " choose another indexPath or delete it");
                    }
                }
                fs.delete(new Path(indexPath, ATTEMPTS), true);
            }
            fs.mkdirs(indexPath);
        } catch (IOException e) {
            throw new IndexIOException("could not prepare " + indexPath + ": " + e.getMessage(), e);
        }
    }

    /** Moves the reported shards into place and writes the manifest; returns it. */
    static ShardManifest commit(
            FileSystem fs,
            Path indexPath,
            String kind,
            Space space,
            IdType idType,
            List<ShardWriter.Result> results) {
        if (results.isEmpty()) {
            throw new IllegalParameterException("the data to index has no rows");
        }
        List<ShardWriter.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(ShardWriter.Result::partition));
        int dimension = sorted.get(0).dimension();
        for (ShardWriter.Result r : sorted) {
            if (r.dimension() != dimension) {
                deleteQuietly(fs, new Path(indexPath, ATTEMPTS));
                throw new DimensionMismatchException(
                        "partition "
                                + sorted.get(0).partition()
                                + " has vectors of dimension "
                                + dimension
                                + ", partition "
                                + r.partition()
                                + " of "
                                + r.dimension()
                                + ": every vector must have the same dimension");
            }
        }
        List<ShardManifest.Shard> shards = new ArrayList<>();
        try {
            for (ShardWriter.Result r : sorted) {
                Path attempt = new Path(r.attemptDir());
                for (FileStatus s : fs.listStatus(attempt)) {
                    Path target = new Path(indexPath, s.getPath().getName());
                    if (!fs.rename(s.getPath(), target)) {
                        throw new IndexIOException(
                                "could not rename " + s.getPath() + " to " + target);
                    }
                }
                shards.add(new ShardManifest.Shard(r.shardName(), r.count(), r.generation()));
            }
            fs.delete(new Path(indexPath, ATTEMPTS), true);
        } catch (IOException e) {
            throw new IndexIOException("could not commit " + indexPath + ": " + e.getMessage(), e);
        }
        ShardManifest manifest = new ShardManifest(kind, space, dimension, idType, shards);
        manifest.write(fs, indexPath);
        return manifest;
    }

    /**
     * Removes the attempts of a build that failed. A task still running when its job failed may
     * write its attempt after this; it is garbage without a manifest, and the next {@link #prepare}
     * of the path removes it.
     */
    static void abort(FileSystem fs, Path indexPath) {
        deleteQuietly(fs, new Path(indexPath, ATTEMPTS));
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            // The build failed already; its error is the one to report, not this cleanup's.
        }
    }
}
