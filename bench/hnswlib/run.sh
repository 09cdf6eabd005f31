#!/usr/bin/env bash
# hnswlib 0.6.2 (Debian's libhnswlib-dev) as a standalone C++ process on Fashion-MNIST, the same
# protocol as AnnRunner (M 16, efConstruction 200, 2-thread build, k 10, warm-up pass, single-thread
# sequential queries timed one by one): checks that AnnRunner's in-JVM `hnswlib` system (FFM)
# measures what the library does on its own. Needs: g++ libhnswlib-dev python3-numpy
# dataset-fashion-mnist. Usage: bench/hnswlib/run.sh [WORKDIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${1:-/tmp/hnswlib-standalone}"
mkdir -p "$work"
cd "$work"
[ -f gt.i32 ] || python3 "$here/fashion_to_raw.py"
g++ -O3 -march=native -std=c++17 -pthread -o standalone "$here/standalone.cpp"
./standalone
