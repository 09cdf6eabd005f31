package org.hnswmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.hnswmap.index.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage-format.md section 14 names exactly the manifest keys ShardManifest writes and reads. */
class ShardManifestDocTest {
    private static final Pattern KEY_ROW = Pattern.compile("^\\| `([\\w.<>]+)` \\| ");

    @TempDir Path dir;

    @Test
    void manifestKeysMatchTheSpecification() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "storage-format.md"));
        TreeSet<String> documented = new TreeSet<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| Key | Value |")) {
                inTable = true;
                continue;
            }
            if (inTable) {
                Matcher m = KEY_ROW.matcher(line);
                if (m.find()) {
                    documented.add(m.group(1));
                } else if (!line.startsWith("|---")) {
                    break;
                }
            }
        }
        assertTrue(documented.size() >= 9, "the key table was not found: " + documented);

        ShardManifest manifest =
                new ShardManifest(
                        ShardManifest.HNSW,
                        Space.COSINE,
                        8,
                        IdType.STRING,
                        List.of(
                                new ShardManifest.Shard("shard-00000", 10, 2),
                                new ShardManifest.Shard("shard-00003", 7, 2)));
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.toString());
        manifest.write(FileSystem.getLocal(conf), path);
        Properties written = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(ShardManifest.FILE_NAME))) {
            written.load(in);
        }
        TreeSet<String> keys = new TreeSet<>();
        for (String key : written.stringPropertyNames()) {
            keys.add(key.replaceFirst("^shard\\.\\d+\\.", "shard.<i>."));
        }
        assertEquals(documented, keys);
        assertEquals(ShardManifest.FORMAT, written.getProperty("format"));
        assertTrue(
                String.join("\n", lines).contains("| `format` | `" + ShardManifest.FORMAT + "` |"));
        assertEquals(manifest, ShardManifest.read(conf, path));
    }
}
