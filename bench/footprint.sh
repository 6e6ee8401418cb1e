#!/usr/bin/env bash
# The agent's footprint under each JVM flag set measured, as root (not part of the test suite):
#   bench/footprint.sh [PROGRAMS [REPAIRS [CYCLES]]]
# For every flag set below, a fresh JVM loads PROGRAMS copies of the signed example (default 50) through the
# agent's kernel host, repairs REPAIRS drifts (default 1000: a link pin removed, put back by repairDrift) and
# runs CYCLES load/unload cycles of one more program (default 1000), and prints one row: RSS with the programs
# loaded, then RSS, open fds and live heap (after a full collection) at the start and end of the repairs and of
# the cycles. RSS is VmRSS without a forced collection, as a container's memory limit sees it. The flag sets
# run in turn, three times (SIGIL_BENCH_ROUNDS), so a busy machine affects each alike.
# SIGIL_BENCH_FLAG_SETS="label=flags;label=flags" replaces the list.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
programs=${1:-50}
repairs=${2:-1000}
cycles=${3:-1000}
rounds=${SIGIL_BENCH_ROUNDS:-3}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
. "$root/bench/build.sh"
bench_build
bench_pin_root

# The agent image's flags (images/rootfs/usr/local/bin/sigil) under a 256 MiB container limit (the chart's),
# which -XX:MaxRAM stands in for outside a container.
image="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:MaxRAM=256m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData"
default_sets="JDK defaults (G1, heap from host RAM)=;\
SerialGC=-XX:+UseSerialGC;\
image flags=$image;\
image + -Xmx48m=$image -Xmx48m;\
image + -Xmx32m -Xss256k=$image -Xmx32m -Xss256k;\
image + CompactObjectHeaders=$image -XX:+UseCompactObjectHeaders;\
image + -Xshare:off (no CDS)=$image -Xshare:off;\
image, C2 as well (no TieredStopAtLevel)=${image/ -XX:TieredStopAtLevel=1/}"
IFS=';' read -r -a sets <<<"${SIGIL_BENCH_FLAG_SETS:-$default_sets}"

echo "bench: $programs programs, $repairs drift repairs, $cycles load/unload cycles; ${#sets[@]} flag sets x $rounds rounds" >&2
printf '\n| JVM flags | RSS, %d programs (MiB) | repairs: RSS (MiB) | fds | live heap (MiB) | cycles: RSS (MiB) | fds | live heap (MiB) | time |\n' "$programs"
printf '|---|---|---|---|---|---|---|---|---|\n'
for ((round = 1; round <= rounds; round++)); do
  for set in "${sets[@]}"; do
    label=${set%%=*} flags=${set#*=}
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $flags -Dlogback.configurationFile="$root/bench/logback-bench.xml" -Dsigil.bench.log=ERROR \
      -cp "$bench_classpath" dev.sigil.bench.FootprintBenchmark --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" \
      --pin-root "$bench_pin_root" --label "$label" --programs "$programs" --repairs "$repairs" --cycles "$cycles"
  done
done
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), Linux $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
