package org.hnswmap.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;

/**
 * Lucene's HNSW ({@code Lucene99HnswVectorsFormat(16, 200)}, float32, EUCLIDEAN) in one segment on
 * an {@link MMapDirectory} after {@code forceMerge(1)}. Documents are added in row order with no
 * deletions, so a document id is its row number. A query asks {@link KnnFloatVectorQuery} for
 * {@code ef} hits (Lucene's beam width is its k) and keeps the first {@code k}, the usual way to
 * give Lucene an ef. Built by one indexing thread.
 */
final class LuceneSystem implements AnnSystem {

    private static final String FIELD = "v";

    private MMapDirectory directory;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private Path path;

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public int[] buildThreads(int[] requested) {
        return new int[] {1};
    }

    @Override
    public double build(float[][] base, int threads, Path dir) throws IOException {
        close();
        path = dir;
        directory = new MMapDirectory(dir);
        IndexWriterConfig config =
                new IndexWriterConfig()
                        // replaces an index already in dir, as AnnSystem.build promises (Lucene
                        // appends by default, and a second build made two segments)
                        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                        .setRAMBufferSizeMB(2_000)
                        .setCodec(
                                new Lucene103Codec() {
                                    @Override
                                    public KnnVectorsFormat getKnnVectorsFormatForField(
                                            String field) {
                                        return new Lucene99HnswVectorsFormat(16, 200);
                                    }
                                });
        long start = System.nanoTime();
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (float[] row : base) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, row, VectorSimilarityFunction.EUCLIDEAN));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        reader = DirectoryReader.open(directory);
        if (reader.leaves().size() != 1 || reader.maxDoc() != base.length) {
            throw new IllegalStateException("expected one segment of " + base.length + " docs");
        }
        searcher = new IndexSearcher(reader);
        return seconds;
    }

    @Override
    public long[] search(float[] query, int k, int ef) throws IOException {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(ef, k)), k);
        long[] rows = new long[top.scoreDocs.length];
        int i = 0;
        for (ScoreDoc hit : top.scoreDocs) {
            rows[i++] = hit.doc;
        }
        return rows;
    }

    @Override
    public long indexBytes() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            long total = 0;
            for (Path f : files.toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (directory != null) {
            directory.close();
            directory = null;
        }
    }
}
