// What an hnswlib user does to search an index file: hnswlib 0.6.2 (Debian's libhnswlib-dev) loads
// it (HierarchicalNSW(space, path): every element read into the heap) and answers one query. For the
// larger-than-memory bench (bench/.../large/HnswlibAttempt). Args: index file, dimension, query file
// (raw float32, normalized: cosine is the inner product space on normalized rows).
// It makes itself the OOM killer's first choice (oom_score_adj 1000, a setting of this process),
// so that running out of memory stops it and not the memory holder or the shell.
#include <hnswlib/hnswlib.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>
int main(int argc, char** argv) {
    if (FILE* adj = fopen("/proc/self/oom_score_adj", "w")) { fputs("1000", adj); fclose(adj); }
    size_t dim = strtoull(argv[2], 0, 10);
    std::vector<float> q(dim);
    { std::ifstream f(argv[3], std::ios::binary); f.read((char*) q.data(), dim * 4); }
    hnswlib::InnerProductSpace space(dim);
    auto t0 = std::chrono::steady_clock::now();
    printf("loading %s\n", argv[1]);
    fflush(stdout);
    try {
        hnswlib::HierarchicalNSW<float> index(&space, argv[1]);
        double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        printf("loaded %zu elements in %.1f s\n", (size_t) index.cur_element_count, load);
        fflush(stdout);
        index.setEf(100);
        auto t1 = std::chrono::steady_clock::now();
        auto r = index.searchKnn(q.data(), 10);
        size_t nearest = 0;
        while (!r.empty()) { nearest = r.top().second; r.pop(); }
        printf("answered in %.1f ms: nearest label %zu\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count() * 1e3, nearest);
    } catch (const std::exception& e) {
        printf("failed: %s\n", e.what());
        return 2;
    }
    return 0;
}
