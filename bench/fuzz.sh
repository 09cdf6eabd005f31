#!/usr/bin/env bash
# Long fuzz run: damages a small valid index in N seeded ways (bit flips, truncation, extreme header
# values with repaired checksums, wrong or missing files, zeroed pages), then opens, searches,
# verifies it as a reader and as a writer. Every case must end in success or an engine exception,
# within 20 s. Usage: bench/fuzz.sh [cases] [first-seed]     (default 20000 cases from seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-20000}"
first="${2:-1}"
mvn -B -q test -pl engine -am -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhnswmap.fuzz.cases="$cases" -Dhnswmap.fuzz.first="$first"
echo "fuzz: $cases cases from seed $first (x2: SIMD and scalar runs): no crash, hang or stray exception"
