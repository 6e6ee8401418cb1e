#!/usr/bin/env bash
# Whole-process start-up of Sigil's commands with and without the JDK AOT cache, beside OpenSSL and the
# C light skeleton, in one run (as root; not part of the tests):
#   bench/startup.sh [RUNS]
# Each command runs RUNS times (default 10) after one unmeasured warm-up, all commands taking turns
# (A B C ... A B C ...) so a machine whose speed drifts affects each alike; the wall time from fork to
# exit of every run is taken with the shell's clock, and the table prints median, min and max.
#   sigil --help, sigil verify            bin/sigil with its AOT cache (cli/target/sigil.aot) and with SIGIL_AOT=off
#   sigil agent run --once                the standalone agent on the signed example: start, verify, load, attach,
#                                         print the table, unload, exit
#   sigil agent run: start → attached     the same run, timed from fork until it prints "startup: Attached", with
#                                         its phases (SIGIL_STARTUP_TRACE) in a second table
# Every row also shows the median CPU time (user + sys, /usr/bin/time) of the whole process.
#   openssl cms -verify                   the same signature over the same loader, same certificate
#   C light skeleton                      bench/c/lskel_bench.c, one load+attach of the same skeleton in a fresh
#                                         process (then detach, and wait until the kernel freed it)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
runs=${1:-10}
jar="$root/cli/target/sigil.jar"
skeleton_dir="$root/examples/counter/target/bpf"
sigil="$root/bin/sigil"

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: the agent and the C skeleton load BPF programs"
command -v openssl >/dev/null 2>&1 || die "openssl not found"
command -v gcc >/dev/null 2>&1 || die "gcc not found (Debian package gcc)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"

# The cache must be newer than the jar (a build with -Dsigil.aot.skip=true leaves an older one, which the
# launcher rightly ignores: the "with" rows would then measure no cache at all).
if [ ! -f "$jar" ] || [ ! "${jar%.jar}.aot" -nt "$jar" ] || [ ! -f "$skeleton_dir/counter.lskel.h" ] \
   || [ -n "$(find "$root" -path "$root/.git" -prune -o -path "$root/bench" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.bpf.c' \) -newer "$jar" -print -quit)" ]; then
  echo "bench: building the jars and their AOT caches (./mvnw -B -q package -DskipTests)" >&2
  ./mvnw -B -q package -DskipTests
fi

