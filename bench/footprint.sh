#!/usr/bin/env bash
# The agent's footprint under each JVM flag set measured, as root (not part of the test suite):
#   bench/footprint.sh [PROGRAMS [REPAIRS [CYCLES]]]
# For every flag set below, a fresh JVM loads PROGRAMS copies of the signed example (default 50) through the
# agent's kernel host, repairs REPAIRS drifts (default 1000: a link pin removed, put back by repairDrift) and
# runs CYCLES load/unload cycles of one more program (default 1000), and prints one row: RSS with the programs
# loaded, then RSS, its growth, open fds and live heap (after a full collection) after the first 100 of the
# repairs and of the cycles (SIGIL_BENCH_WARMUP: the JIT, metaspace and the heap settle) and at their end. RSS is
# VmRSS without a forced collection, as a container's memory limit sees it. The flag sets run in turn,
# SIGIL_BENCH_ROUNDS times (default 1), so a busy machine affects each alike. A flag set may start with
# environment assignments (MALLOC_ARENA_MAX=2 ...). SIGIL_BENCH_FLAG_SETS="label=flags;label=flags" replaces the
# list; SIGIL_BENCH_TRACE=N prints RSS every N iterations on stderr; with -XX:NativeMemoryTracking=summary in a
# set, NMT's summary.diff (programs loaded → end) goes to stderr. Then a real `sigil agent run`, and a real
# `sigil agent cluster` against the strict mock API server with PROGRAMS programs and SIGIL_BENCH_PODS pods on
# its node (default 30; ClusterAgentFootprint, below), over TLS to 127.0.0.1 with the server's certificate, which
# names that address, as the agent's CA, as in a pod (SIGIL_BENCH_API=http: plain HTTP, as rows measured before the
# bench spoke TLS).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
programs=${1:-50}
repairs=${2:-1000}
cycles=${3:-1000}
rounds=${SIGIL_BENCH_ROUNDS:-1}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
. "$root/bench/build.sh"
bench_build
bench_pin_root

# The agent image's flags (images/rootfs/usr/local/bin/sigil, also bin/sigil's) under a 256 MiB container limit
# (the chart's), which -XX:MaxRAM stands in for outside a container; "before" is the same without the trimming
# and the heap free ratios.
before="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:MaxRAM=256m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData"
image="$before -XX:TrimNativeHeapInterval=5000 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10"
default_sets="JDK defaults (G1, heap from host RAM)=;\
image flags before (no native trimming)=$before;\
before + glibc arenas limited to 2 (MALLOC_ARENA_MAX)=MALLOC_ARENA_MAX=2 $before;\
before + small heap that shrinks (-Xmx48m, MaxHeapFreeRatio 20)=$before -Xmx48m -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10;\
image flags (before + native heap trimmed every 5 s + heap free ratios 30/10)=$image"
IFS=';' read -r -a sets <<<"${SIGIL_BENCH_FLAG_SETS:-$default_sets}"

