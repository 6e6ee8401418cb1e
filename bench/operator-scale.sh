#!/usr/bin/env bash
# The operator at scale (not part of the test suite):
#   bench/operator-scale.sh [--programs 1000] [--nodes 5000] [--pools 50] [--cluster-wide 5] [--flapping 0.10]
#                           [--flap-rounds 3] [--writers 4] [--operator-jvm "FLAGS"] [--timeout-seconds 600]
#                           [--phases all|start]
# Compiles the operator and its test fixtures through the reactor, then runs OperatorScaleBenchmark: the shared
# mock API server (crds test-jar MockApiServer) and the simulated agents in one JVM, the real operator in another
# (OperatorUnderTest, -Xmx512m by default), and prints one table (also in bench/target/operator-scale/results.txt;
# the operator's log is next to it). --phases start measures (a) only, for profiling the operator's start.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
out="$root/bench/target/operator-scale"
mkdir -p "$out/classes"

./mvnw -B -q -pl operator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
. "$root/build-tools/jdk.sh"
sigil_find_jdk
classpath="$root/operator/target/classes:$root/operator/target/test-classes:$(cat "$out/classpath.txt")"

rm -rf "$out/classes"
"$JAVA_HOME/bin/javac" -d "$out/classes" -cp "$classpath" --release 25 $(find "$root/bench/operator/src" -name '*.java')
# SIGIL_BENCH_DRIVER_JVM: extra flags for this (mock + simulated agents) JVM, e.g. to record it with JFR.
SIGIL_ROOT="$root" "$JAVA_HOME/bin/java" -Xmx4g ${SIGIL_BENCH_DRIVER_JVM:-} -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
  -cp "$out/classes:$classpath" dev.sigil.bench.operator.OperatorScaleBenchmark --out "$out" \
  --operator-logback "$root/operator/src/main/resources/logback.xml" "$@"
