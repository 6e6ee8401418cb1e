# Sourced by the bench/ scripts: builds the sigil jar when it is missing or older than the sources, and
# compiles the benchmark harness (bench/src) against it and the kernel library's test jar (its
# ForwardingSyscallBridge is the base of the phase clock). Sets JAVA_HOME, bench_classpath and bench_out
# (SIGIL_BENCH_OUT, default bench/target: benchmarks running at once need one each).
bench_test_support() { ls -t "$root"/bpf/target/sigil-bpf-*-tests.jar 2>/dev/null | head -n 1; }

bench_build() {
  local jar="$root/cli/target/sigil.jar"
  if [ ! -f "$jar" ] || [ -z "$(bench_test_support)" ] || [ ! -f "$root/examples/counter/target/bpf/counter.lskel.h" ] \
     || [ -n "$(find "$root" -path "$root/.git" -prune -o -path "$root/bench" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.bpf.c' \) -newer "$jar" -print -quit)" ]; then
    echo "bench: building the jars (./mvnw -B -q package -DskipTests)" >&2
    (cd "$root" && ./mvnw -B -q package -DskipTests)
  fi
  . "$root/build-tools/jdk.sh"
  sigil_find_jdk
  bench_out="${SIGIL_BENCH_OUT:-$root/bench/target}"
  rm -rf "$bench_out"
  mkdir -p "$bench_out/classes"
  # Copies, so that a build running meanwhile (which rewrites the jars) cannot pull them from under the benchmark.
  cp "$jar" "$bench_out/sigil.jar"
  cp "$(bench_test_support)" "$bench_out/bpf-tests.jar"
  bench_classpath="$bench_out/classes:$bench_out/sigil.jar:$bench_out/bpf-tests.jar"
  "$JAVA_HOME/bin/javac" -d "$bench_out/classes" -cp "$bench_classpath" --release 25 $(find "$root/bench/src" -name '*.java')
}

# The C baseline, compiled with gcc from the example's light skeleton (header-only <bpf/skel_internal.h>, libc
# only), as $bench_out/lskel_bench.
bench_c_driver() {
  command -v gcc >/dev/null 2>&1 || { echo "bench: gcc not found (Debian package gcc)" >&2; exit 1; }
  [ -f /usr/include/bpf/skel_internal.h ] || { echo "bench: <bpf/skel_internal.h> not found (Debian package libbpf-dev)" >&2; exit 1; }
  gcc -O2 -Wall -Wextra -I"$root/examples/counter/target/bpf" -o "$bench_out/lskel_bench" "$root/bench/c/lskel_bench.c"
}

# A unique pin root under bpffs, removed on exit (it must be empty by then: the harness unloads what it loaded).
bench_pin_root() {
  bench_pin_root="/sys/fs/bpf/sigil-bench-$$-$RANDOM"
  trap bench_remove_pin_root EXIT
}

bench_remove_pin_root() {
  if [ -d "$bench_pin_root" ]; then
    [ -z "$(ls -A "$bench_pin_root")" ] || echo "bench: $bench_pin_root is not empty; see bin/sigil agent status --pin-root $bench_pin_root" >&2
    rmdir "$bench_pin_root" 2>/dev/null || true
  fi
}
