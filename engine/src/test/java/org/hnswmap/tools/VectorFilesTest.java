package org.hnswmap.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.error.VectorFileException;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorFilesTest {

    @TempDir Path dir;

    @Test
    void shouldReadBackWhatWasWrittenWhenFvecsIvecsOrNpy() throws IOException {
        float[][] rows = RandomVectors.uniform(37, 11, 3);
        VectorFiles.writeFvecs(dir.resolve("a.fvecs"), rows);
        NpyFiles.writeFloat32Matrix(dir.resolve("a.npy"), rows);
        int[][] ints = {{1, 2, 3}, {-4, 5, Integer.MAX_VALUE}};
        VectorFiles.writeIvecs(dir.resolve("a.ivecs"), ints);

        assertArrayEquals(rows, VectorFiles.read(dir.resolve("a.fvecs")));
        assertArrayEquals(rows, VectorFiles.read(dir.resolve("a.npy")));
        assertArrayEquals(ints, VectorFiles.readIvecs(dir.resolve("a.ivecs")));
    }

    @Test
    void shouldReadBvecsAsUnsignedBytes() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * (4 + 3)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(3).put((byte) 0).put((byte) 200).put((byte) 255);
        b.putInt(3).put((byte) 1).put((byte) 2).put((byte) 3);
        Files.write(dir.resolve("a.bvecs"), b.array());

        float[][] rows = VectorFiles.read(dir.resolve("a.bvecs"));

        assertArrayEquals(new float[][] {{0, 200, 255}, {1, 2, 3}}, rows);
    }

    @Test
    void shouldReadLabelsFromTextAndNpy() throws IOException {
        Files.writeString(dir.resolve("l.txt"), "# labels\n5\n\n-7\n9000000000\n");
        assertArrayEquals(
                new long[] {5, -7, 9_000_000_000L}, VectorFiles.readLabels(dir.resolve("l.txt")));

        ByteBuffer data =
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-1);
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }";
        writeNpy(dir.resolve("l.npy"), dict, data.array());
        assertArrayEquals(new long[] {3, -1}, VectorFiles.readLabels(dir.resolve("l.npy")));
    }

    @Test
    void shouldNameTheFileAndProblemWhenTruncatedOrForeign() throws IOException {
        Path fvecs = dir.resolve("t.fvecs");
        VectorFiles.writeFvecs(fvecs, RandomVectors.uniform(5, 8, 1));
        FileBytes.truncate(fvecs, Files.size(fvecs) - 3);
        assertMessage(fvecs, "truncated");

        Path text = dir.resolve("x.fvecs");
        Files.writeString(text, "hello world, not vectors");
        assertMessage(text, "not a .fvecs file");

        Path npy = dir.resolve("f8.npy");
        writeNpy(npy, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", new byte[16]);
        assertMessage(npy, "float32");

        Path shortNpy = dir.resolve("short.npy");
        writeNpy(
                shortNpy,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (100, 2), }",
                new byte[16]);
        assertMessage(shortNpy, "needs 800 bytes");

        Path fortran = dir.resolve("fortran.npy");
        writeNpy(
                fortran,
                "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                new byte[16]);
        assertMessage(fortran, "Fortran order");

        Path idx = dir.resolve("bad-idx3-ubyte");
        Files.write(idx, new byte[] {0, 0, 8, 3, 0x7f, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28});
        assertMessage(idx, "truncated IDX");

        assertMessage(dir.resolve("data.csv"), "unknown vector file type");
    }

    private static void assertMessage(Path file, String expected) {
        VectorFileException e =
                assertThrows(VectorFileException.class, () -> VectorFiles.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static void writeNpy(Path file, String dict, byte[] data) throws IOException {
        String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + data.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes()).put(data);
        Files.write(file, b.array());
    }

    @Test
    void shouldPadNpyHeadersToSixtyFourBytes() throws IOException {
        NpyFiles.writeFloat32Matrix(dir.resolve("p.npy"), new float[][] {{1f}});
        byte[] bytes = Files.readAllBytes(dir.resolve("p.npy"));
        int headerBytes = bytes.length - 4;
        assertEquals(0, headerBytes % 64);
        assertEquals('\n', bytes[headerBytes - 1]);
    }
}
