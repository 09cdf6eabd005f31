#!/usr/bin/env bash
# Sharded hnswmap on Spark local[2] against one index on the same machine (README "On Spark",
# bench/RESULTS.md): builds both if missing, computes the ground truth once, then searches in
# alternating separate JVMs and times a new JVM's first query.
# Usage: bench/spark-shards.sh --dir /tmp/spark-shards [--rows 1000000] [--rounds 3] ...
# (every option: bench/spark-shards.sh run --help)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -DskipTests install -pl engine,spark,bench -am -Dinvoker.skip
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
J=$(ls -d /usr/lib/jvm/temurin-25-jdk*/bin/java | head -1)
# What spark-submit adds on Java 17+ (Spark's JavaModuleOptions), for the children too.
FLAGS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
-Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow \
--enable-native-access=ALL-UNNAMED"
CMD=run
if [[ $# -gt 0 && $1 != --* ]]; then CMD=$1; shift; fi
EXTRA=()
if [[ $CMD == run ]]; then EXTRA=(--jvm-flags "$FLAGS"); fi
# shellcheck disable=SC2086
exec "$J" $FLAGS -Xmx512m -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  org.hnswmap.bench.spark.SparkShardsRun "$CMD" "${EXTRA[@]}" "$@"
