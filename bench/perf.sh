#!/usr/bin/env bash
# Where a warm apply's CPU goes, kernel included, by perf's CPU clock (software event; this VM has no hardware
# counters), as root (not part of the test suite):
#   bench/perf.sh [APPLIES [WARMUP]]
# dev.sigil.bench.ApplySyscalls applies and unloads the signed example; perf record samples only while an apply runs
# (enabled and disabled through its control FIFO, each acknowledged before the apply goes on). The JIT's code is
# named from the JVM's perf map. Prints the split kernel / JIT-compiled Java / JVM and libc, and the hottest
# symbols. JFR's CPU-time sampler (bench/profile.sh) loses most samples of so short a path; this does not.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
applies=${1:-1000}
warmup=${2:-300}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
command -v perf >/dev/null 2>&1 || die "perf not found (Debian package linux-perf)"
. "$root/bench/build.sh"
bench_build
bench_pin_root
out=$bench_out
mkfifo "$out/perf.ctl" "$out/perf.ack"

perf record -q -e cpu-clock -F 20000 -D -1 --control "fifo:$out/perf.ctl,$out/perf.ack" -o "$out/perf.data" -- \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  ${SIGIL_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$root/bench/logback-bench.xml" -cp "$bench_classpath" \
  dev.sigil.bench.ApplySyscalls --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" \
  --pin-root "$bench_pin_root" --applies "$applies" --warmup "$warmup" \
  --perf-control "$out/perf.ctl" --perf-ack "$out/perf.ack"

echo
echo "CPU-clock samples while $applies applies ran (every thread of the JVM; the applying one, the launcher's main thread, is named 'java'):"
perf report -i "$out/perf.data" --stdio --sort comm,dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 15
echo
echo "Hottest symbols of the applying thread:"
perf report -i "$out/perf.data" --stdio --comm java --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 60
