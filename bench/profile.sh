#!/usr/bin/env bash
# Where a warm apply's CPU time goes, as root (not part of the test suite):
#   bench/profile.sh [APPLIES [WARMUP]]
# The agent's host applies and unloads the signed example WARMUP times (default 300), then APPLIES times
# (default 2000) inside a JFR recording with the CPU-time sampler (jdk.CPUTimeSample, 1 ms), and prints the
# apply's CPU split by phase (verification step by step, loader protocol, attach, pin, report) with the share
# spent inside system calls, and the hottest methods. The recording stays in bench/target/apply.jfr for
# `jfr print` or JDK Mission Control. SIGIL_BENCH_JAVA_OPTS passes JVM flags.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
applies=${1:-2000}
warmup=${2:-300}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
. "$root/bench/build.sh"
bench_build
bench_pin_root
echo "bench: profiling $applies applies after $warmup warm-up" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:FlightRecorderOptions:stackdepth=256 ${SIGIL_BENCH_JAVA_OPTS:-} \
  -Dlogback.configurationFile="$root/bench/logback-bench.xml" -cp "$bench_classpath" dev.sigil.bench.ApplyProfile \
  --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" --pin-root "$bench_pin_root" \
  --recording "$bench_out/apply.jfr" --applies "$applies" --warmup "$warmup"
