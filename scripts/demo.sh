#!/usr/bin/env bash
# demo.sh: zero-downtime restarts, shown and checked.
#
# Starts the demo app under start_server, puts it under keep-alive load for ~15 s while sending
# start_server SIGHUP three times, then prints the load generator's summary and which
# generations served. Exits 0 only if every request succeeded and nothing is left running.
#
#   scripts/demo.sh
#
# Environment (defaults in brackets):
#   DEMO_PORT [8080]          loopback port start_server binds
#   START_SERVER [bin/start_server]   e.g. /usr/bin/start_server, the Perl original
#   DEMO_APP_MODE [jvm]       jvm: java -jar demo-app/target/demo-app.jar, an unmodified app that
#                             needs our agent to adopt the socket; fixture: a small Python server
#                             that speaks Server::Starter itself (scripts/fixtures/ss_http_server.py)
#   DEMO_JAVA_OPTS []         JVM options for the demo app, e.g. -javaagent:...
#   DEMO_DURATION [15]  DEMO_CONNECTIONS [8]  DEMO_RATE [2000 req/s, 0 = flat out]
#   DEMO_LOAD_MODE [keepalive]   or close: a new connection per request
#   DEMO_PATH [/]             what the load requests, e.g. /sleep?ms=300 to keep requests in flight
#   DEMO_HUPS [3]  DEMO_HUP_DELAY [3 s after load starts]  DEMO_HUP_INTERVAL [4 s]
#   DEMO_START_TIMEOUT [60 s]  DEMO_OUT [bench/results/tmp/demo-TIMESTAMP]
#   DEMO_BUILD [auto]         auto: run Maven when a jar is missing or older than its sources;
#                             always; never
#
# Exit status: 0 all good; 1 a request failed, or a restart or the clean stop did not happen;
# 2 could not build or start; 130 or 143 interrupted by SIGINT or SIGTERM (after cleaning up).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"

port=${DEMO_PORT:-8080}
start_server=${START_SERVER:-$repo/bin/start_server}
mode=${DEMO_APP_MODE:-jvm}
duration=${DEMO_DURATION:-15}
connections=${DEMO_CONNECTIONS:-8}
rate=${DEMO_RATE:-2000}
load_mode=${DEMO_LOAD_MODE:-keepalive}
load_path=${DEMO_PATH:-/}
hups=${DEMO_HUPS:-3}
hup_delay=${DEMO_HUP_DELAY:-3}
hup_interval=${DEMO_HUP_INTERVAL:-4}
start_timeout=${DEMO_START_TIMEOUT:-60}
out=${DEMO_OUT:-$repo/bench/results/tmp/demo-$(date -u +%Y%m%d-%H%M%S)}
url="http://127.0.0.1:$port/"
java=${JAVA:-java}

say() { printf '== %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit "${2:-2}"; }

case "$mode" in jvm|fixture) ;; *) die "DEMO_APP_MODE must be jvm or fixture, not: $mode" ;; esac
case "$load_mode" in keepalive|close) ;; *) die "DEMO_LOAD_MODE must be keepalive or close, not: $load_mode" ;; esac
[[ $port =~ ^[0-9]+$ ]] && (( port >= 1 && port <= 65535 )) || die "DEMO_PORT is not a port: $port"
command -v curl >/dev/null || die "curl is needed"

# --- state shared with cleanup; every process here is started by this script --------------------
ss_pid=""        # start_server, leader of its own process group
bench_pid=""
sampler_pid=""
sleep_pid=""
stop_flag=""
failed=0
stopped_cleanly=0

# Sleeps in the background so that a signal to this script runs its trap at once.
pause() {
  sleep "$1" & sleep_pid=$!
  wait "$sleep_pid" || true
  sleep_pid=""
}

alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }

group_members() {
  ps -eo pid=,pgid=,args= | awk -v g="$1" '$2 == g { print }'
}

# Stops start_server (TERM: it stops every generation and waits for them), bounded.
stop_start_server() {
  [[ -n $ss_pid ]] || return 0
  if alive "$ss_pid"; then
    kill -TERM "$ss_pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do alive "$ss_pid" || break; sleep 0.1; done
    if alive "$ss_pid"; then
      echo "demo: start_server $ss_pid did not exit within 30 s of SIGTERM; killing its process group" >&2
      kill -KILL -- "-$ss_pid" 2>/dev/null || true
      failed=1
    fi
  fi
  local status=0
  wait "$ss_pid" 2>/dev/null || status=$?
  # Its generations may outlive it only by a moment; anything still here after that is a leak.
  for ((i = 0; i < 50; i++)); do [[ -z $(group_members "$ss_pid") ]] && break; sleep 0.1; done
  local left
  left=$(group_members "$ss_pid")
  if [[ -n $left ]]; then
    echo "demo: processes left running after start_server exited (killing them):" >&2
    echo "$left" >&2
    kill -KILL -- "-$ss_pid" 2>/dev/null || true
    failed=1
  elif (( status == 0 )); then
    stopped_cleanly=1
  else
    echo "demo: start_server exited with status $status" >&2
    failed=1
  fi
  ss_pid=""
}

cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM  # finish cleaning up even if Ctrl-C is pressed again
  [[ -n $stop_flag ]] && touch "$stop_flag"
  if alive "$sleep_pid"; then kill "$sleep_pid" 2>/dev/null; fi
  if alive "$bench_pid"; then kill -TERM "$bench_pid" 2>/dev/null; wait "$bench_pid" 2>/dev/null || true; fi
  # The sampler sees the flag within one curl timeout; waiting for it leaves no curl behind.
  [[ -n $sampler_pid ]] && wait "$sampler_pid" 2>/dev/null || true
  if [[ -n $ss_pid ]]; then
    stop_start_server
    if (( stopped_cleanly )); then echo "demo: start_server stopped; nothing it started is left running" >&2; fi
  fi
  if (( rc == 0 && failed != 0 )); then rc=1; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up" >&2; exit 130' INT
trap 'echo "demo: terminated, cleaning up" >&2; exit 143' TERM

# --- build ----------------------------------------------------------------------------------------
demo_jar=demo-app/target/demo-app.jar
bench_jar=bench/target/bench.jar
ours=0
[[ $start_server == "$repo/bin/start_server" ]] && ours=1
mkdir -p "$out"

# True if JAR is missing or older than a main source or pom of the given modules. Maven leaves an
# up-to-date jar untouched, so each jar is compared only with the modules it is built from.
stale() {
  local jar=$1; shift
  [[ -f $jar ]] || return 0
  [[ -n $(find "$@" -newer "$jar" -type f \( -path '*/src/main/*' -o -name pom.xml \) -print -quit 2>/dev/null) ]]
}
needs_build() {
  case ${DEMO_BUILD:-auto} in
    always) return 0 ;;
    never) return 1 ;;
    auto) ;;
    *) die "DEMO_BUILD must be auto, always or never, not: $DEMO_BUILD" ;;
  esac
  stale "$demo_jar" demo-app && return 0
  stale "$bench_jar" bench && return 0
  if (( ours )); then
    stale launcher/target/dist/lib/start_server.jar launcher protocol && return 0
    stale agent/target/server-starter-agent.jar agent protocol && return 0
  fi
  return 1
}
build() {
  say "building ($*)"
  if ! "$@" >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log" >&2
    die "build failed (log: $out/build.log)"
  fi
}
if needs_build; then
  if (( ours )); then
    build mvn -q -B -DskipTests package
  else
    # With another start_server our launcher is not needed: do not let its build stop the demo.
    build mvn -q -B -DskipTests -pl demo-app,bench -am package
  fi
fi

# --- start ----------------------------------------------------------------------------------------
if [[ $mode == fixture ]]; then
  # The real interpreter, not a version-manager shim: start_server signals its direct child.
  python=$(python3 -c 'import sys; print(sys.executable)') || die "python3 is needed for DEMO_APP_MODE=fixture"
  server_cmd=("$python" "$repo/scripts/fixtures/ss_http_server.py")
else
  # shellcheck disable=SC2206 # DEMO_JAVA_OPTS is a list of words, like JAVA_OPTS everywhere
  server_cmd=("$java" ${DEMO_JAVA_OPTS:-} -jar "$repo/$demo_jar" "--port=$port")
fi

if curl -s -o /dev/null -m 2 "$url"; then
  die "something already answers on $url; choose another DEMO_PORT"
fi
stop_flag="$out/.stop"
rm -f "$stop_flag"  # a reused DEMO_OUT keeps the last run's flag, which would stop the sampler at once
marks="$out/marks"
samples="$out/samples"
: > "$marks"
: > "$samples"
ss_log="$out/start_server.log"

say "starting: $start_server --port=127.0.0.1:$port -- ${server_cmd[*]}"
# Its own process group (job control, for this one job): a Ctrl-C at the terminal reaches only
# this script, whose trap stops start_server in order; the group tells afterwards whether anything
# start_server started is still running. Unlike a background job without job control, it also
# starts with SIGINT and SIGQUIT at their defaults rather than ignored.
set -m
"$start_server" "--port=127.0.0.1:$port" -- "${server_cmd[@]}" >"$ss_log" 2>&1 &
ss_pid=$!
set +m
[[ $(ps -o pgid= -p "$ss_pid" | tr -d ' ') == "$ss_pid" ]] || die "start_server is not leading its process group"

first=""
ready_by=$((SECONDS + start_timeout))
while (( SECONDS < ready_by )); do
  if ! alive "$ss_pid"; then
    tail -n 20 "$ss_log" >&2
    die "start_server exited before serving (log: $ss_log)"
  fi
  if first=$(curl -fsS -m 1 "$url" 2>/dev/null); then break; fi
  first=""
  sleep 0.2
done
if [[ -z $first ]]; then
  tail -n 20 "$ss_log" >&2
  if [[ $mode == jvm ]] && (( ! ours )); then
    echo "demo: hint: an unmodified app cannot bind the port start_server holds unless our agent" \
      "is loaded; bin/start_server injects it, here DEMO_JAVA_OPTS=-javaagent:... would, or try" \
      "DEMO_APP_MODE=fixture" >&2
  fi
  die "nothing served $url within ${start_timeout} s (log: $ss_log)"
