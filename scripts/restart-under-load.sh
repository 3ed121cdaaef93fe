#!/usr/bin/env bash
# restart-under-load.sh: zero downtime, proven (or not).
#
# Runs each server under start_server with HTTP load on loopback and a SIGHUP every few seconds,
# with clients that never send a request again: our load generator (fixed rate, every body checked
# byte for byte, keep-alive and a new connection per request), and with --clients wrk (keep-alive,
# a new connection per request, POSTs with a body) and h2load; with --proxies the same through
# nginx and HAProxy, whose logs are checked for 5xx and retried requests. Then the same load on a
# plain stop-then-start and on an SO_REUSEPORT hand-over for contrast, and the in-flight check (a
# GET /sleep?ms=3000 whose generation is told to stop must still get its 200). Writes results.md,
# results.json and one latency.png per scenario of our load generator. Documented in
# docs/benchmarks/restarts.md.
#
#   scripts/restart-under-load.sh [--quick|--full] [--servers a,b,...|all] [--jdk 17|25|both] [--out DIR] [--docs]
#
# --quick        3 restarts per scenario, the demo app only
# --full         issue 14's whole proof: every server (the older Jetty, Vert.x, WireMock, the
#                distributions and the https/h2c variants included), JDK 17 and 25, our load
#                generator in both modes, wrk in both modes and with POSTs, h2load, nginx and HAProxy
#                in front of Jetty and Tomcat, 20 restarts, the contrasts, the in-flight checks
# --servers      demo, jetty, jetty11, tomcat, tomcat-nio2, netty, netty-epoll, undertow, httpserver,
#                serversocket, spring-boot, vertx, wiremock, tomcat-dist, jetty-dist, jetty-h2c,
#                jetty-tls, tomcat-tls, tomcat-dist-stock (stock server.xml: shutdown port, AJP),
#                spring-boot-management (a management port of its own),
#                or all (default: demo,jetty,tomcat,netty,undertow; with --full: all)
# --jdk          the JDK the servers run on (start_server itself runs on the default java)
# --out          results directory (default bench/results/tmp/restarts-TIMESTAMP)
# --docs         also copy the plots to docs/benchmarks/restarts-SCENARIO.png
# Anything else (--restarts N, --interval SECS, --rate R, --connections N, --modes keepalive,close,
# --clients wrk,wrk-close,wrk-post,h2load, --proxies nginx,haproxy, --proxy-servers a,b, --sizes N,..,
# --post-sizes N,.., --resend idle-close, --contrast no, --in-flight no, --in-flight-servers a,b,
# --drain-grace SECS, --wrk yes for the old cross-check) goes to the harness as --name=value.
#
# Environment: RESTART_BUILD [auto] auto: build what is missing or older than its sources; always; never.
#
# Exit status: 0 every scenario ran (failed requests are in the tables, they are results);
# 1 a scenario could not run; 2 bad usage or build failure; 130/143 interrupted (after cleanup).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"

die() { printf 'restart-under-load: %s\n' "$*" >&2; exit 2; }

args=()
servers="" out="" docs=0 quick=0 full=0
while (( $# )); do
  case $1 in
    --quick) quick=1; args+=(--quick) ;;
    --full) full=1; args+=(--full) ;;
    --docs) docs=1 ;;
    --help|-h) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*=*) name=${1%%=*}; value=${1#*=}
      case $name in --servers) servers=$value ;; --out) out=$value ;; esac
      args+=("$1") ;;
    --*) (( $# >= 2 )) || die "$1 needs a value"
      case $1 in --servers) servers=$2 ;; --out) out=$2 ;; esac
      args+=("$1=$2"); shift ;;
    *) die "unexpected argument: $1 (see --help)" ;;
  esac
  shift
done
if [[ -z $out ]]; then
  out=$repo/bench/results/tmp/restarts-$(date -u +%Y%m%d-%H%M%S)
  args+=("--out=$out")
fi
(( quick && full )) && die "--quick and --full exclude each other"
all_servers=demo,jetty,jetty11,tomcat,tomcat-nio2,netty,netty-epoll,undertow,httpserver,serversocket,spring-boot,vertx,wiremock,tomcat-dist,jetty-dist,jetty-h2c,jetty-tls,tomcat-tls,tomcat-dist-stock,spring-boot-management
if [[ -z $servers ]]; then
  if (( quick )); then servers=demo; elif (( full )); then servers=all; else servers=demo,jetty,tomcat,netty,undertow; fi
fi
[[ $servers == all ]] && servers=$all_servers
mkdir -p "$out"

