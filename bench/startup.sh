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
#   sigil agent run: start → attached     the same run, timed from fork until it prints "startup: Attached"
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
# The same agent run, timed from fork to attached (before it unloads and exits).
for aot in without with; do
  labels+=("sigil agent run: start → attached|$aot") patterns+=("startup: Attached")
  lines+=("$([ $aot = without ] && echo "env SIGIL_AOT=off ")${commands[2]}")
done
labels+=("openssl cms -verify|-") lines+=("$openssl_command") patterns+=("")
labels+=("C light skeleton: load + attach in a fresh process|-") lines+=("$c_command") patterns+=("")

declare -A samples
# Microseconds from fork to exit; with a pattern (label "...|...|PATTERN"), from fork to the first stdout line
# containing it (the agent prints "NAME: Attached in N ms" once attached, then goes on to unload and exit).
measure() {
  local line=$1 pattern=${2:-} start at="" output
  start=${EPOCHREALTIME/./}
  while IFS= read -r output; do
    if [ -n "$pattern" ] && [ -z "$at" ] && [[ $output == *"$pattern"* ]]; then at=${EPOCHREALTIME/./}; fi
  done < <($line 2>"$work/stderr" || echo "FAILED")
  [ "$output" != FAILED ] || { cat "$work/stderr" >&2; die "failed: $line"; }
  [ -n "$pattern" ] && [ -z "$at" ] && die "never printed '$pattern': $line"
  echo $(( ${at:-${EPOCHREALTIME/./}} - start ))
}
echo "bench: $runs runs of ${#lines[@]} commands, taking turns, after one warm-up each" >&2
for i in "${!lines[@]}"; do measure "${lines[$i]}" "${patterns[$i]}" >/dev/null; done
for ((run = 0; run < runs; run++)); do
  for i in "${!lines[@]}"; do samples[$i]+="$(measure "${lines[$i]}" "${patterns[$i]}") "; done
done

# median, min and max of microsecond samples, printed in ms (or s above 1 s)
stats() {
  sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s %d\n", fmt(m), fmt(v[1]), fmt(v[NR]), m }
    function fmt(us) { return us >= 1000000 ? sprintf("%.2f s", us / 1e6) : sprintf("%.1f ms", us / 1e3) }'
}
declare -A medians
printf '\n| command | JDK AOT cache | median | min | max |\n|---|---|---|---|---|\n'
for i in "${!lines[@]}"; do
  read -r median median_unit min min_unit max max_unit raw < <(tr ' ' '\n' <<<"${samples[$i]}" | grep . | stats)
  medians[$i]=$raw
  printf '| %s | %s | %s %s | %s %s | %s %s |\n' "${labels[$i]%%|*}" "${labels[$i]##*|}" \
    "$median" "$median_unit" "$min" "$min_unit" "$max" "$max_unit"
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
SIGIL_JAVA_OPTS=-Xlog:aot "$sigil" --version 2>&1 | grep -q "Using AOT-linked classes: true" \
  || echo "bench: WARNING: the AOT cache did not map; the 'with' rows ran without it" >&2
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), $("$sigil" --version)"