echo "bench: $programs programs, $repairs drift repairs, $cycles load/unload cycles; ${#sets[@]} flag sets x $rounds rounds" >&2
printf '\n| JVM flags | RSS, %d programs (MiB) | repairs: RSS (MiB) | growth | fds | live heap (MiB) | cycles: RSS (MiB) | growth | fds | live heap (MiB) | time |\n' "$programs"
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for ((round = 1; round <= rounds; round++)); do
  for set in "${sets[@]}"; do
    label=${set%%=*} flags=${set#*=} environment=()
    while [[ $flags =~ ^([A-Za-z_][A-Za-z0-9_]*=[^ ]*)\ *(.*)$ ]]; do
      environment+=("${BASH_REMATCH[1]}") flags=${BASH_REMATCH[2]}
    done
    # shellcheck disable=SC2086
    env "${environment[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $flags \
      -Dlogback.configurationFile="$root/bench/logback-bench.xml" -Dsigil.bench.log=ERROR \
      -cp "$bench_classpath" dev.sigil.bench.FootprintBenchmark --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" \
      --pin-root "$bench_pin_root" --label "$label" --programs "$programs" --repairs "$repairs" --cycles "$cycles" \
      --warmup "${SIGIL_BENCH_WARMUP:-100}" --trace "${SIGIL_BENCH_TRACE:-0}"
  done
done
# What a Kubernetes client adds on a bare JVM (HttpClientFootprint: the agent's two informers and 200 list calls
# against a local endpoint serving PROGRAMS SignedBpfPrograms and one Node), only when SIGIL_BENCH_HTTP_CLIENTS
# names the clients, space-separated: "lean" (the JDK's HttpClient and SnakeYAML, no Fabric8) and/or Fabric8
# transports' factory classes (their jars in SIGIL_BENCH_HTTP_CLASSPATH), in turn, SIGIL_BENCH_ROUNDS times: how the
# JDK transport was chosen over Vert.x, and what a leaner client than Fabric8 would save. The cluster agent's own
# figures come from the real process below.
if [ -n "${SIGIL_BENCH_HTTP_CLIENTS:-}" ]; then
  http_classpath="$bench_classpath${SIGIL_BENCH_HTTP_CLASSPATH:+:$SIGIL_BENCH_HTTP_CLASSPATH}"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
    -Dsigil.bench.log=OFF -cp "$http_classpath" dev.sigil.bench.HttpClientFootprint \
    --write-programs-list "$bench_out/programs.json" --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" \
    --programs "$programs"
  printf '\n| Kubernetes client, %d programs listed | RSS before (MiB) | RSS with client (MiB) | added | threads |\n|---|---|---|---|---|\n' "$programs"
  for ((round = 1; round <= rounds; round++)); do
    for client in $SIGIL_BENCH_HTTP_CLIENTS; do
      # shellcheck disable=SC2086
      "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $image -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
        -Dsigil.bench.log=OFF -cp "$http_classpath" dev.sigil.bench.HttpClientFootprint --client "$client" \
        --label "${client##*.}" --programs-list "$bench_out/programs.json" 2>/dev/null
    done
  done
fi
# The real thing: `bin/sigil agent run` (the launcher's flags and AOT cache) with PROGRAMS signed resources attached,
# refreshing every second (which repairs drift each time), RSS, fds and threads read from /proc 10 s after the
# last one attached; then SIGTERM, on which it unloads everything.
work=$(mktemp -d /tmp/sigil-footprint.XXXXXX)
agent_pin_root="$bench_pin_root-agent"
agent_pid=""
stop_agent() {
  if [ -n "$agent_pid" ]; then kill -TERM "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
  rmdir "$agent_pin_root" 2>/dev/null || true
  rm -rf "$work"
  bench_remove_pin_root
}
trap stop_agent EXIT
sigil="$root/bin/sigil"
"$sigil" keygen --out "$work/key" --ec P-256 --subject "CN=Sigil footprint bench" >/dev/null
"$sigil" sign --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" --key "$work/key/key.pem" \
  --cert "$work/key/cert.pem" --name footprint -o "$work/footprint.yaml" >/dev/null
for ((i = 0; i < programs; i++)); do
  sed "s/^  name: \"footprint\"$/  name: \"footprint-$i\"/" "$work/footprint.yaml" > "$work/footprint-$i.yaml"
done
"$sigil" agent run --trust "$work/key/cert.pem" --pin-root "$agent_pin_root" --interval 1s \
  "$work"/footprint-*.yaml > "$work/agent.out" 2>&1 &
agent_pid=$!
until [ "$(grep -c ': Attached in' "$work/agent.out")" -ge "$programs" ]; do
  kill -0 "$agent_pid" 2>/dev/null || { cat "$work/agent.out" >&2; die "sigil agent run stopped"; }
  sleep 1
done
sleep 10
java_pid=$(pgrep -P "$agent_pid" java || echo "$agent_pid")
printf '\n| process | RSS (MiB) | fds | threads |\n|---|---|---|---|\n'
printf '| sigil agent run, %d programs attached (bin/sigil flags, AOT cache) | %s | %s | %s |\n' "$programs" \
  "$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$java_pid/status")" "$(ls "/proc/$java_pid/fd" | wc -l)" \
  "$(awk '/^Threads:/ { print $2 }' "/proc/$java_pid/status")"
