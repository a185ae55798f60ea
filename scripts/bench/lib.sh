# Shared by the benchmark scripts: builds the jar and the test classes (unless BENCH_SKIP_BUILD=1) and runs
# a benchmark class of src/test/java/io/lightsout/bench against the packaged jar.
# The jar, the test classes and their classpath, unless BENCH_SKIP_BUILD=1.
build_benchmarks() {
  if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    mvn -q -DskipTests package
    mvn -q test-compile
    mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt > /dev/null
  fi
}

run_benchmark() {
  local main=$1
  shift
  build_benchmarks
  local jar
  jar=$(ls target/lightsout-*.jar | grep -v original | head -1)
  # shellcheck disable=SC2086
  exec java ${BENCH_OPTS:-} -Dlightsout.jar="$jar" \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" "$main" "$@"
}
