#!/usr/bin/env bash
# Long crash-recovery loop: kills a writer JVM with SIGKILL N times at seeded random moments
# (inserting, updating, replacing deleted slots, growing the capacity or committing) and checks after each kill that every committed element is present,
# found by its own vector, that verify() passes and that a new writer can open.
# Usage: bench/crash-loop.sh [rounds] [seed]     (default 100 rounds, seed 42)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-100}"
seed="${2:-42}"
mvn -B -q test -pl engine -am -Dtest=CrashRecoveryTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhnswmap.crash.rounds="$rounds" -Dtests.seed="$seed"
echo "crash loop: $rounds kill points (x2: SIMD and scalar runs), seed $seed: all recovered"
