// hnswlib (Debian's libhnswlib-dev, 0.6.2 headers) behind a C interface for the benchmark runner,
// which calls it through Java's FFM API in its own JVM (HnswlibCppSystem). Compiled on first use
// with g++ -O3 -march=native, so hnswlib's AVX-512 kernels are in; this file is benchmark
// scaffolding only, not part of hnswmap.
#include <hnswlib/hnswlib.h>

#include <atomic>
#include <cstdint>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {
struct Handle {
    hnswlib::SpaceInterface<float>* space;
    hnswlib::HierarchicalNSW<float>* index;
    size_t dim;
};
}  // namespace

extern "C" {

// L2 index for `capacity` rows of `dim` floats; null when out of memory.
void* hm_create(int32_t dim, int64_t capacity, int32_t m, int32_t ef_construction, int64_t seed) {
    Handle* h = new (std::nothrow) Handle();
    if (h == nullptr) return nullptr;
    h->dim = static_cast<size_t>(dim);
    h->space = new hnswlib::L2Space(h->dim);
    h->index = new hnswlib::HierarchicalNSW<float>(h->space, static_cast<size_t>(capacity),
                                                   static_cast<size_t>(m),
                                                   static_cast<size_t>(ef_construction),
                                                   static_cast<size_t>(seed));
    return h;
}

// Adds rows 0..n-1 of `rows` (row-major) with their row numbers as labels, on `threads` threads
// taking rows from a shared counter (as hnswlib's Python binding does). Returns 0, or -1 when an
// insert threw.
int32_t hm_add(void* handle, const float* rows, int64_t n, int32_t threads) {
    Handle* h = static_cast<Handle*>(handle);
    std::atomic<int64_t> next(0);
    std::atomic<bool> failed(false);
    auto work = [&]() {
        for (int64_t i = next++; i < n && !failed; i = next++) {
            try {
                h->index->addPoint(rows + i * h->dim, static_cast<hnswlib::labeltype>(i));
            } catch (...) {
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int32_t t = 1; t < threads; t++) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return failed ? -1 : 0;
}

void hm_set_ef(void* handle, int64_t ef) { static_cast<Handle*>(handle)->index->setEf(ef); }

// The k nearest labels, nearest first, into `labels`; returns how many were found.
int32_t hm_search(void* handle, const float* query, int32_t k, int64_t* labels) {
    Handle* h = static_cast<Handle*>(handle);
    auto found = h->index->searchKnn(query, static_cast<size_t>(k));
    int32_t count = static_cast<int32_t>(found.size());
    for (int32_t i = count - 1; i >= 0; i--) {
        labels[i] = static_cast<int64_t>(found.top().second);
        found.pop();
    }
    return count;
}

// saveIndex to `path`; returns 0, or -1 when it threw.
int32_t hm_save(void* handle, const char* path) {
    try {
        static_cast<Handle*>(handle)->index->saveIndex(std::string(path));
        return 0;
    } catch (...) {
        return -1;
    }
}

void hm_free(void* handle) {
    Handle* h = static_cast<Handle*>(handle);
    delete h->index;
    delete h->space;
    delete h;
}
}
