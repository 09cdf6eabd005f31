// hnswlib 0.6.2 standalone on the raw files of fashion_to_raw.py: 2-thread build, then for ef 10/20/40 a
// warm-up pass and single-thread queries timed one by one (QPS = queries / summed latency).
#include <hnswlib/hnswlib.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>
#include <vector>
#include <algorithm>
static std::vector<float> readf(const char* p, size_t n) { std::vector<float> v(n); std::ifstream f(p, std::ios::binary); f.read((char*)v.data(), n*4); return v; }
int main(int argc, char** argv) {
    const size_t dim = 784, nb = 60000, nq = 10000;
    auto base = readf("base.f32", nb*dim), q = readf("queries.f32", nq*dim);
    std::vector<int> gt(nq*10); { std::ifstream f("gt.i32", std::ios::binary); f.read((char*)gt.data(), nq*40); }
    hnswlib::L2Space space(dim);
    auto t0 = std::chrono::steady_clock::now();
    hnswlib::HierarchicalNSW<float> index(&space, nb, 16, 200, 100);
    std::atomic<size_t> next(0);
    auto work = [&]() { for (size_t i = next++; i < nb; i = next++) index.addPoint(base.data() + i*dim, i); };
    std::thread t(work); work(); t.join();
    double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printf("build 2 threads %.2f s\n", build);
    for (int ef : {10, 20, 40}) {
        index.setEf(ef);
        for (size_t i = 0; i < nq; i++) index.searchKnn(q.data() + i*dim, 10);
        double total = 0; size_t hits = 0;
        for (size_t i = 0; i < nq; i++) {
            auto s = std::chrono::steady_clock::now();
            auto r = index.searchKnn(q.data() + i*dim, 10);
            total += std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count();
            std::set<int> truth(gt.begin() + i*10, gt.begin() + i*10 + 10);
            while (!r.empty()) { hits += truth.count((int) r.top().second); r.pop(); }
        }
        printf("ef %d recall %.4f QPS %.0f\n", ef, hits / (double)(nq*10), nq / total);
    }
}
