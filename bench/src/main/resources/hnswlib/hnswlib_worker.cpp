// hnswlib as its own process, the way its users run it, for bench/compare (org.hnswmap.bench.Compare).
// Built by the bench on first use with Debian's libhnswlib-dev headers:
//   g++ -O3 -march=native -DNDEBUG -std=c++17 -pthread -o hnswlib_worker hnswlib_worker.cpp
//
//   hnswlib_worker build BASE.fvecs SPACE M EF_CONSTRUCTION THREADS OUT.bin
//       inserts every row (label = row number) with THREADS threads, saveIndex(OUT.bin); prints
//       "build_seconds S" (the inserts only) and "bytes N" (the saved file)
//   hnswlib_worker serve INDEX.bin SPACE QUERIES.fvecs GT.ivecs K FIRST COUNT
//       loadIndex, then answers commands on standard input, one a line:
//         sweep EF[,EF...]   for each ef: one warm-up pass over queries FIRST..FIRST+COUNT-1, then
//                            the same queries timed one by one on this thread; prints
//                            "point EF RECALL QPS P50_US P99_US" (QPS = COUNT / summed latency)
//                            and "done" after the last ef
//         quit
// SPACE is l2, ip or cosine (cosine: rows and queries normalized, inner-product space, as
// hnswlib's Python binding does). Errors go to standard error with exit code 2.
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "hnswlib_worker: %s\n", message.c_str());
    std::exit(2);
}

// Rows of an .fvecs / .ivecs file: each row is an int32 count followed by that many 4-byte values.
template <typename T>
std::vector<T> readVecs(const std::string& path, size_t& rows, size_t& dim) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open " + path);
    std::vector<T> out;
    rows = 0;
    dim = 0;
    int32_t d;
    while (in.read(reinterpret_cast<char*>(&d), 4)) {
        if (d <= 0 || (dim != 0 && static_cast<size_t>(d) != dim)) fail(path + ": bad row length");
        dim = d;
        size_t at = out.size();
        out.resize(at + dim);
        if (!in.read(reinterpret_cast<char*>(out.data() + at), dim * sizeof(T))) fail(path + ": truncated");
        rows++;
    }
    if (rows == 0) fail(path + ": no rows");
    return out;
}

void normalize(std::vector<float>& v, size_t dim) {
    for (size_t at = 0; at < v.size(); at += dim) {
        double norm = 0;
        for (size_t j = 0; j < dim; j++) norm += static_cast<double>(v[at + j]) * v[at + j];
        float inv = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 1.0f;
        for (size_t j = 0; j < dim; j++) v[at + j] *= inv;
    }
}

std::unique_ptr<hnswlib::SpaceInterface<float>> makeSpace(const std::string& space, size_t dim) {
    if (space == "l2") return std::make_unique<hnswlib::L2Space>(dim);
    if (space == "ip" || space == "cosine") return std::make_unique<hnswlib::InnerProductSpace>(dim);
    fail("unknown space " + space + " (l2, ip, cosine)");
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int build(char** argv) {
    std::string basePath = argv[2], space = argv[3], out = argv[7];
    size_t m = std::stoul(argv[4]), efc = std::stoul(argv[5]), threads = std::stoul(argv[6]);
    size_t rows, dim;
    std::vector<float> base = readVecs<float>(basePath, rows, dim);
    if (space == "cosine") normalize(base, dim);
    auto s = makeSpace(space, dim);
    auto start = std::chrono::steady_clock::now();
    hnswlib::HierarchicalNSW<float> index(s.get(), rows, m, efc, 100);
    std::atomic<size_t> next(0);
    auto work = [&]() {
        for (size_t i = next++; i < rows; i = next++) index.addPoint(base.data() + i * dim, i);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; t++) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    double took = seconds(start);
    index.saveIndex(out);
    std::ifstream saved(out, std::ios::binary | std::ios::ate);
    std::printf("build_seconds %.4f\nbytes %lld\n", took, static_cast<long long>(saved.tellg()));
    return 0;
}

int serve(char** argv) {
    std::string indexPath = argv[2], space = argv[3], queryPath = argv[4], gtPath = argv[5];
    size_t k = std::stoul(argv[6]), first = std::stoul(argv[7]), count = std::stoul(argv[8]);
    size_t nq, dim, ngt, gtDim;
    std::vector<float> queries = readVecs<float>(queryPath, nq, dim);
    std::vector<int32_t> gt = readVecs<int32_t>(gtPath, ngt, gtDim);
    if (ngt != nq) fail("ground truth has " + std::to_string(ngt) + " rows for " + std::to_string(nq) + " queries");
    if (gtDim < k) fail("ground truth has fewer than k columns");
    if (first + count > nq) fail("query range past the end of the query file");
    if (space == "cosine") normalize(queries, dim);
    auto s = makeSpace(space, dim);
    hnswlib::HierarchicalNSW<float> index(s.get(), indexPath);
    std::printf("ready %zu\n", static_cast<size_t>(index.cur_element_count));
    std::fflush(stdout);
    std::vector<double> latencies(count);
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream words(line);
        std::string command, efs;
        words >> command >> efs;
        if (command == "quit") break;
        if (command != "sweep") fail("unknown command: " + line);
        std::stringstream list(efs);
        std::string item;
        while (std::getline(list, item, ',')) {
            size_t ef = std::stoul(item);
            index.setEf(ef);
            for (size_t i = first; i < first + count; i++) index.searchKnn(queries.data() + i * dim, k);
            size_t hits = 0;
            double total = 0;
            for (size_t i = first; i < first + count; i++) {
                auto start = std::chrono::steady_clock::now();
                auto result = index.searchKnn(queries.data() + i * dim, k);
                double took = seconds(start);
                total += took;
                latencies[i - first] = took;
                std::unordered_set<int32_t> truth(gt.begin() + i * gtDim, gt.begin() + i * gtDim + k);
                while (!result.empty()) {
                    hits += truth.count(static_cast<int32_t>(result.top().second));
                    result.pop();
                }
            }
            std::vector<double> sorted(latencies);
            std::sort(sorted.begin(), sorted.end());
            std::printf("point %zu %.6f %.2f %.2f %.2f\n", ef, hits / static_cast<double>(count * k),
                        count / total, sorted[count / 2] * 1e6, sorted[std::min(count - 1, count * 99 / 100)] * 1e6);
        }
        std::printf("done\n");
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 8 && std::strcmp(argv[1], "build") == 0) return build(argv);
        if (argc == 9 && std::strcmp(argv[1], "serve") == 0) return serve(argv);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    fail("usage: hnswlib_worker build BASE.fvecs SPACE M EFC THREADS OUT.bin | "
         "serve INDEX.bin SPACE QUERIES.fvecs GT.ivecs K FIRST COUNT");
}