fi
say "serving: $first"

# --- load, restarts, and a sampler of who answers -------------------------------------------------
# One GET / on a fresh connection every 250 ms: shows the generations taking over, and any failure
# of a new connection during a restart (the load generator's connections are long-lived).
(
  while [[ ! -e $stop_flag ]]; do
    ts=$(date +%s%3N)
    if body=$(curl -sS -m 2 -w ' HTTP%{http_code}' "$url" 2>&1) && [[ $body == *' HTTP200' ]]; then
      echo "$ts ok ${body% HTTP200}"
    else
      echo "$ts FAIL ${body//$'\n'/ }"
    fi
    sleep 0.25
  done >>"$samples"
) &
sampler_pid=$!

say "load: GET $load_path on $connections $load_mode connections for $duration s at ${rate} req/s; $hups SIGHUPs every $hup_interval s from +$hup_delay s"
"$java" -jar "$bench_jar" "--url=${url%/}$load_path" "--mode=$load_mode" "--connections=$connections" "--duration=$duration" \
  "--rate=$rate" --timeout-ms=5000 "--out=$out" "--marks=$marks" --progress &
bench_pid=$!

pause "$hup_delay"
for ((n = 1; n <= hups; n++)); do
  alive "$bench_pid" || break
  echo "$(date +%s%3N) SIGHUP $n" >>"$marks"
  echo "[demo] SIGHUP $n to start_server $ss_pid" >&2
  kill -HUP "$ss_pid"
  if (( n < hups )); then pause "$hup_interval"; fi
done

bench_rc=0
wait "$bench_pid" || bench_rc=$?
bench_pid=""
touch "$stop_flag"
wait "$sampler_pid" || true
sampler_pid=""

last=$(curl -fsS -m 2 "$url" 2>/dev/null) || last="(no answer)"

# --- stop and report ------------------------------------------------------------------------------
say "stopping start_server (SIGTERM)"
stop_start_server

generation_of() { sed -n 's/.*"generation":"\{0,1\}\([^",}]*\).*/\1/p' <<<"$1"; }
pid_of() { sed -n 's/.*"pid":\([0-9]*\).*/\1/p' <<<"$1"; }

echo
say "generations that served GET / (sampled every 250 ms on new connections)"
awk -v t0="$(head -n1 "$samples" | cut -d' ' -f1)" '
  $2 == "ok" {
    pid = $3; sub(/.*"pid":/, "", pid); sub(/[,}].*/, "", pid)
    gen = $3; sub(/.*"generation":/, "", gen); sub(/[,}].*/, "", gen); gsub(/"/, "", gen)
    key = gen " " pid
    if (!(key in n)) { order[++k] = key; from[key] = $1 }
    n[key]++; to[key] = $1
  }
  END {
    for (i = 1; i <= k; i++) {
      split(order[i], p, " ")
      printf "   generation %-4s pid %-8s %4d answers, +%.1f s to +%.1f s\n", p[1], p[2], n[order[i]], (from[order[i]] - t0) / 1000, (to[order[i]] - t0) / 1000
    }
  }' "$samples"
sample_total=$(wc -l <"$samples")
sample_failed=$(grep -c ' FAIL ' "$samples" || true)
echo "   sampler: $sample_total requests, $sample_failed failed"
grep ' FAIL ' "$samples" | head -n 5 | sed 's/^/   /' || true
echo "   before: generation $(generation_of "$first") (pid $(pid_of "$first"));" \
  "after: generation $(generation_of "$last") (pid $(pid_of "$last"))"
echo "   start_server's account:"
grep -E 'starting new worker|sending TERM|died|exiting' "$ss_log" | sed 's/^/     /' || true

problems=()
(( bench_rc == 0 )) || problems+=("the load generator reported failed requests (exit $bench_rc)")
(( sample_failed == 0 )) || problems+=("$sample_failed sampled GET / requests failed")
gen_before=$(generation_of "$first")
gen_after=$(generation_of "$last")
if [[ -z $(pid_of "$last") ]]; then
  problems+=("GET / got no answer after the restarts")
elif [[ $gen_before =~ ^[0-9]+$ && $gen_after =~ ^[0-9]+$ ]]; then
  (( gen_after - gen_before >= hups )) || problems+=("expected $hups restarts, but generation went from $gen_before to $gen_after")
elif [[ $(pid_of "$first") == "$(pid_of "$last")" ]]; then
  problems+=("the same process (pid $(pid_of "$first")) served before and after: no restart happened")
fi
(( stopped_cleanly )) || problems+=("start_server did not stop cleanly")

echo
say "results in $out (summary.json, timeline.csv, failures.csv, start_server.log, samples, marks)"
if (( ${#problems[@]} )); then
  for p in "${problems[@]}"; do echo "FAIL: $p"; done
  failed=1
  exit 1
fi
echo "PASS: every request succeeded across $hups restarts, and nothing is left running"
