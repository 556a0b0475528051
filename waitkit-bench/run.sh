#!/bin/sh
# Runs the Waitkit benchmark suite: the performance targets of BENCHMARKS.md (repository root).
#
#   waitkit-bench/run.sh report [--only B1,B3] [--rounds N]
#       the whole suite in report mode (about 24 min on 2 cores: B9a-B9s about 10, B7 and B8 about 1 min each, B11 about 2): writes
#       waitkit-bench/results/latest.json, then BENCHMARKS.md and waitkit-bench/results/b9.svg
#   waitkit-bench/run.sh smoke [--only B1,B3]
#       every benchmark once, briefly (under 2 min): writes waitkit-bench/target/bench-smoke/
#   waitkit-bench/run.sh render
#       renders BENCHMARKS.md and the plot again from waitkit-bench/results/*.json
#   waitkit-bench/run.sh b9 [--out FILE] [--threads 1,2,4,8,16] [--smoke]
#       B9 alone (for a machine with many cores, where the jar also runs without Maven:
#       java -jar waitkit-bench.jar b9 ...)
#   waitkit-bench/run.sh list
#
# It first builds waitkit-bench/target/waitkit-bench.jar with the Maven wrapper (unit tests
# skipped; set WAITKIT_BENCH_NO_BUILD=1 to use the jar as it is), and runs it on the JDK that
# bin/find-jdk finds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar="$here/target/waitkit-bench.jar"

mode=${1:-}
case "$mode" in
  report|smoke|render|b9|list) shift ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

JAVA_HOME=$("$root/bin/find-jdk") || exit 1
export JAVA_HOME

if [ -z "${WAITKIT_BENCH_NO_BUILD:-}" ]; then
  # waitkit-cli too: B10 runs the ./waitkit launcher on its build
  (cd "$root" && ./mvnw -q -pl waitkit-cli,waitkit-bench -am package -DskipTests)
elif [ ! -f "$jar" ]; then
  echo "run.sh: $jar is missing; run without WAITKIT_BENCH_NO_BUILD to build it" >&2
  exit 1
fi

java="$JAVA_HOME/bin/java"
case "$mode" in
  report) exec "$java" -jar "$jar" report --out "$here/results" --markdown "$root/BENCHMARKS.md" "$@" ;;
  smoke)  exec "$java" -jar "$jar" smoke --out "$here/target/bench-smoke" "$@" ;;
  render) exec "$java" -jar "$jar" render --results "$here/results" --markdown "$root/BENCHMARKS.md" "$@" ;;
  b9)     exec "$java" -jar "$jar" b9 "$@" ;;
  list)   exec "$java" -jar "$jar" list "$@" ;;
esac
