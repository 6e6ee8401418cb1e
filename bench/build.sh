# Sourced by the bench/ scripts: builds the sigil jar when it is missing or older than the sources, and
# compiles the benchmark harness (bench/src) against it and the kernel library's test jar (its
# ForwardingSyscallBridge is the base of the phase clock). Sets JAVA_HOME, bench_classpath and bench_out.
bench_test_support() { compgen -G "$root/bpf/target/sigil-bpf-*-tests.jar" | head -n 1; }

bench_build() {
  local jar="$root/cli/target/sigil.jar"
  if [ ! -f "$jar" ] || [ -z "$(bench_test_support)" ] || [ ! -f "$root/examples/counter/target/bpf/counter.lskel.h" ] \
     || [ -n "$(find "$root" -path "$root/.git" -prune -o -path "$root/bench" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.bpf.c' \) -newer "$jar" -print -quit)" ]; then
    echo "bench: building the jars (./mvnw -B -q package -DskipTests)" >&2
    (cd "$root" && ./mvnw -B -q package -DskipTests)
  fi
  . "$root/build-tools/jdk.sh"
  sigil_find_jdk
  bench_out="$root/bench/target"
  bench_classpath="$bench_out/classes:$jar:$(bench_test_support)"
  rm -rf "$bench_out"
  mkdir -p "$bench_out/classes"
  "$JAVA_HOME/bin/javac" -d "$bench_out/classes" -cp "$jar:$(bench_test_support)" --release 25 $(find "$root/bench/src" -name '*.java')
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