stop_agent
agent_pid=""
trap - EXIT

# The cluster agent, for real: `bin/sigil agent cluster` (the launcher's flags, each flag set's own added through
# SIGIL_JAVA_OPTS, later flags winning) against the strict mock API server (crds test-jar MockApiServer, in the
# driver's JVM), with PROGRAMS SignedBpfPrograms selecting its node, all attached on this kernel
# (ClusterAgentFootprint). It runs on the Java runtime a pod runs, the agent image's (images/build-runtime.sh, built
# here from this JDK: jlinked, debug attributes stripped, only its own security providers listed), and once on the
# full JDK, as on a workstation. One fresh agent per flag set: RSS with no program and with the programs attached,
# fds, threads, RSS over SIGIL_BENCH_SOAK seconds of ticks, resyncs and heartbeats (default 300; RSS and fds every
# 30 s on stderr), then classes, the live heap and, where the set turns it on, NMT's summary (jcmd). It deletes the
# programs, waits until the agent has unloaded them, stops it with SIGTERM and checks that its pin root is empty.
# SIGIL_BENCH_CLUSTER_FLAG_SETS="label=flags;label=flags" replaces the sets (flags may start with VAR=value;
# JAVA_HOME=$bench_out/runtime/opt/java is the image's runtime).
cluster_out="$bench_out/cluster"
mkdir -p "$cluster_out/classes"
(cd "$root" && ./mvnw -B -q -pl node-agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cluster_out/classpath.txt" -Dmdep.includeScope=test -Dsigil.fuzz.skip)
cluster_classpath="$cluster_out/classes:$root/crds/target/test-classes:$(cat "$cluster_out/classpath.txt")"
"$JAVA_HOME/bin/javac" -d "$cluster_out/classes" -cp "$cluster_classpath" --release 25 $(find "$root/bench/cluster/src" -name '*.java')
cluster_pin_root="$bench_pin_root-cluster"
unload_cluster_leftovers() {
  if [ -d "$cluster_pin_root" ]; then
    left=$(ls -A "$cluster_pin_root")
    # shellcheck disable=SC2086
    [ -z "$left" ] || "$sigil" agent unload --pin-root "$cluster_pin_root" $left >&2 || true
    rmdir "$cluster_pin_root" 2>/dev/null || true
  fi
  bench_remove_pin_root
}
trap unload_cluster_leftovers EXIT
"$root/images/build-runtime.sh" "$JAVA_HOME" "$bench_out/runtime" >/dev/null
image_runtime="JAVA_HOME=$bench_out/runtime/opt/java"
cluster_sets="launcher flags, image runtime=$image_runtime;launcher flags + NMT, image runtime=$image_runtime \
-XX:NativeMemoryTracking=summary;fast apply (the chart's option), image runtime=$image_runtime -XX:TieredStopAtLevel=4 \
-XX:CompileThresholdScaling=0.01;launcher flags, full JDK=JAVA_HOME=$JAVA_HOME"
SIGIL_ROOT="$root" "$JAVA_HOME/bin/java" -Xmx1g -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
  -cp "$cluster_classpath" dev.sigil.bench.cluster.ClusterAgentFootprint --sigil "$sigil" \
  --skeleton "$root/examples/counter/target/bpf/counter.lskel.h" --pin-root "$cluster_pin_root" --out "$cluster_out" \
  --programs "$programs" --pods "${SIGIL_BENCH_PODS:-30}" --soak-seconds "${SIGIL_BENCH_SOAK:-300}" \
  --api "${SIGIL_BENCH_API:-tls}" --flag-sets "${SIGIL_BENCH_CLUSTER_FLAG_SETS:-$cluster_sets}" 2> >(grep -v '^WARNING: \|VersionUsageUtils' >&2)
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), Linux $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
