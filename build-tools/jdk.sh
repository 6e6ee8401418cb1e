# Sourced by ./mvnw and the bin/ launchers: exports JAVA_HOME pointing at a JDK 25 or newer.
sigil_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

sigil_find_jdk() {
  local wanted=25 candidate major looked=()
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    looked+=("$candidate")
    major=$(sigil_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$wanted" ] && [ -x "$candidate/bin/javac" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "sigil: needs a JDK $wanted or newer; looked in JAVA_HOME and /usr/lib/jvm (${looked[*]:-nothing found}). Install one, e.g. Temurin $wanted, and set JAVA_HOME." >&2
  return 1
}
