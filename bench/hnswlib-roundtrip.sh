#!/usr/bin/env bash
# hnswlib files both ways, checked by hnswlib itself (Debian's python3-hnswlib 0.6.2):
#   1. hnswlib builds an index on N random vectors and saves it;
#   2. `hnswmap import-hnswlib` converts it; `hnswmap query` answers 200 queries;
#   3. `hnswmap export-hnswlib` writes it back; hnswlib's load_index reads the export;
#   4. the answers of hnswlib (original), hnswmap (imported) and hnswlib (export) are compared.
# Usage: bench/hnswlib-roundtrip.sh [N] [DIM] [SPACE]    (needs: apt-get install python3-hnswlib)
set -euo pipefail
n="${1:-20000}"; dim="${2:-64}"; space="${3:-l2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
/usr/bin/python3 - "$n" "$dim" "$space" <<'PY'
import struct, sys, hnswlib, numpy as np
n, dim, space = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(7)
data = rng.random((n, dim), dtype=np.float32); queries = rng.random((200, dim), dtype=np.float32)
index = hnswlib.Index(space=space, dim=dim)
index.init_index(max_elements=n, M=16, ef_construction=100, random_seed=100)
index.add_items(data, np.arange(n) * 3, num_threads=2)
for label in range(0, 300, 3): index.mark_deleted(label)
index.save_index("original.bin")
with open("queries.fvecs", "wb") as f:
    for q in queries: f.write(struct.pack("<i", dim)); f.write(q.tobytes())
labels, _ = index.knn_query(queries, k=10)  # ef 10 is too small for k 10: set it
index.set_ef(64); labels, _ = index.knn_query(queries, k=10)
np.save("original-answers.npy", labels.astype(np.int64))
PY
"$root/hnswmap" import-hnswlib original.bin --space "$space" --dim "$dim" -o imported 2>/dev/null
"$root/hnswmap" query imported -q queries.fvecs -k 10 --ef 64 -o imported.csv 2>/dev/null
"$root/hnswmap" export-hnswlib imported -o exported.bin 2>/dev/null
/usr/bin/python3 - "$n" "$dim" "$space" <<'PY'
import csv, sys, hnswlib, numpy as np
n, dim, space = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
original = np.load("original-answers.npy")
imported = np.zeros_like(original)
for row in csv.DictReader(open("imported.csv")):
    imported[int(row["query"]), int(row["rank"])] = int(row["label"])
index = hnswlib.Index(space=space, dim=dim); index.load_index("exported.bin")
index.set_ef(64)
queries = np.fromfile("queries.fvecs", dtype=np.float32).reshape(-1, dim + 1)[:, 1:]
exported, _ = index.knn_query(queries, k=10)
same_import = int((imported == original).all(axis=1).sum())
same_export = int((exported == original).all(axis=1).sum())
print(f"{n} x {dim} {space}: hnswmap after import answers {same_import}/200 queries exactly as "
      f"hnswlib; hnswlib after export answers {same_export}/200 exactly as before; "
      f"elements {index.get_current_count()}, deleted ids hidden: "
      f"{not np.isin(exported, np.arange(0, 300, 3)).any()}")
sys.exit(0 if same_import == 200 and same_export == 200 else 1)
PY