work=$(mktemp -d /tmp/sigil-startup.XXXXXX)
pin_root="/sys/fs/bpf/sigil-startup-$$-$RANDOM"
cleanup() {
  if [ -d "$pin_root" ]; then
    "$sigil" agent unload --pin-root "$pin_root" startup >/dev/null 2>&1 || true
    rmdir "$pin_root" 2>/dev/null || echo "bench: could not remove $pin_root" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: signing the example and extracting its loader and signature for OpenSSL" >&2
"$sigil" keygen --out "$work/key" --ec P-256 --subject "CN=Sigil start-up bench" >/dev/null
"$sigil" sign --skeleton "$skeleton_dir/counter.lskel.h" --key "$work/key/key.pem" --cert "$work/key/cert.pem" \
  --name startup -o "$work/counter.yaml" >/dev/null
field() { sed -n "s/^  $1: \"\(.*\)\"$/\1/p" "$work/counter.yaml" | base64 -d > "$work/$2"; [ -s "$work/$2" ] || die "no spec.$1 in the signed resource"; }
field loader loader.bin
field signature signature.der
gcc -O2 -Wall -Wextra -I"$skeleton_dir" -o "$work/lskel_bench" "$root/bench/c/lskel_bench.c"

names=("sigil --help" "sigil verify" "sigil agent run --once")
commands=(
  "$sigil --help"
  "$sigil verify --trust $work/key/cert.pem $work/counter.yaml"
  "$sigil agent run --trust $work/key/cert.pem --pin-root $pin_root --once $work/counter.yaml"
)
openssl_command="openssl cms -verify -binary -inform DER -in $work/signature.der -content $work/loader.bin -CAfile $work/key/cert.pem -certfile $work/key/cert.pem -purpose any -out /dev/null"
c_command="$work/lskel_bench 1 0"

# Every measured case: a label and a command line (SIGIL_AOT=off for the runs without the cache).
labels=() lines=() patterns=()
for i in "${!names[@]}"; do
  labels+=("${names[$i]}|without") lines+=("env SIGIL_AOT=off ${commands[$i]}") patterns+=("")
  labels+=("${names[$i]}|with") lines+=("${commands[$i]}") patterns+=("")
done
# The same agent run, timed from fork to attached (before it unloads and exits), its phases marked on stderr.
labels+=("sigil agent run: start → attached|without") patterns+=("startup: Attached")
lines+=("env SIGIL_AOT=off SIGIL_STARTUP_TRACE=1 ${commands[2]}")
labels+=("sigil agent run: start → attached|with") patterns+=("startup: Attached")
lines+=("env SIGIL_STARTUP_TRACE=1 ${commands[2]}")
labels+=("openssl cms -verify|-") lines+=("$openssl_command") patterns+=("")
labels+=("C light skeleton: load + attach in a fresh process|-") lines+=("$c_command") patterns+=("")

declare -A samples cpu_samples
# Prints "WALL_US CPU_MS": microseconds from fork to exit, or with a pattern from fork to the first stdout line
# containing it (the agent prints "NAME: Attached in N ms" once attached, then goes on to unload and exit), and the
# process's user + system CPU time to its exit (/usr/bin/time, which a busy machine does not inflate as it does
# the wall clock). Phase marks (SIGIL_STARTUP_TRACE) go to $work/phases as "PHASE WALL_US_SINCE_FORK CPU_MS".
measure() {
  local line=$1 pattern=${2:-} start at="" output
  start=${EPOCHREALTIME/./}
  while IFS= read -r output; do
    if [ -n "$pattern" ] && [ -z "$at" ] && [[ $output == *"$pattern"* ]]; then at=${EPOCHREALTIME/./}; fi
  done < <(/usr/bin/time -f '%U %S' -o "$work/cpu" $line 2>"$work/stderr" || echo "FAILED")
  [ "$output" != FAILED ] || { cat "$work/stderr" >&2; die "failed: $line"; }
  [ -n "$pattern" ] && [ -z "$at" ] && die "never printed '$pattern': $line"
  awk -v s="$start" '$1 == "startup-trace" { printf "%s %d %d\n", $2, $3 - s, $4 }' "$work/stderr" > "$work/phases"
  if [ -n "$at" ]; then echo "printed $(( at - start )) -1" >> "$work/phases"; fi
  echo "$(( ${at:-${EPOCHREALTIME/./}} - start )) $(tail -n 1 "$work/cpu" | awk '{ printf "%d", ($1 + $2) * 1000 }')"
}
declare -A phase_samples
record() {
  local i=$1 wall cpu
  read -r wall cpu < <(measure "${lines[$i]}" "${patterns[$i]}")
  samples[$i]+="$wall " cpu_samples[$i]+="$cpu "
  while read -r phase at phase_cpu; do phase_samples[$i,$phase]+="$at/$phase_cpu "; done < "$work/phases"
}
echo "bench: $runs runs of ${#lines[@]} commands, taking turns, after one warm-up each" >&2
for i in "${!lines[@]}"; do measure "${lines[$i]}" "${patterns[$i]}" >/dev/null; done
for ((run = 0; run < runs; run++)); do
  for i in "${!lines[@]}"; do record "$i"; done
done

# median, min and max of microsecond samples, printed in ms (or s above 1 s)
stats() {
  sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s %d\n", fmt(m), fmt(v[1]), fmt(v[NR]), m }
    function fmt(us) { return us >= 1000000 ? sprintf("%.2f s", us / 1e6) : sprintf("%.1f ms", us / 1e3) }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%d", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A medians
printf '\n| command | JDK AOT cache | median | min | max | CPU (user + sys), median |\n|---|---|---|---|---|---|\n'
for i in "${!lines[@]}"; do
  read -r median median_unit min min_unit max max_unit raw < <(tr ' ' '\n' <<<"${samples[$i]}" | grep . | stats)
  medians[$i]=$raw
  cpu=$(median <<<"${cpu_samples[$i]}")
  [ "$cpu" -gt 0 ] && cpu="$cpu ms" || cpu="< 10 ms"
  printf '| %s | %s | %s %s | %s %s | %s %s | %s%s |\n' "${labels[$i]%%|*}" "${labels[$i]##*|}" \
    "$median" "$median_unit" "$min" "$min_unit" "$max" "$max_unit" "$cpu" \
    "$([ -n "${patterns[$i]}" ] && echo ' (to exit)')"
done
printf '\nWith / without the AOT cache (medians):'
pairs=("${names[@]}" "agent run to attached")
for i in "${!pairs[@]}"; do
  awk -v a="${medians[$((2 * i + 1))]}" -v b="${medians[$((2 * i))]}" -v n="${pairs[$i]}" 'BEGIN { printf " %s %.2fx;", n, a / b }'
done
c=$(( ${#lines[@]} - 1 ))
printf '\nAgent run start to attached / the C process (medians): %s without the AOT cache, %s with it\n' \
  "$(awk -v a="${medians[6]}" -v b="${medians[$c]}" 'BEGIN { printf "%.0fx", a / b }')" \
  "$(awk -v a="${medians[7]}" -v b="${medians[$c]}" 'BEGIN { printf "%.0fx", a / b }')"

# Where the agent's start goes: each phase's end, median over the runs, as wall time since fork and as CPU time the
# process had used by then (all its threads: the JIT compilers and the GC too); the step is the median of each run's
# difference to the phase before.
phases=(main arguments resources trust host verification load attach pin printed)
describe=("JVM started, main entered" "arguments parsed (picocli)" "resource files read" "trust bundle read"
  "kernel host opened (probe, bpffs)" "verified (adoption of old pins included)" "loaded (loader protocol)"
  "attached" "pinned" "'Attached' printed")
phase_stats() { # SAMPLES_OF_PHASE SAMPLES_OF_PREVIOUS -> "wall_ms step_ms cpu_ms step_cpu_ms"
  awk -v now="$1" -v before="$2" 'BEGIN {
    n = split(now, a, " "); split(before, b, " ")
    for (k = 1; k <= n; k++) { split(a[k], x, "/"); split(b[k], y, "/")
      w[k] = x[1] / 1000; c[k] = x[2]; dw[k] = (x[1] - y[1]) / 1000; dc[k] = x[2] - y[2] }
    printf "%.0f %.0f %s %s\n", med(w, n), med(dw, n), x[2] < 0 ? "-" : med(c, n), x[2] < 0 ? "-" : med(dc, n) }
    function med(v, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
printf '\n| sigil agent run, phase ends | without AOT: since fork (ms) | step | CPU by then (ms) | step | with AOT: since fork (ms) | step | CPU by then (ms) | step |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for p in "${!phases[@]}"; do
  row="| ${describe[$p]} "
  for i in 6 7; do
    previous=""
    [ "$p" -gt 0 ] && previous=${phase_samples[$i,${phases[$((p - 1))]}]:-}
    [ -n "$previous" ] || previous=$(sed 's|[0-9-]*/[0-9-]*|0/0|g' <<<"${phase_samples[$i,${phases[$p]}]}")
    read -r wall step cpu step_cpu < <(phase_stats "${phase_samples[$i,${phases[$p]}]}" "$previous")
    row+="| $wall | $step | $cpu | $step_cpu "
  done
  echo "$row|"
done
SIGIL_JAVA_OPTS=-Xlog:aot "$sigil" --version 2>&1 | grep -q "Using AOT-linked classes: true" \
  || echo "bench: WARNING: the AOT cache did not map; the 'with' rows ran without it" >&2
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), $("$sigil" --version)"
