package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps storage-format.md and the {@code ...Descriptor} constants equal: every table row naming a
 * constant must give the constant's value as its offset, and rows must be contiguous.
 */
class StorageFormatDocTest {

    private static final Pattern SECTION = Pattern.compile("^#+ .*\\(`(\\w+Descriptor)`\\)");
    private static final Pattern ROW =
            Pattern.compile(
                    "^\\| (\\d+) \\| ([^|]+) \\| [^|]+ \\| (\\w+) \\|\\s*`?(\\w*)`?\\s*\\|");

    @Test
    void shouldMatchDescriptorConstantsWhenDocumentIsParsed() throws Exception {
        List<String> lines = Files.readAllLines(findDocument());
        String descriptor = null;
        int checked = 0;
        long expectedNext = -1;
        for (String line : lines) {
            Matcher section = SECTION.matcher(line);
            if (section.find()) {
                descriptor = section.group(1);
                expectedNext = -1;
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (descriptor == null || !row.find()) {
                continue;
            }
            long offset = Long.parseLong(row.group(1));
            if (expectedNext >= 0) {
                assertEquals(
                        expectedNext,
                        offset,
                        descriptor + ": row " + row.group(3) + " is not contiguous");
            }
            String size = row.group(2).trim();
            expectedNext = size.matches("\\d+") ? offset + Long.parseLong(size) : -1;
            String constant = row.group(4);
            if (!constant.isEmpty()) {
                Class<?> type = Class.forName("org.hnswmap.storage." + descriptor);
                long value = ((Number) type.getField(constant).get(null)).longValue();
                assertEquals(value, offset, descriptor + "." + constant + " vs storage-format.md");
                checked++;
            }
        }
        assertTrue(
                checked >= 35, "only " + checked + " constants were checked; did the tables move?");
        assertEquals(512, CommitSlotDescriptor.META_FILE_LENGTH);
        assertEquals(256, CommitSlotDescriptor.SLOT0_OFFSET);
        assertEquals(384, CommitSlotDescriptor.SLOT1_OFFSET);
        assertEquals(64, VectorsDescriptor.ROW_ALIGNMENT);
        assertEquals(64, FileHeaderDescriptor.PREAMBLE_LENGTH);
        String doc = Files.readString(findDocument());
        assertEquals(832, QuantizedVectorsDescriptor.rowStride(784));
        assertTrue(doc.contains("784-d: 832 bytes"), "int8 row stride example not in the document");
        assertEquals(112, BinaryVectorsDescriptor.rowStride(784));
        assertEquals(3_264, BinaryVectorsDescriptor.rowsOffset(784));
        assertTrue(
                doc.contains("784-d: 112 bytes"), "one-bit row stride example not in the document");
        assertEquals(80, Int4VectorsDescriptor.rowStride(128));
        assertEquals(416, Int4VectorsDescriptor.rowStride(784));
        assertTrue(
                doc.contains("128-d: 80 bytes; 784-d: 416 bytes"),
                "4-bit row stride examples not in the document");
        assertTrue(
                doc.contains(
                        "on up to `"
                                + TraversalRegionsDescriptor.SAMPLE_ROWS_PER_REGION
                                + " x regionCount`"),
                "regions' k-means sample not in the document");
        assertEquals(FileHeaderDescriptor.KIND_INT4, 9, "kind id of vectors.i4 in the file table");
        assertTrue(doc.contains("| `vectors.i4` | 9 |"), "vectors.i4 kind not in the file table");
        assertEquals(832, org.hnswmap.distance.FastRotation.paddedDimension(784));
        assertEquals(
                FileHeaderDescriptor.KIND_BINARY, 8, "kind id of vectors.b1 in the file table");
        assertTrue(doc.contains("| `vectors.b1` | 8 |"), "vectors.b1 kind not in the file table");
        assertTrue(
                doc.contains(
                        "Record of node `n` at `64 + n * " + NodeRecordDescriptor.RECORD_STRIDE),
                "node record stride "
                        + NodeRecordDescriptor.RECORD_STRIDE
                        + " not in the document");
    }

    @Test
    void shouldDescribeEveryFileNameWhenDocumentIsRead() throws Exception {
        String doc = Files.readString(findDocument());
        List<String> missing = new ArrayList<>();
        for (var field : IndexFileNames.class.getFields()) {
            String name = (String) field.get(null);
            if (!doc.contains("`" + name + "`")) {
                missing.add(name);
            }
        }
        String labels = "`" + IndexFileNames.labels(1) + "`";
        if (!doc.contains(labels.replace("1", "<labelSlotCount>"))) {
            missing.add(labels);
        }
        assertTrue(missing.isEmpty(), "storage-format.md does not describe " + missing);
    }

    private static Path findDocument() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("storage-format.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IOException("storage-format.md not found above " + Path.of("").toAbsolutePath());
    }
}
