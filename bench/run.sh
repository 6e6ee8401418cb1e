#!/usr/bin/env bash
# Sigil's load-path benchmark, as root (not part of the test suite):
#   bench/run.sh [ITERATIONS [WARMUP]]
# Builds the sigil jar if needed, compiles the Java harness against it and the C baseline with gcc
# from the example's light skeleton (header-only <bpf/skel_internal.h>, libc only), runs both on the
# same skeleton in alternating blocks with unload in between, and prints one table (medians, p99 of each apply's
# phases: translate, verify, loader protocol, attach, pin; the like-for-like load+attach and the full-apply Java/C
# ratios, by CPU time and wall clock, also on one line each; load+attach to the first pin, the earlier boundary;
# verification alone; JVM warm-up; agent RSS with 50 programs loaded).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
iterations=${1:-200}
warmup=${2:-50}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
skeleton_dir="$root/examples/counter/target/bpf"

. "$root/bench/build.sh"
bench_build
bench_pin_root
bench_c_driver
out=$bench_out

echo "bench: C light skeleton and Java agent, $iterations iterations each after $warmup warm-up, alternating" >&2
# SIGIL_BENCH_JAVA_OPTS: JVM flags to measure, e.g. the agent image's (images/rootfs/usr/local/bin/sigil).
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${SIGIL_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
  -cp "$bench_classpath" dev.sigil.bench.LoadBenchmark \
  --skeleton "$skeleton_dir/counter.lskel.h" --c-driver "$out/lskel_bench" --pin-root "$bench_pin_root" \
  --iterations "$iterations" --warmup "$warmup" --rss-programs 50
