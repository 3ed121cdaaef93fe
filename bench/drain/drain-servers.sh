#!/usr/bin/env bash
# drain-servers.sh: keep-alive load across restarts for each real server in test-apps, with the
# agent's drain; one line per server (requests, failed, resent, drain outcomes).
#
#   bench/drain/drain-servers.sh [SERVER...]     (default: every server below; needs a full build)
#
# Environment: JAVA [java], DRAIN_PORT [18300], DRAIN_DURATION [12 s], DRAIN_RATE [1000 req/s]
# Output: bench/results/tmp/drain-servers-TIMESTAMP/SERVER/{summary.json,start_server.log}
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
java=${JAVA:-java}
port=${DRAIN_PORT:-18300}
duration=${DRAIN_DURATION:-12}
rate=${DRAIN_RATE:-1000}
out=$repo/bench/results/tmp/drain-servers-$(date -u +%Y%m%d-%H%M%S)
t=test-apps
declare -A cmd=(
  [httpserver]="$t/httpserver/target/test-app-httpserver.jar"
  [jetty]="$t/jetty/target/test-app-jetty.jar"
  [tomcat-nio]="$t/tomcat/target/test-app-tomcat.jar"
  [tomcat-nio2]="$t/tomcat/target/test-app-tomcat.jar --protocol nio2"
  [netty-nio]="$t/netty/target/test-app-netty.jar"
  [netty-epoll]="$t/netty/target/test-app-netty.jar --transport epoll"
  [undertow]="$t/undertow/target/test-app-undertow.jar"
  [serversocket]="$t/serversocket/target/test-app-serversocket.jar"
  [demo-app]="demo-app/target/demo-app.jar"
)
servers=("$@")
(( ${#servers[@]} )) || servers=(demo-app httpserver jetty tomcat-nio tomcat-nio2 netty-nio netty-epoll undertow serversocket)

for name in "${servers[@]}"; do
  spec=${cmd[$name]:-}
  [[ -n $spec ]] || { echo "unknown server: $name" >&2; continue; }
  read -r -a words <<<"$spec"
  dir=$out/$name
  mkdir -p "$dir"
  : >"$dir/marks"
  set -m
  bin/start_server "--port=127.0.0.1:$port" -- "$java" -jar "$repo/${words[0]}" "${words[@]:1}" --port "$port" \
    >"$dir/start_server.log" 2>&1 &
  ss=$!
  set +m
  for ((i = 0; i < 600; i++)); do curl -fs -m 1 -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  "$java" -jar bench/target/bench.jar "--url=http://127.0.0.1:$port/" --mode=keepalive --connections=8 \
    "--duration=$duration" "--rate=$rate" --timeout-ms=5000 "--out=$dir" "--marks=$dir/marks" >"$dir/bench.txt" 2>&1 &
  bench=$!
  sleep 3; echo "$(date +%s%3N) SIGHUP 1" >>"$dir/marks"; kill -HUP "$ss"
  sleep 4; echo "$(date +%s%3N) SIGHUP 2" >>"$dir/marks"; kill -HUP "$ss"
  wait "$bench"
  kill -TERM "$ss"; wait "$ss"
  sleep 1
  kill -KILL -- "-$ss" 2>/dev/null
  json=$dir/summary.json
  num() { sed -n "s/^  \"$1\": \([0-9]*\).*/\1/p" "$json" | head -n1; }
  resent=$(grep -o '"resent": {"total": *[0-9]*' "$json" | head -n1 | grep -o '[0-9]*$')
  kinds=$(grep -o '"byKind": {[^}]*}' "$json" | head -n1 | tr -d '"' | sed 's/byKind: //; s/[a-z_]*:0,\{0,1\}//g')
  drains=$(grep -o 'drain (pid [0-9]*): [a-z]*[^;]*' "$dir/start_server.log" | grep -v 'stopped accepting' | sed 's/drain (pid [0-9]*): //' | paste -sd '|' -)
  warns=$(grep -c 'start_server-agent: warning' "$dir/start_server.log")
  printf '%-13s requests %6s failed %4s %s resent %4s  agent warnings %s  drains: %s\n' \
    "$name" "$(num total)" "$(num failed)" "${kinds:+($kinds)}" "${resent:-?}" "$warns" "${drains:-none}"
  port=$((port + 1))
done
echo "details in $out"
