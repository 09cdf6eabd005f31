#!/usr/bin/env bash
# Load run: 1 writer JVM inserting, deleting, growing and committing continuously, N reader JVMs
# searching the same mapped files and checking every answer; reports queries, commits seen by
# readers and each reader's memory (RSS / PSS / USS, whole process and index mappings).
# Usage: bench/load.sh [seconds=60] [readers=4] [dir=/tmp/hnswmap-load]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
J=$(ls -d /usr/lib/jvm/temurin-25-jdk*/bin/java | head -1)
"$J" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g \
  -cp bench/target/benchmarks.jar org.hnswmap.bench.LoadRun "$@"