# --- build (only what is missing or stale) -------------------------------------------------------
stale() {
  local jar=$1; shift
  [[ -f $jar ]] || return 0
  [[ -n $(find "$@" -newer "$jar" -type f \( -path '*/src/main/*' -o -name pom.xml \) -print -quit 2>/dev/null) ]]
}
# A failed build with every jar present (someone's half-done edit elsewhere) runs on the jars as
# they are, with a warning; without the jars it is the end.
build() {
  local jars=$1; shift
  echo "== building: mvn $*" >&2
  if ! mvn -q -B -DskipTests "$@" package >>"$out/build.log" 2>&1; then
    local missing=0 j
    for j in $jars; do [[ -f $j ]] || missing=1; done
    if (( missing )); then
      tail -n 40 "$out/build.log" >&2
      die "build failed (log: $out/build.log)"
    fi
    echo "restart-under-load: WARNING: the build failed (log: $out/build.log); running on the existing jars" >&2
  fi
}
mode=${RESTART_BUILD:-auto}
case $mode in auto|always|never) ;; *) die "RESTART_BUILD must be auto, always or never" ;; esac
if [[ $mode != never ]]; then
  if [[ $mode == always ]] || stale bench/target/bench.jar bench || stale demo-app/target/demo-app.jar demo-app \
      || stale launcher/target/dist/lib/start_server.jar launcher protocol \
      || stale agent/target/server-starter-agent.jar agent protocol; then
    build "bench/target/bench.jar demo-app/target/demo-app.jar launcher/target/dist/lib/start_server.jar agent/target/server-starter-agent.jar" \
      -pl bench,demo-app,launcher -am
  fi
  modules=() jars=""
  IFS=, read -r -a list <<<"$servers"
  for s in "${list[@]}"; do
    m=${s%%-nio2}; m=${m%%-epoll}; m=${m%%-h2c}; m=${m%%-tls}  # switches of the same jars
    [[ $m == demo ]] && continue
    # Others are building these modules right now: a jar that exists is used as it is.
    case $m in
      tomcat-dist) m=distributions jar=test-apps/distributions/target/catalina-base/webapps/ROOT.war ;;
      tomcat-dist-stock) m=distributions jar=test-apps/distributions/target/catalina-base-stock/webapps/ROOT.war ;;
      jetty-dist) m=distributions jar=test-apps/distributions/target/jetty-base/webapps/ROOT.war ;;
      wiremock) jar=test-apps/wiremock/target/wiremock-standalone.jar ;;
      *) jar=test-apps/$m/target/test-app-$m.jar ;;
    esac
    [[ -f $jar || " ${modules[*]} " == *" test-apps/$m "* ]] || modules+=("test-apps/$m") jars+=" $jar"
  done
  if (( ${#modules[@]} )); then
    build "$jars" -pl "$(IFS=,; echo "${modules[*]}")" -am
  fi
fi

# --- run: the harness leads its own process group; everything it starts is in it -----------------
harness_pid=""
cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM
  if [[ -n $harness_pid ]] && kill -0 "$harness_pid" 2>/dev/null; then
    echo "restart-under-load: stopping the harness (it stops what it started)" >&2
    kill -TERM "$harness_pid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do kill -0 "$harness_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [[ -n $harness_pid ]]; then
    # Anything of the group still here after the harness's own cleanup is a leak: KILL it.
    for ((i = 0; i < 50; i++)); do
      [[ -z $(ps -eo pgid= | awk -v g="$harness_pid" '$1 == g') ]] && break
      sleep 0.1
    done
    if [[ -n $(ps -eo pgid= | awk -v g="$harness_pid" '$1 == g') ]]; then
      echo "restart-under-load: processes left in group $harness_pid, killing them:" >&2
      ps -eo pid=,pgid=,args= | awk -v g="$harness_pid" '$2 == g' >&2
      kill -KILL -- "-$harness_pid" 2>/dev/null || true
      (( rc == 0 )) && rc=1
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "restart-under-load: interrupted" >&2; exit 130' INT
trap 'echo "restart-under-load: terminated" >&2; exit 143' TERM

set -m
java -Djava.awt.headless=true -cp bench/target/bench.jar io.github.hotdeploy.bench.restart.RestartHarness \
  "--repo=$repo" "${args[@]}" 2>&1 | tee -a "$out/harness.log" &
set +m
# With job control the pipeline is its own group, led by its first process: the harness JVM.
harness_pid=$(jobs -p %1)
status=0
wait %1 || status=$?
if (( docs )); then
  mkdir -p docs/benchmarks
  for png in "$out"/*/latency.png; do
    [[ -f $png ]] || continue
    cp "$png" "docs/benchmarks/restarts-$(basename "$(dirname "$png")").png"
  done
  echo "== plots copied to docs/benchmarks/" >&2
fi
exit "$status"
