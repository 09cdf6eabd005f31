#!/usr/bin/python3
"""Writes the hnswlib test files of hnswmap's HnswlibFormatTest.

Run with Debian's python3-hnswlib (0.6.2) and python3-numpy:
    sudo apt-get install python3-hnswlib python3-numpy
    cd engine/src/test/resources/hnswlib && /usr/bin/python3 make_files.py

For each space it saves an index built by hnswlib (with some elements marked deleted), the queries
(.fvecs) and hnswlib's own answers at ef 50, k 10 (labels .ivecs-like int64 text and distances),
so the Java test can check that an imported index answers exactly as hnswlib does.
"""
import struct

import hnswlib
import numpy as np


def write_fvecs(path, rows):
    with open(path, "wb") as f:
        for row in rows.astype(np.float32):
            f.write(struct.pack("<i", len(row)))
            f.write(row.tobytes())


def make(space, n, dim, m, ef_construction, deleted, seed):
    rng = np.random.default_rng(seed)
    data = rng.random((n, dim), dtype=np.float32)
    labels = np.arange(1000, 1000 + n, dtype=np.int64) * 7  # not row numbers
    queries = rng.random((40, dim), dtype=np.float32)
    index = hnswlib.Index(space=space, dim=dim)
    index.init_index(max_elements=n + 50, M=m, ef_construction=ef_construction, random_seed=100)
    index.add_items(data, labels, num_threads=1)
    for label in labels[:deleted]:
        index.mark_deleted(int(label))
    index.set_ef(50)
    found, distances = index.knn_query(queries, k=10)
    name = f"{space}-{n}x{dim}"
    index.save_index(f"{name}.bin")
    write_fvecs(f"{name}-queries.fvecs", queries)
    with open(f"{name}-answers.txt", "w") as f:
        f.write(f"# hnswlib {getattr(hnswlib, '__version__', '0.6.2')} knn_query k=10 ef=50\n")
        for row_labels, row_distances in zip(found, distances):
            f.write(" ".join(str(int(x)) for x in row_labels) + "\n")
            f.write(" ".join(repr(float(x)) for x in row_distances) + "\n")


make("l2", 600, 16, 8, 60, deleted=12, seed=1)
make("cosine", 400, 12, 6, 40, deleted=0, seed=2)
make("ip", 400, 10, 6, 40, deleted=5, seed=3)
