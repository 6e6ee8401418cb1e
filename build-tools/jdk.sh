# Sourced by ./mvnw and the bin/ launchers. Finds a JDK 25 without starting a JVM (each `java -version`
# costs a JVM start-up), and runs Sigil's jars with their JDK AOT cache when one matches.

# The feature version of the Java runtime at $1, from its `release` file (JAVA_VERSION="25.0.3").
sigil_java_major() {
  [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*"$/\1/p' "$1/release" | head -1
}

# Exports JAVA_HOME: JAVA_HOME if it holds a Java 25 or newer, else the first such under /usr/lib/jvm.
# With --jdk (the build) it must also have javac.
sigil_find_jdk() {
  local wanted=25 candidate major looked=() tool=java
  [ "${1:-}" = --jdk ] && tool=javac
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    looked+=("$candidate")
    major=$(sigil_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$wanted" ] && [ -x "$candidate/bin/$tool" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "sigil: needs a $([ "$tool" = javac ] && echo JDK || echo Java) $wanted or newer; looked in JAVA_HOME and /usr/lib/jvm (${looked[*]:-nothing found}). Install one, e.g. Temurin $wanted, and set JAVA_HOME." >&2
  return 1
}

# sigil_run_jar JAR TRAINING_MAIN JVM_FLAGS... -- ARGS...
# Runs JAR with the JVM flags. Its AOT cache (JAR with .aot for .jar, made by the build) is used when it
# is newer than the jar; the JVM checks the rest (same jar, same JDK, same flags) and, if the cache does
# not match, runs without it, silently (-Xlog:aot=off; SIGIL_JAVA_OPTS=-Xlog:aot shows why).
# SIGIL_AOT=off runs without it. SIGIL_AOT_TRAIN=1 instead records the cache: it runs TRAINING_MAIN
# with ARGS in a JVM with the same flags and writes JAR.aot (log in JAR.aot.log).
sigil_run_jar() {
  local jar=$1 training=$2 flags=() cache
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  cache="${jar%.jar}.aot"
  if [ -n "${SIGIL_AOT_TRAIN:-}" ]; then
    local started=$SECONDS
    rm -f "$cache"
    if "$JAVA_HOME/bin/java" "${flags[@]}" -XX:AOTCacheOutput="$cache" -cp "$jar" "$training" "$@" >"$cache.log" 2>&1 \
       && [ -f "$cache" ]; then
      echo "recorded the AOT cache $cache ($(( $(stat -c %s "$cache") >> 20 )) MiB) in $(( SECONDS - started )) s" >&2
      return 0
    fi
    echo "could not record the AOT cache $cache; see $cache.log" >&2
    return 1
  fi
  local aot=()
  if [ "${SIGIL_AOT:-on}" != off ] && [ -f "$cache" ] && [ "$cache" -nt "$jar" ]; then
    aot=(-XX:AOTCache="$cache" -Xlog:aot=off)
  fi
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" "${aot[@]}" "${flags[@]}" ${SIGIL_JAVA_OPTS:-} -jar "$jar" "$@"
}
