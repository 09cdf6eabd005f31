package org.hnswmap.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme ({@code simremote://}), so that the tests take the path a
 * shard on HDFS or S3A takes: built in a local temporary directory and copied up, copied down once
 * per executor before it is mapped.
 */
public class SimulatedRemoteFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "simremote";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }
}
