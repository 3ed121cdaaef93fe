#!/usr/bin/env bash
# wrappers-matrix.sh: issue 15's exhaustive check of Java behind wrappers and of extra ports.
#
#   scripts/wrappers-matrix.sh [--prebuilt] [--jdk 17|25]
#   scripts/wrappers-matrix.sh --zipkin [--jdk 17|25]
#
# Runs integration-tests' WrappersIT, ExtraPortsIT and DiagnosisIT with -Dit.matrix=full: every
# wrapper Debian packages (sh -c, env, nice, ionice, taskset, numactl, setsid, authbind, tini,
# dumb-init, chpst, setuidgid, runuser, gosu, su -c, su -s /bin/sh nobody -c, jsvc, Python and
# Perl launchers) alone in front of java, plus the three chains CI runs; the Spring Boot
# management-port app's restarts besides the cases CI runs. About 2.5 minutes on an idle two-core machine (CI runs the short version, about
# 75 s). The user switches need root; a wrapper that is not installed is skipped with a message
# (.ci/run installs them all).
#
# --prebuilt   test what is built already (-Dit.prebuilt) instead of building launcher, agent and
#              test-apps first
# --jdk N      the wrappers' server JVM on JDK N (17, the default, or 25: Temurin 25 at
#              /usr/lib/jvm/temurin-25-jdk-amd64); ExtraPortsIT and DiagnosisIT keep their own JDKs
## --zipkin     instead: a Spring Boot executable jar we did not write, Zipkin's server
#              (io.zipkin:zipkin-server:3.6.1:exec from Maven Central, Boot 3.5, Armeria on Netty),
#              run as its users run it (java -jar ... --server.port=N) under bin/start_server
#              (built already), then 3 HUPs under wrk (keep-alive, 4 connections, GET /health,
#              60 s timeout): passes with every generation serving and wrk counting no socket
#              error and no non-2xx answer. About 4 minutes on a loaded two-core machine. Needs wrk and curl.
#
# Reports: integration-tests/target/failsafe-reports/; each case's start_server.log is under
# integration-tests/target/it-work/. Exit status: Maven's (0: every case passed or was skipped).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
build=(-pl integration-tests -am)
jdk=17
zipkin=0
while [ $# -gt 0 ]; do
  case $1 in
    --prebuilt) build=(-pl integration-tests -am -Dit.prebuilt) ;;
    --jdk)
      case ${2:-} in
        17|25) jdk=$2; shift ;;
        *) printf 'wrappers-matrix: --jdk takes 17 or 25, not: %s\n' "${2:-(nothing)}" >&2; exit 2 ;;
      esac ;;
    --zipkin) zipkin=1 ;;
    --help|-h) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'wrappers-matrix: unexpected argument: %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$zipkin" = 1 ]; then
  java_home=/usr/lib/jvm/java-17-openjdk-amd64
  [ "$jdk" = 25 ] && java_home=/usr/lib/jvm/temurin-25-jdk-amd64
  [ -x bin/start_server ] && [ -f launcher/target/dist/lib/start_server.jar ] \
    || { echo 'wrappers-matrix: build start_server first: mvn -q -B -pl launcher -am -DskipTests package' >&2; exit 2; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/wrappers-zipkin.XXXXXX")
  ss_pid=""
  cleanup() {
    if [ -n "$ss_pid" ] && kill -0 "$ss_pid" 2>/dev/null; then
      kill -TERM "$ss_pid"; wait "$ss_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
  }
  trap cleanup EXIT
  mvn -q -B dependency:copy -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec -DoutputDirectory="$work" \
    -Dmdep.stripVersion=false
  jar=$(ls "$work"/zipkin-server-*-exec.jar)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log="$work/start_server.log"
  # A busy machine can take more than a minute to start Zipkin: readiness may take 3.
  bin/start_server --port="127.0.0.1:$port" --wait-ready-timeout=180 -- "$java_home/bin/java" -XX:+UseSerialGC \
    -jar "$jar" --server.port="$port" >"$log" 2>&1 &
  ss_pid=$!
  generations() { grep -c 'start_server-agent: ready: accepting on' "$log" || true; }
  await() { # what, seconds, condition...
    local what=$1 secs=$2; shift 2
    for _ in $(seq "$secs"); do "$@" && return 0; kill -0 "$ss_pid" 2>/dev/null || break; sleep 1; done
    echo "wrappers-matrix: zipkin: $what did not happen; start_server's log:" >&2; cat "$log" >&2; exit 1
  }
  await "generation 1 serving" 240 sh -c "[ \$(grep -c 'ready: accepting on' '$log') -ge 1 ] && curl -sf -o /dev/null http://127.0.0.1:$port/health"
  status=0
  for hup in 1 2 3; do
    # A response slower than wrk's default 2 s (a new JVM warming up on a loaded machine) is
    # latency, which the benchmarks measure; a request that gets no answer at all is a failure.
    wrk -t1 -c4 -d600s --timeout 60s "http://127.0.0.1:$port/health" >"$work/wrk-$hup.txt" 2>&1 &
    wrk_pid=$!
    sleep 3
    kill -HUP "$ss_pid"
    await "generation $((hup + 1)) serving and the old one gone" 240 sh -c \
      "[ \$(grep -c 'ready: accepting on' '$log') -ge $((hup + 1)) ] && [ \$(grep -c '^old worker .* died' '$log') -ge $hup ]"
    kill -INT "$wrk_pid" 2>/dev/null || true  # wrk prints its summary on INT
    wait "$wrk_pid" || true
    requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk-$hup.txt")
    errors=$(grep -E 'Socket errors|Non-2xx' "$work/wrk-$hup.txt" || true)
    echo "zipkin HUP $hup: ${requests:-?} requests, ${errors:-no socket error, no non-2xx answer}"
    [ -z "$errors" ] && [ -n "$requests" ] && [ "$requests" -gt 0 ] || status=1
  done
  grep -E 'drain \(pid [0-9]+\): (done|timeout)' "$log" | sed 's/^start_server-agent: /  /'
  [ "$status" = 0 ] && echo "zipkin: passed" || { echo "zipkin: FAILED; start_server's log:"; cat "$log"; }
  exit "$status"
fi
exec mvn -B "${build[@]}" verify -Dit.matrix=full -Dit.jdk="$jdk" -Dit.test='WrappersIT,ExtraPortsIT,DiagnosisIT' -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
