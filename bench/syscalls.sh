#!/usr/bin/env bash
# The system calls of one warm apply, Java agent against the C light skeleton, as root (not part of the tests):
#   bench/syscalls.sh [APPLIES [WARMUP]]
# Traces (strace) the agent's host applying the signed example APPLIES times after WARMUP untraced-in-effect
# ones (dev.sigil.bench.ApplySyscalls marks each apply), and the C baseline's APPLIES load + attach iterations
# (its timed region: between the two reads of its thread CPU clock); prints the calls per apply of each side,
# bpf() by command, and what only the Java side makes. strace slows both sides down: count calls with it, never time.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
applies=${1:-5}
warmup=${2:-50}
die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: it loads BPF programs"
command -v strace >/dev/null 2>&1 || die "strace not found (Debian package strace)"
. "$root/bench/build.sh"
bench_build
bench_pin_root
bench_c_driver
out=$bench_out
skeleton="$root/examples/counter/target/bpf/counter.lskel.h"

strace -f -ff -qq -o "$out/java.trace" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${SIGIL_BENCH_JAVA_OPTS:-} \
  -Dlogback.configurationFile="$root/bench/logback-bench.xml" -cp "$bench_classpath" dev.sigil.bench.ApplySyscalls \
  --skeleton "$skeleton" --pin-root "$bench_pin_root" --applies "$applies" --warmup "$warmup"
strace -qq -o "$out/c.trace" "$out/lskel_bench" "$applies" 0 >/dev/null

# One "name" per call: bpf() by its command, the rest by the call's name.
calls() { sed -E -n 's/^([a-z0-9_]+)\((BPF_[A-Z_]+)?.*/\1 \2/p' | sed -E 's/ $//'; }
java_thread=$(grep -l 'sigil-bench-apply-begin' "$out"/java.trace.* | head -n 1)
[ -n "$java_thread" ] || die "no apply marker in the Java trace"
awk '/sigil-bench-apply-begin/ { inside = 1; next } /sigil-bench-apply-end/ { inside = 0 } inside' "$java_thread" \
  | calls | sort | uniq -c | awk -v n="$applies" '{ c = $1; $1 = ""; sub(/^ /, ""); printf "%s\t%.1f\n", $0, c / n }' \
  | sort >"$out/java.calls"
awk '/^clock_gettime\(CLOCK_THREAD_CPUTIME_ID/ { inside = !inside; next } inside' "$out/c.trace" \
  | calls | sort | uniq -c | awk -v n="$applies" '{ c = $1; $1 = ""; sub(/^ /, ""); printf "%s\t%.1f\n", $0, c / n }' \
  | sort >"$out/c.calls"

echo
echo "System calls per warm apply ($applies traced; Java: KernelProgramHost.apply, verify + load + attach + pin;"
echo "C: counter__open_and_load + counter__attach). Other JVM threads (GC, JIT) are not counted."
echo
printf '| %-32s | %6s | %6s |\n' "call" "Java" "C"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "--------" "--------"
join -t $'\t' -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$out/java.calls" "$out/c.calls" \
  | awk -F '\t' '{ printf "| %-32s | %6s | %6s |\n", $1, $2, $3; j += $2; c += $3 } END { printf "| %-32s | %6s | %6s |\n", "total", j, c }'
