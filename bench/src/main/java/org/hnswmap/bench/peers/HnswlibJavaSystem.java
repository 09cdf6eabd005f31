package org.hnswmap.bench.peers;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * hnswlib-java (com.github.jelmerk hnswlib-core): an on-heap HNSW, M 16, efConstruction 200,
 * squared-free Euclidean distance (same order). Lives in the heap; nothing is written to disk.
 */
final class HnswlibJavaSystem implements AnnSystem {

    /** One row: its number and vector. */
    record Row(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    private HnswIndex<Integer, float[], Row, Float> index;
    private int currentEf = -1;

    @Override
    public String name() {
        return "hnswlib-java";
    }

    @Override
    public int[] buildThreads(int[] requested) {
        return requested;
    }

    @Override
    public double build(float[][] base, int threads, Path dir) throws InterruptedException {
        index =
                HnswIndex.newBuilder(
                                base[0].length,
                                DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE,
                                base.length)
                        .withM(16)
                        .withEfConstruction(200)
                        .withEf(10)
                        .build();
        currentEf = 10;
        List<Row> rows = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) {
            rows.add(new Row(i, base[i]));
        }
        long start = System.nanoTime();
        index.addAll(rows, threads, (done, max) -> {}, Integer.MAX_VALUE);
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public long[] search(float[] query, int k, int ef) {
        int beam = Math.max(ef, k);
        if (beam != currentEf) {
            index.setEf(beam);
            currentEf = beam;
        }
        List<SearchResult<Row, Float>> hits = index.findNearest(query, k);
        long[] rows = new long[hits.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = hits.get(i).item().id();
        }
        return rows;
    }

    @Override
    public long indexBytes() {
        return -1;
    }

    @Override
    public void close() {
        index = null;
    }
}
